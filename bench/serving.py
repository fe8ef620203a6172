"""Inference server benchmark: where each request's time goes, and how close the
custom model server (containers/) comes to its model.

Measured side by side, in rounds (every server and floor once per round, medians
over the rounds), because the machine is shared and noisy:

- the server: requests/s, p50/p99 at concurrency 1, 8, 64 with 1-row and 100-row
  CSV requests, and 100-row JSON and .npy requests at 1 and 64;
- the HTTP floor: the same stack (uvicorn as `serve` runs it, the same ASGI
  dispatch, body reader and response writer) answering a constant (floor_app.py);
- the decode and encode floors: the server's codecs alone on the same payloads
  (codec_floor.py);
- raw predict: the model called in-process at the same batch sizes, and at the
  batch sizes the server formed (X-Batch-Rows) for the split;
- a Flask + gunicorn server in the style of the classic "bring your own container"
  example (byoc_flask.py), CSV only, XGBoost only.

The load generator (load.py) is pinned with `taskset` to its own core(s), the
servers and in-process measurements to the others, where the machine has two or
more cores. `--before DIR` adds the server (and its codecs) from another checkout's
containers/ directory, and the Starlette floor, run alternately with ours.

    python bench/serving.py [--runs N] [--seconds S] [--before DIR] [--backend onnx --device gpu]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "containers"), str(ROOT / "bench")]

import payloads  # noqa: E402
from payloads import CSV, FORMATS, JSON, NPY  # noqa: E402
from serving_model import Model  # noqa: E402
from serving_report import report  # noqa: E402

from tests.server_process import serve  # noqa: E402

CONCURRENCY = (1, 8, 64)
BATCHES = (1, 100)
# (content type, rows, concurrency): CSV everywhere, the other decoders at 100 rows.
CELLS = [(CSV, b, c) for b in BATCHES for c in CONCURRENCY] + [
    (media, 100, c) for media in (JSON, NPY) for c in (1, 64)
]
RUNS, SECONDS = 3, 1.5


def core_split() -> tuple[list[int], list[int], bool]:
    """(server cores, load generator cores, pinned): a quarter (at least one) of the
    usable cores for the load generator, the rest for the server."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or not shutil.which("taskset"):
        return cpus, cpus, False
    load = cpus[len(cpus) - max(1, len(cpus) // 4) :]
    return cpus[: len(cpus) - len(load)], load, True


def gpu_present() -> bool:
    import onnxruntime

    return bool(shutil.which("nvidia-smi")) and (
        "CUDAExecutionProvider" in onnxruntime.get_available_providers()
    )


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of `pid` and its live descendants, from /proc."""
    parents, ticks = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        child = int(stat.parent.name)
        parents[child], ticks[child] = int(fields[1]), int(fields[11]) + int(fields[12])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [c for c, p in parents.items() if p == parent and c not in tree]
        tree.update(children)
        frontier += children
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def measure(server, cell: tuple, bodies: dict, load_cpus: list[int], seconds: float) -> dict:
    """One load run; with the server's CPU time per request, which other tenants of a
    shared machine do not inflate the way they inflate wall-clock time."""
    media, batch, concurrency = cell
    accept = CSV if media == CSV else JSON
    command = [sys.executable, str(ROOT / "bench" / "load.py"), server.url + "/invocations"]
    command += [str(concurrency), str(seconds), str(bodies[media, batch]), media, accept]
    pin = ["taskset", "-c", ",".join(map(str, load_cpus))]
    cpu = tree_cpu_seconds(server.process.pid)
    result = json.loads(
        subprocess.run(pin + command, capture_output=True, text=True, check=True).stdout
    )
    result["cpu_us"] = (tree_cpu_seconds(server.process.pid) - cpu) * 1e6 / result["requests"]
    assert result["errors"] == 0, result
    return result


def codec_floors(containers: Path, cpus: list[int]) -> dict:
    command = ["taskset", "-c", ",".join(map(str, cpus)), sys.executable]
    command += [str(ROOT / "bench" / "codec_floor.py"), *map(str, BATCHES)]
    env = {**os.environ, "PYTHONPATH": str(containers)}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    return {int(k): v for k, v in json.loads(out).items()}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--before", type=Path, help="another checkout's containers/ directory")
    parser.add_argument("--backend", choices=["xgboost", "onnx"], default="xgboost")
    parser.add_argument("--device", choices=["cpu", "gpu"], default="cpu")
    parser.add_argument("--no-gpu", action="store_true", help="skip the GPU variant")
    args = parser.parse_args(argv)
    results = run(args.runs, args.seconds, args.backend, args.device, args.before)
    report(results)
    if args.backend == "xgboost" and not args.no_gpu and args.before is None:
        print()
        if gpu_present():
            results["gpu"] = run(args.runs, args.seconds, "onnx", "gpu", None)
            report(results["gpu"])
        else:
            print("GPU variant (ONNX on CUDAExecutionProvider): skipped, no GPU here")
    return results


def run(runs: int, seconds: float, backend: str, device: str, before: Path | None) -> dict:
    server_cpus, load_cpus, pinned = core_split()
    os.sched_setaffinity(0, server_cpus)  # raw predict and codec floors on the server's cores
    workers = len(server_cpus)
    work = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    model = Model(work, backend, device)
    bodies = {}
    for batch in BATCHES:
        for media, body in payloads.bodies(payloads.rows(batch)).items():
            bodies[media, batch] = work / f"rows-{batch}.{FORMATS[media]}"
            bodies[media, batch].write_bytes(body)

    pin = ["taskset", "-c", ",".join(map(str, server_cpus))] if pinned else []
    env = {
        "MODEL_SERVER_WORKERS": str(workers),
        "MODEL_THREADS": "1",
        "MODEL_DEVICE": device,
        "MODEL_DIR": str(model.dir),
    }
    ours = ROOT / "containers"
    servers = {
        "floor": (
            [*pin, sys.executable, str(ROOT / "bench" / "floor_serve.py"), "create_app"],
            ours,
        ),
        "ours": ([*pin, sys.executable, str(ours / "serve")], ours),
    }
    if before is not None:
        floor = [*pin, sys.executable, str(ROOT / "bench" / "floor_serve.py")]
        servers["starlette floor"] = ([*floor, "create_starlette_app"], ours)
        servers["before"] = ([*pin, sys.executable, str(before / "serve")], before)
    if backend == "xgboost":
        gunicorn = [*pin, sys.executable, "-m", "gunicorn", "--workers", str(workers)]
        gunicorn += ["--worker-class", "sync", "--bind", "127.0.0.1:{port}"]
        gunicorn += ["--chdir", str(ROOT / "bench"), "byoc_flask:app"]
        servers["flask"] = (gunicorn, ours)

    samples: dict = {name: {cell: [] for cell in CELLS} for name in servers}
    raw: dict = {batch: [] for batch in BATCHES}
    codecs: dict = {"ours": [], "before": []}
    with contextlib_exit_stack() as stack:
        running = {
            name: stack.enter_context(
                serve(command, {**env, "PYTHONPATH": str(path)}, work / f"{name}.log")
            )
            for name, (command, path) in servers.items()
        }
        for _ in range(runs):
            for cell in CELLS:
                for name, server in running.items():
                    if name == "flask" and cell[0] != CSV:
                        continue
                    samples[name][cell].append(measure(server, cell, bodies, load_cpus, seconds))
            for batch in BATCHES:
                raw[batch].append(model.seconds_per_call(batch, seconds / 2))
            codecs["ours"].append(codec_floors(ours, server_cpus))
            if before is not None:
                codecs["before"].append(codec_floors(before, server_cpus))

    def median_cell(runs_: list[dict]) -> dict:
        keys = ("rps", "p50_ms", "p99_ms", "batch_rows", "cpu_us")
        return {k: statistics.median(r[k] for r in runs_) for k in keys} if runs_ else {}

    cells = {
        name: {key(cell): median_cell(v) for cell, v in by.items() if v}
        for name, by in samples.items()
    }
    # Raw predict at the batch sizes the servers formed, for each request's share of it.
    formed = {
        round(c["batch_rows"])
        for name in ("ours", "before")
        for c in cells.get(name, {}).values()
        if c and c["batch_rows"] >= 1
    }
    raw_at = {b: model.seconds_per_call(b, seconds / 2) for b in sorted(formed)}
    raw_at.update(
        {
            b: {k: statistics.median(r[k] for r in v) for k in ("wall", "cpu")}
            for b, v in raw.items()
        }
    )

    def median_floors(found: list[dict]) -> dict:
        return {
            b: {k: statistics.median(f[b][k] for f in found) for k in found[0][b]} for b in BATCHES
        }

    return {
        "model": model.name,
        "backend": backend,
        "device": device,
        "workers": workers,
        "server_cpus": server_cpus,
        "load_cpus": load_cpus,
        "pinned": pinned,
        "runs": runs,
        "seconds": seconds,
        "cells": cells,
        "raw_seconds": {str(b): s for b, s in raw_at.items()},
        "codecs": {
            k: {str(b): f for b, f in median_floors(v).items()} for k, v in codecs.items() if v
        },
        "load_average": os.getloadavg(),
    }


def key(cell: tuple) -> str:
    media, batch, concurrency = cell
    return f"{FORMATS[media]} {batch}x{concurrency}"


def contextlib_exit_stack():
    import contextlib

    return contextlib.ExitStack()


if __name__ == "__main__":
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "serving-run.json").write_text(json.dumps(main(), indent=2) + "\n")
