"""The benchmark's request bodies: the same rows as CSV, JSON and .npy (seeded)."""

from __future__ import annotations

import io
import json

import numpy as np

FEATURES = 20
CSV, JSON, NPY = "text/csv", "application/json", "application/x-npy"
FORMATS = {CSV: "csv", JSON: "json", NPY: "npy"}


def rows(batch: int, features: int = FEATURES) -> np.ndarray:
    return np.random.default_rng(7).random((batch, features), dtype=np.float32)


def bodies(matrix: np.ndarray) -> dict[str, bytes]:
    """CSV with six decimals (as a client's writer might), JSON rows, .npy float32."""
    npy = io.BytesIO()
    np.save(npy, matrix, allow_pickle=False)
    return {
        CSV: "\n".join(",".join(f"{v:.6f}" for v in row) for row in matrix).encode(),
        JSON: json.dumps(np.round(matrix.astype(np.float64), 6).tolist()).encode(),
        NPY: npy.getvalue(),
    }
