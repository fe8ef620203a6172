"""Models for the inference server, made on the spot: no binary fixtures in the repo.

`xgboost_archive` writes what SageMaker's built-in XGBoost 1.7-1 writes: a
`model.tar.gz` holding one `xgboost-model` in XGBoost's legacy binary format.
"""

from __future__ import annotations

import tarfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import xgboost
from onnx import TensorProto, helper, numpy_helper

FEATURES = 4


def xgboost_booster(features: int = FEATURES, rounds: int = 20, seed: int = 0) -> xgboost.Booster:
    rng = np.random.default_rng(seed)
    x = rng.random((400, features), dtype=np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0.75).astype(np.float32)
    params = {"objective": "binary:logistic", "max_depth": 4, "nthread": 1, "seed": seed}
    return xgboost.train(params, xgboost.DMatrix(x, label=y), num_boost_round=rounds)


def xgboost_archive(directory: Path, booster: xgboost.Booster | None = None) -> Path:
    """model.tar.gz with `xgboost-model` in the legacy binary format, as the built-in writes."""
    booster = booster or xgboost_booster()
    directory.mkdir(parents=True, exist_ok=True)
    model = directory / "xgboost-model"
    with warnings.catch_warnings():  # XGBoost warns that the format is deprecated: we know
        warnings.simplefilter("ignore", UserWarning)
        model.write_bytes(bytes(booster.save_raw("deprecated")))
    archive = directory / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(model, arcname="xgboost-model")
    model.unlink()
    return archive


def extract(archive: Path, model_dir: Path) -> Path:
    """What SageMaker does with ModelDataUrl before it starts the container."""
    model_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(model_dir, filter="data")
    return model_dir


def linear_onnx(path: Path, features: int = FEATURES, outputs: int = 2) -> np.ndarray:
    """An ONNX model y = x·W + b (dynamic batch); returns W stacked over b to check answers."""
    rng = np.random.default_rng(1)
    weights = rng.standard_normal((features, outputs)).astype(np.float32)
    bias = rng.standard_normal(outputs).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "W"], ["xw"]),
            helper.make_node("Add", ["xw", "b"], ["y"]),
        ],
        "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", features])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", outputs])],
        initializer=[numpy_helper.from_array(weights, "W"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, path)
    return np.vstack([weights, bias])
