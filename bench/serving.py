"""Inference server benchmark: requests/s and p50/p99 latency of the custom model server
at concurrency 1, 8 and 64, with 1-row and 100-row CSV requests, side by side with

(a) the raw in-process predict of the same model at the same batch sizes (the ceiling:
    no HTTP, no parsing), and
(b) a Flask + gunicorn server in the style of the classic "bring your own container"
    example (bench/byoc_flask.py), with as many worker processes as ours.

Both servers serve the same XGBoost model in the built-in algorithm's layout. The load
generator (bench/load.py) runs in its own process on the same machine; medians of RUNS.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "containers")]

from tests.model_artifacts import extract, xgboost_archive, xgboost_booster  # noqa: E402
from tests.server_process import model_server, serve  # noqa: E402

FEATURES, ROUNDS = 20, 100
CONCURRENCY = (1, 8, 64)
BATCHES = (1, 100)
RUNS, SECONDS = 3, 2.0
WORKERS = str(os.cpu_count() or 1)


def raw_predict(booster, rows: np.ndarray) -> float:
    """Median predict calls per second in-process, at this batch size."""
    rates = []
    for _ in range(RUNS):
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < SECONDS:
            booster.inplace_predict(rows)
            calls += 1
        rates.append(calls / (time.perf_counter() - start))
    return statistics.median(rates)


def measure(url: str, concurrency: int, body: Path) -> dict:
    runs = [
        json.loads(
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "load.py"),
                    url + "/invocations",
                    str(concurrency),
                    str(SECONDS),
                    str(body),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(RUNS)
    ]
    assert all(r["errors"] == 0 for r in runs), runs
    return {k: statistics.median(r[k] for r in runs) for k in ("rps", "p50_ms", "p99_ms")}


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    booster = xgboost_booster(features=FEATURES, rounds=ROUNDS)
    model_dir = extract(xgboost_archive(work / "artifact", booster), work / "model")
    rng = np.random.default_rng(7)
    bodies, raw = {}, {}
    for batch in BATCHES:
        rows = rng.random((batch, FEATURES), dtype=np.float32)
        bodies[batch] = work / f"rows-{batch}.csv"
        bodies[batch].write_text("\n".join(",".join(f"{v:.6f}" for v in r) for r in rows))
        raw[batch] = raw_predict(booster, rows)

    results: dict = {
        "model": f"XGBoost, {ROUNDS} trees, {FEATURES} features",
        "workers": int(WORKERS),
        "runs": RUNS,
        "seconds": SECONDS,
        "raw": raw,
        "ours": {},
        "flask": {},
    }
    flask_command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        WORKERS,
        "--worker-class",
        "sync",
        "--bind",
        "127.0.0.1:{port}",
        "--chdir",
        str(ROOT / "bench"),
        "byoc_flask:app",
    ]
    servers = {
        "ours": lambda: model_server(model_dir, work / "ours.log", MODEL_SERVER_WORKERS=WORKERS),
        "flask": lambda: serve(flask_command, {"MODEL_DIR": str(model_dir)}, work / "flask.log"),
    }
    for name, start in servers.items():
        with start() as server:
            for batch in BATCHES:
                for concurrency in CONCURRENCY:
                    cell = measure(server.url, concurrency, bodies[batch])
                    results[name][f"{batch}x{concurrency}"] = cell

    print(
        f"model server ({results['model']}; {WORKERS} workers each; medians of {RUNS} "
        f"runs of {SECONDS:.0f} s)"
    )
    header = (
        f"{'rows':>4} {'conc':>4} | {'ours req/s':>10} {'p50 ms':>7} {'p99 ms':>7} | "
        f"{'flask req/s':>11} {'p50 ms':>7} {'p99 ms':>7} | {'ours/flask':>10} "
        f"{'ours/raw':>8}"
    )
    print(header)
    print("-" * len(header))
    for batch in BATCHES:
        for concurrency in CONCURRENCY:
            key = f"{batch}x{concurrency}"
            ours, flask = results["ours"][key], results["flask"][key]
            print(
                f"{batch:>4} {concurrency:>4} | {ours['rps']:>10.0f} {ours['p50_ms']:>7.2f} "
                f"{ours['p99_ms']:>7.2f} | {flask['rps']:>11.0f} {flask['p50_ms']:>7.2f} "
                f"{flask['p99_ms']:>7.2f} | {ours['rps'] / flask['rps']:>9.2f}x "
                f"{ours['rps'] / raw[batch]:>7.0%}"
            )
    print(
        "raw in-process predict calls/s: "
        + ", ".join(f"{b} row{'s' if b > 1 else ''}: {raw[b]:.0f}" for b in BATCHES)
    )
    return results


if __name__ == "__main__":
    main()
