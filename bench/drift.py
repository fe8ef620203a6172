"""Drift job benchmark: records/s and peak memory on a generated capture window.

Generates (once, into a temporary directory) a window of SageMaker data capture files
of about --size-mb (default 1024) in the tests' format (tests/drift_capture.py: one
request per line, every 7th a 5-row CSV, every 11th JSON, every 13th BASE64), then
times, each in a fresh process, medians of --runs:

- read: the check job's capture reading alone (orjson lines -> chunked NumPy rows ->
  bounded sample), `drift_checks.capture.scan`;
- check: the whole `python -m drift_checks check` (reading, drift on the 50,000-row
  samples, report, summary, metrics);
- pandas (the floor): `pd.read_json(lines=True)` per file, then every payload parsed
  (CSV rows by `pd.read_csv`, BASE64 decoded first, JSON payloads by json.loads).

Wall and CPU seconds count from just before the work (the check: before importing the
job, which it must do); CPU seconds are steadier than wall time on a shared machine.
Peak RSS is the process's ru_maxrss (includes the interpreter and imports).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import drift_capture as dc  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "containers" / "drift")}
FILE_MB = 64

READ = """
import resource, sys, time
from collections import Counter
from pathlib import Path
from drift_checks import capture
from drift_checks.rows import Reservoir, RowSink
t, c = time.perf_counter(), time.process_time()
res = Reservoir(50_000, 1)
sink = RowSink(10, Counter(), res.add)
scan = capture.scan(Path(sys.argv[1]), sink)
r = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - t, scan.records, sink.rows, r.ru_maxrss, time.process_time() - c)
"""
CHECK = """
import resource, sys, time
t, c = time.perf_counter(), time.process_time()
from drift_checks.cli import main
assert main(["check", "--capture", sys.argv[1], "--reference", sys.argv[2],
             "--output", sys.argv[3]]) == 0
r = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - t, 0, 0, r.ru_maxrss, time.process_time() - c)
"""
PANDAS = """
import base64, io, json, resource, sys, time
from pathlib import Path
import pandas as pd
t, c = time.perf_counter(), time.process_time()
records = rows = 0
for path in sorted(Path(sys.argv[1]).rglob("*.jsonl")):
    frame = pd.read_json(path, lines=True)
    records += len(frame)
    csv, other = [], 0
    for cap in frame["captureData"]:
        inp = cap["endpointInput"]
        if inp["encoding"] == "JSON":
            rows += len(json.loads(inp["data"])["instances"])
        else:
            data = inp["data"]
            csv.append(base64.b64decode(data).decode() if inp["encoding"] == "BASE64" else data)
    rows += len(pd.read_csv(io.StringIO("\\n".join(csv)), header=None, dtype="float64"))
r = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - t, records, rows, r.ru_maxrss, time.process_time() - c)
"""


def generate(directory: Path, size_mb: int) -> tuple[int, int]:
    """Writes ~size_mb of capture files; returns (lines, bytes)."""
    rng = np.random.default_rng(0)
    block_dir = directory / "block"
    dc.write_window(block_dir, dc.frame(rng, 20_000), per_file=10**9)
    block = next(block_dir.rglob("*.jsonl")).read_bytes()
    lines_per_block = block.count(b"\n")
    hour = directory / "window" / "AllTraffic" / "2026" / "12" / "01" / "10"
    hour.mkdir(parents=True)
    written = lines = 0
    part = 0
    while written < size_mb * 2**20:
        with (hour / f"part-{part:04d}.jsonl").open("wb") as f:
            size = 0
            while size < FILE_MB * 2**20 and written + size < size_mb * 2**20:
                f.write(block)
                size += len(block)
                lines += lines_per_block
        written += size
        part += 1
    dc.write_reference(directory / "reference_data", dc.frame(rng, 20_000))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "drift_checks",
            "profile",
            "--data",
            str(directory / "reference_data"),
            "--output",
            str(directory / "ref"),
        ],
        env=ENV,
        check=True,
        capture_output=True,
    )
    return lines, written


def measure(code: str, *args: str) -> tuple[float, int, int, int, float]:
    out = (
        subprocess.run(
            [sys.executable, "-c", code, *args], env=ENV, check=True, capture_output=True, text=True
        )
        .stdout.splitlines()[-1]
        .split()
    )
    return float(out[0]), int(out[1]), int(out[2]), int(out[3]), float(out[4])


def main(size_mb: int = 1024, runs: int = 3) -> dict:
    with tempfile.TemporaryDirectory(prefix="drift-bench-") as tmp:
        d = Path(tmp)
        lines, size = generate(d, size_mb)
        window = str(d / "window")
        modes = {
            "read": (READ, (window,)),
            "check": (CHECK, (window, str(d / "ref"), str(d / "out"))),
            "pandas": (PANDAS, (window,)),
        }
        # interleaved, so that load from other processes falls on all three alike
        samples: dict[str, list] = {name: [] for name in modes}
        for _ in range(runs):
            for name, (code, args) in modes.items():
                samples[name].append(measure(code, *args))
        results = {}
        for name, got in samples.items():
            seconds = statistics.median(s[0] for s in got)
            cpu = statistics.median(s[4] for s in got)
            results[name] = {
                "seconds_median": seconds,
                "records_per_second_median": lines / seconds,
                "cpu_seconds_median": cpu,
                "records_per_cpu_second_median": lines / cpu,
                "peak_rss_mb_median": statistics.median(s[3] for s in got) / 1024,
            }
        summary = json.loads((d / "out" / "summary.json").read_text())
    result = {
        "size_mb": size / 2**20,
        "records": lines,
        "rows": summary["rows_analysed"],
        "runs": runs,
        **results,
    }
    print(
        f"drift job, {result['size_mb']:.0f} MB capture window, {lines} records "
        f"({result['rows']} rows), medians of {runs} runs:"
    )
    for name, label in (
        ("read", "job: capture reading"),
        ("check", "job: whole check"),
        ("pandas", "pandas read_json + read_csv (floor)"),
    ):
        r = results[name]
        print(
            f"  {label:38s} {r['records_per_second_median']:10,.0f} records/s "
            f"{r['seconds_median']:7.2f} s  {r['records_per_cpu_second_median']:10,.0f} "
            f"records/CPU-s  peak RSS {r['peak_rss_mb_median']:6.0f} MB"
        )
    return result


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size-mb", type=int, default=1024)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    main(a.size_mb, a.runs)
