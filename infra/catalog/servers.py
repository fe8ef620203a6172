"""Custom model servers: this project's own inference images (containers/), hosted
like any catalog algorithm but trained elsewhere (or by a built-in algorithm).

One server, two images: `Dockerfile.cpu` and `Dockerfile.gpu`. The facts here are
the server's own (containers/model_server), not SageMaker's built-in ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from infra.catalog.model import HostingSpec, NotSupported, Processor

CONTENT_TYPES = ("text/csv", "application/json", "application/x-npy")
ACCEPT_TYPES = ("application/json", "text/csv")
DOCKERFILES: MappingProxyType[Processor, str] = MappingProxyType(
    {Processor.CPU: "Dockerfile.cpu", Processor.GPU: "Dockerfile.gpu"}
)
# CUDA 12.9 runs on compute capability 5.0 and later: not p2 (K80, 3.7).
GPU_FAMILIES = ("g4dn", "g5", "g6", "g6e", "p3", "p4d", "p5")
NO_MODEL_MONITOR = NotSupported(
    "Model Monitor baselines come from a training pipeline; a custom server's model is "
    "trained elsewhere (the endpoint still gets its dashboard and rollback alarms)"
)


@dataclass(frozen=True, slots=True)
class ModelServer:
    """A catalog entry for the custom server with one backend."""

    name: str  # the config key under `model_servers`
    title: str
    backend: str  # MODEL_BACKEND in the container
    hosting: HostingSpec
    # Whose approved packages' artifacts the server loads unless the config names a
    # model: custom-xgboost serves what the built-in XGBoost pipeline trained and had
    # approved; a server whose models nothing here trains waits for a model_uri.
    artifacts_of: str


def _server(backend: str, title: str, artifacts_of: str | None = None) -> ModelServer:
    return ModelServer(
        name=f"custom-{backend}",
        title=f"Custom server: {title}",
        backend=backend,
        hosting=HostingSpec(
            request_content_types=CONTENT_TYPES,
            accept_types=ACCEPT_TYPES,
            processors=frozenset(Processor),
            default_instance_type="ml.c5.xlarge",
            serverless=None,  # with the CPU image: serverless has no GPUs
            monitoring=NO_MODEL_MONITOR,
            gpu_families=GPU_FAMILIES,
            environment=(("MODEL_BACKEND", backend),),
        ),
        artifacts_of=artifacts_of or f"custom-{backend}",
    )


MODEL_SERVERS: MappingProxyType[str, ModelServer] = MappingProxyType(
    {
        server.name: server
        for server in (
            _server("xgboost", "XGBoost", artifacts_of="xgboost"),
            _server("onnx", "ONNX Runtime"),
        )
    }
)
"""Every custom server by its config name."""

MODEL_SERVER_NAMES: tuple[str, ...] = tuple(MODEL_SERVERS)
