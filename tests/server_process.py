"""Start the inference server as SageMaker does (`serve`, a real process) on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CONTAINERS = ROOT / "containers"


# Tests and benchmarks serve on loopback only: nothing else on the network reaches them.
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class RunningServer:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until(url: str, status: int, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/ping", timeout=1).status_code == status:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"/ping did not answer {status} within {timeout} s")


@contextmanager
def serve(
    command: list[str],
    env: dict[str, str],
    log: Path,
    ready_status: int | None = 200,
    host: str = LOOPBACK,
) -> Iterator[RunningServer]:
    """`command` with `{port}` filled in; the model server binds to `host` (BIND_HOST)."""
    port = free_port()
    environment = {
        **os.environ,
        "BIND_HOST": host,
        "SAGEMAKER_BIND_TO_PORT": str(port),
        "PYTHONPATH": str(CONTAINERS),
        **env,
    }
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [part.format(port=port) for part in command],
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=CONTAINERS,
        )
    server = RunningServer(f"http://{host}:{port}", process, log)
    try:
        if ready_status is not None:
            wait_until(server.url, ready_status, 60, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def model_server(
    model_dir: Path, log: Path, *, ready: bool = True, host: str = LOOPBACK, **env: str
) -> AbstractContextManager[RunningServer]:
    """The container's own entry point, `serve`, with MODEL_DIR in place of /opt/ml/model."""
    return serve(
        [sys.executable, str(CONTAINERS / "serve")],
        {"MODEL_DIR": str(model_dir), **env},
        log,
        ready_status=200 if ready else None,
        host=host,
    )
