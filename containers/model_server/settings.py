"""Server settings from the environment (SageMaker's hosting contract and our own)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def usable_cores() -> int:
    """The cores this process may run on (its affinity: `taskset`, cpusets), not the
    machine's: `os.cpu_count()` counts cores the process cannot use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class ServerSettings:
    model_dir: Path = Path("/opt/ml/model")
    # SageMaker sends traffic to port 8080 on the container's interfaces; tests and
    # benchmarks on a shared host bind to loopback instead (BIND_HOST=127.0.0.1).
    host: str = "0.0.0.0"
    port: int = 8080
    workers: int = 1
    # Dynamic micro-batching: requests that arrive while the model is busy share the
    # next call, up to this many rows; a positive delay also waits for more.
    max_batch_rows: int = 512
    max_batch_delay_ms: float = 0.0
    max_payload_bytes: int = 6 * 1024 * 1024  # SageMaker's real-time limit
    # The model's compute threads per worker; 0: the cores divided among the workers.
    model_threads: int = 0
    backend: str = "auto"  # auto, xgboost or onnx
    device: str = "cpu"  # cpu or gpu (the GPU image sets gpu)

    @property
    def threads_per_worker(self) -> int:
        return self.model_threads or max(1, usable_cores() // self.workers)

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> ServerSettings:
        return cls(
            model_dir=Path(env.get("MODEL_DIR", "/opt/ml/model")),
            host=env.get("BIND_HOST") or "0.0.0.0",
            port=int(env.get("SAGEMAKER_BIND_TO_PORT", "8080")),
            workers=int(env.get("MODEL_SERVER_WORKERS", "1")),
            max_batch_rows=int(env.get("MAX_BATCH_ROWS", "512")),
            max_batch_delay_ms=float(env.get("MAX_BATCH_DELAY_MS", "0")),
            max_payload_bytes=int(env.get("MAX_PAYLOAD_BYTES", str(6 * 1024 * 1024))),
            model_threads=int(env.get("MODEL_THREADS", "0")),
            backend=env.get("MODEL_BACKEND", "auto"),
            device=env.get("MODEL_DEVICE", "cpu"),
        )
