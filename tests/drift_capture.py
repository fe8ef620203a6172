"""Synthetic SageMaker data capture files for the drift job's tests and benchmark.

The line format is the one SageMaker writes (DG "Capture data from real-time endpoint",
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html):
one JSON object per request, captureData.endpointInput / endpointOutput with
observedContentType, mode, data and encoding (CSV, JSON or BASE64), eventMetadata with
eventId, inferenceId (when the caller sent one) and inferenceTime, and eventVersion "0".
Ground truth lines are Model Monitor's (DG model-monitor-model-quality-merge).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

FEATURES = 10


def frame(rng: np.random.Generator, n: int, shift: dict[int, float] | None = None) -> np.ndarray:
    """n rows: 8 normal features of different scales, a skewed one, a 0/1 flag (col 9)."""
    x = np.empty((n, FEATURES))
    for j in range(8):
        x[:, j] = rng.normal(10.0 * j, 1.0 + j, n)
    x[:, 8] = rng.exponential(2.0, n)
    x[:, 9] = (rng.random(n) < 0.3).astype(float)
    for j, by in (shift or {}).items():
        x[:, j] = x[:, j] + by * (x[:, j].std() or 1.0) if j != 9 else (rng.random(n) < by)
    return x


def csv_rows(x: np.ndarray) -> str:
    return "\n".join(",".join(f"{v:.6g}" for v in row) for row in x)


def part(mode: str, data: str, encoding: str, ctype: str) -> dict:
    if encoding == "BASE64":
        data = base64.b64encode(data.encode()).decode()
    return {"observedContentType": ctype, "mode": mode, "data": data, "encoding": encoding}


def line(
    x: np.ndarray,
    *,
    event_id: str,
    inference_id: str | None = None,
    encoding: str = "CSV",
    output: str = "0.5",
    output_encoding: str = "CSV",
    output_ctype: str = "text/csv; charset=utf-8",
) -> str:
    """One capture line for the rows x (several rows: a multi-row CSV/JSON request)."""
    if encoding == "JSON":
        inp = part("INPUT", json.dumps({"instances": x.tolist()}), "JSON", "application/json")
    else:
        inp = part("INPUT", csv_rows(x), encoding, "text/csv")
    meta = {"eventId": event_id, "inferenceTime": "2026-12-01T10:00:00Z"}
    if inference_id is not None:
        meta["inferenceId"] = inference_id
    record = {
        "captureData": {
            "endpointInput": inp,
            "endpointOutput": part("OUTPUT", output, output_encoding, output_ctype),
        },
        "eventMetadata": meta,
        "eventVersion": "0",
    }
    return json.dumps(record, separators=(",", ":"))


def write_window(directory: Path, x: np.ndarray, *, per_file: int = 1000, seed: int = 0) -> int:
    """Writes the rows x as capture files (mostly one row per request, every 7th request
    a multi-row CSV of 5 rows, every 11th JSON, every 13th BASE64) like SageMaker's
    capture/<endpoint>/<variant>/yyyy/mm/dd/hh/ layout; returns the number of lines."""
    directory.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    i = n = 0
    while i < len(x):
        take = 5 if n % 7 == 3 else 1
        enc = "JSON" if n % 11 == 5 else "BASE64" if n % 13 == 6 else "CSV"
        out.append(line(x[i : i + take], event_id=f"e-{seed}-{n}", encoding=enc))
        i += take
        n += 1
    hour = directory / "AllTraffic" / "2026" / "12" / "01" / "10"
    hour.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(out), per_file):
        (hour / f"{k:06d}-{seed}.jsonl").write_text("\n".join(out[k : k + per_file]) + "\n")
    return len(out)


def write_reference(directory: Path, x: np.ndarray) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "train.csv").write_text(csv_rows(x) + "\n")


def ground_truth_line(event_id: str, label: str) -> str:
    return json.dumps(
        {
            "groundTruthData": {"data": label, "encoding": "CSV"},
            "eventMetadata": {"eventId": event_id},
            "eventVersion": "0",
        }
    )
