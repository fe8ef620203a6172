"""The serving benchmark's model: on disk for the servers, in-process for raw predict."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np
import payloads
from payloads import FEATURES

from tests.model_artifacts import extract, xgboost_archive, xgboost_booster

ROUNDS = 100  # trees


def mlp_onnx(path: Path, features: int = FEATURES, hidden: int = 256) -> None:
    """A small multilayer perceptron (features -> hidden -> hidden -> 1), dynamic batch."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(5)
    shapes = {"w1": (features, hidden), "w2": (hidden, hidden), "w3": (hidden, 1)}
    weights = [
        numpy_helper.from_array(rng.standard_normal(s).astype(np.float32) / 16, name)
        for name, s in shapes.items()
    ]
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h1"]),
        helper.make_node("Relu", ["h1"], ["r1"]),
        helper.make_node("MatMul", ["r1", "w2"], ["h2"]),
        helper.make_node("Relu", ["h2"], ["r2"]),
        helper.make_node("MatMul", ["r2", "w3"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, features])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])],
        initializer=weights,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9  # what onnxruntime 1.26 reads (as tests/model_artifacts.py)
    onnx.save(model, path)


class Model:
    """The benchmark's model on disk (for the servers) and in-process (raw predict)."""

    def __init__(self, work: Path, backend: str, device: str) -> None:
        self.backend, self.device = backend, device
        if backend == "xgboost":
            booster = xgboost_booster(features=FEATURES, rounds=ROUNDS)
            booster.set_param({"nthread": 1})
            self.dir = extract(xgboost_archive(work / "artifact", booster), work / "model")
            self.predict = booster.inplace_predict
            self.name = f"XGBoost, {ROUNDS} trees, {FEATURES} features, on CPU"
        else:
            import onnxruntime

            mlp_onnx(work / "model" / "model.onnx")
            self.dir = work / "model"
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            providers = ["CUDAExecutionProvider"] if device == "gpu" else []
            session = onnxruntime.InferenceSession(
                str(self.dir / "model.onnx"),
                options,
                providers=[*providers, "CPUExecutionProvider"],
            )
            self.predict = lambda rows: session.run(None, {"x": rows})[0]
            self.name = f"ONNX MLP {FEATURES}-256-256-1 on {session.get_providers()[0]}"

    def seconds_per_call(self, batch: int, seconds: float) -> dict[str, float]:
        """Median wall-clock and CPU seconds per in-process predict call on `batch`
        rows (CPU: this thread's, where the model computes with one thread; on a GPU
        only wall-clock time means anything)."""
        rows = payloads.rows(batch)
        self.predict(rows)
        wall, cpu = [], []
        for _ in range(5):
            calls, start, start_cpu = 0, time.perf_counter(), time.thread_time()
            while time.perf_counter() - start < seconds / 5:
                self.predict(rows)
                calls += 1
            wall.append((time.perf_counter() - start) / calls)
            cpu.append((time.thread_time() - start_cpu) / calls)
        median_cpu = statistics.median(cpu) if self.device == "cpu" else statistics.median(wall)
        return {"wall": statistics.median(wall), "cpu": median_cpu}
