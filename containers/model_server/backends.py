"""Model backends: XGBoost (the built-in algorithm's artifact) and ONNX Runtime."""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path
from typing import Protocol

import numpy as np

BUILT_IN_XGBOOST = "xgboost-model"  # what SageMaker's XGBoost algorithm writes


class ModelNotFound(FileNotFoundError):
    pass


class InputMismatch(ValueError):
    """Rows the model cannot take (e.g. the wrong number of features): a client error."""


class Backend(Protocol):
    name: str

    def predict(self, rows: np.ndarray) -> np.ndarray: ...

    def describe(self) -> str: ...


class XGBoostBackend:
    name = "xgboost"

    def __init__(self, path: Path, device: str, threads: int) -> None:
        import xgboost

        self.booster = xgboost.Booster()
        self.booster.load_model(str(path))  # JSON, UBJSON or the legacy binary format
        self.booster.set_param({"nthread": threads})
        if device == "gpu":
            self.booster.set_param({"device": "cuda"})
        self.device = device
        self.features = self.booster.num_features()

    def describe(self) -> str:
        return f"xgboost on {self.device}, {self.features} features"

    def predict(self, rows: np.ndarray) -> np.ndarray:
        if rows.shape[1] != self.features:
            raise InputMismatch(f"the model takes {self.features} features, got {rows.shape[1]}")
        return np.asarray(self.booster.inplace_predict(rows))


class OnnxBackend:
    name = "onnx"

    def __init__(self, path: Path, device: str, threads: int) -> None:
        import onnxruntime

        providers = ["CPUExecutionProvider"]
        if device == "gpu":
            providers.insert(0, "CUDAExecutionProvider")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=providers
        )
        self.providers = self.session.get_providers()
        (model_input,) = self.session.get_inputs()
        self.input = model_input.name
        width = model_input.shape[1] if len(model_input.shape) == 2 else None
        self.features = width if isinstance(width, int) else None

    def describe(self) -> str:
        return f"onnx on {', '.join(self.providers)}, {self.features or 'any'} features"

    def predict(self, rows: np.ndarray) -> np.ndarray:
        if self.features is not None and rows.shape[1] != self.features:
            raise InputMismatch(f"the model takes {self.features} features, got {rows.shape[1]}")
        return self.session.run(None, {self.input: rows})[0]


def _unpacked(model_dir: Path) -> Path:
    """The directory holding the model; unpacks a model.tar.gz left unextracted."""
    archive = model_dir / "model.tar.gz"
    if archive.exists() and not any(p.name != "model.tar.gz" for p in model_dir.iterdir()):
        target = Path(tempfile.mkdtemp(prefix="model-"))
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        return target
    return model_dir


def load(model_dir: Path, backend: str = "auto", device: str = "cpu", threads: int = 1) -> Backend:
    """Find and load the model in `model_dir` (SageMaker extracts model.tar.gz there).

    `threads`: the model's compute threads in this worker process; workers times threads
    should not exceed the cores, or OpenMP's spinning threads fight each other.
    """
    if not model_dir.is_dir():
        raise ModelNotFound(f"{model_dir} does not exist")
    directory = _unpacked(model_dir)
    onnx = sorted(directory.glob("*.onnx"))
    xgb = [
        p
        for p in (
            directory / BUILT_IN_XGBOOST,
            *sorted(directory.glob("*.ubj")),
            *sorted(directory.glob("*.json")),
        )
        if p.exists()
    ]
    if backend in ("auto", "onnx") and onnx:
        return OnnxBackend(onnx[0], device, threads)
    if backend in ("auto", "xgboost") and xgb:
        return XGBoostBackend(xgb[0], device, threads)
    raise ModelNotFound(f"no {backend} model in {model_dir} (xgboost-model or *.onnx)")
