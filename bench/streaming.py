"""Stream scorer benchmark: throughput, calls per batch, cold-start import time.

- records/s through the handler's logic (decode, parse, pack, score-response parsing,
  anomaly selection) with an endpoint that answers instantly from a cache, so the
  endpoint's compute is excluded; medians of several runs of 10,000-record batches;
- InvokeEndpoint calls for a 10,000-record batch, against the minimum the payload
  limit allows and against one call per record;
- the import time of the handler module in a fresh interpreter (cold start).
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lambdas"))

from anomaly_scorer.batch import IncomingRecord, process  # noqa: E402
from anomaly_scorer.scoring import Scorer  # noqa: E402
from anomaly_scorer.settings import PAYLOAD_LIMITS, Settings  # noqa: E402

BATCH = 10_000
SETTINGS = Settings(
    endpoint_name="rcf",
    feature_format="json",
    feature_fields=("latency_ms", "bytes"),
    feature_columns=(),
    threshold=3.0,
    payload_limit=PAYLOAD_LIMITS["realtime"],
    anomaly_sink="eventbridge",
    anomaly_target="bus",
    failure_queue_url="https://sqs/queue",
)


def records(n: int, seed: int = 1) -> list[IncomingRecord]:
    rng = random.Random(seed)
    return [
        IncomingRecord(
            sequence_number=f"{i:024d}",
            partition_key=f"host-{i % 64}",
            data=json.dumps(
                {
                    "latency_ms": round(rng.gauss(120, 15), 3),
                    "bytes": rng.randint(200, 90_000),
                    "host": f"host-{i % 64}",
                }
            ).encode(),
            stream_arn="arn:aws:kinesis:us-east-1:123456789012:stream/records",
        )
        for i in range(n)
    ]


@cache
def response(rows: int) -> bytes:
    return json.dumps({"scores": [{"score": 1.0 + (i % 7) * 0.1} for i in range(rows)]}).encode()


def run(batch: list[IncomingRecord]) -> tuple[float, int]:
    scorer = Scorer(invoke=lambda body: response(body.count(b"\n")), remaining_ms=lambda: 900_000)
    start = time.perf_counter()
    process(
        batch, SETTINGS, scorer, anomaly_sink=lambda items: set(), failure_queue=lambda items: set()
    )
    return time.perf_counter() - start, scorer.calls


def import_time_ms(runs: int) -> list[float]:
    code = (
        "import time; t = time.perf_counter(); import anomaly_scorer.app; "
        "print(time.perf_counter() - t)"
    )
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    out = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT / "lambdas",
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(float(result.stdout) * 1000)
    return out


def main(runs: int = 7) -> dict:
    batch = records(BATCH)
    run(batch)  # warm the response cache; the endpoint's work is not measured
    seconds = [run(batch)[0] for _ in range(runs)]
    _, calls = run(batch)
    payload = sum(len(r.data) for r in batch)  # upper bound: CSV rows are smaller
    rows = len(batch)
    minimum = math.ceil(payload / SETTINGS.payload_limit)
    imports = import_time_ms(5)
    result = {
        "records_per_second_median": rows / statistics.median(seconds),
        "seconds_per_batch": seconds,
        "calls_per_10000": calls,
        "minimum_calls_for_payload_limit": minimum,
        "fewer_calls_than_one_per_record": rows / calls,
        "import_ms_median": statistics.median(imports),
        "import_ms": imports,
    }
    rate = result["records_per_second_median"]
    print(f"stream scorer, {runs} runs of {BATCH} records, medians:")
    print(f"  throughput (no endpoint compute)  {rate:10,.0f} records/s (target >= 20,000)")
    print(
        f"  InvokeEndpoint calls per batch    {calls:10d} (minimum {minimum}; "
        f"{rows // calls}x fewer than one per record, target >= 50x)"
    )
    print(
        f"  handler import (cold start)       {result['import_ms_median']:10.0f} ms (target < 300)"
    )
    return result


if __name__ == "__main__":
    main()
