"""What a stage hosts: a built-in algorithm (trained, tuned, hosted, monitored) or a
custom model server."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.model import Algorithm, Processor
from infra.catalog.servers import ModelServer
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.models import ModelAccess, ModelSource, Registry
from infra.plan.monitoring import MonitorPlan
from infra.plan.registration import RegistrationPlan
from infra.plan.serverless import ServerlessPlan
from infra.plan.skipped import DISABLED, Skipped
from infra.plan.training import TrainingPlan
from infra.plan.transform import TransformPlan
from infra.plan.tuning import TuningPlan


@dataclass(frozen=True, slots=True)
class AlgorithmPlan:
    name: str
    algorithm: Algorithm
    training: TrainingPlan
    tuning: TuningPlan | Skipped
    endpoint: EndpointPlan | Skipped
    serverless: ServerlessPlan | Skipped
    monitor: MonitorPlan | Skipped
    # The group the endpoints follow (None: pinned, or not hostable).
    registry: Registry | None = None
    # What this stage's pipelines register trained models as (None: not hostable).
    registration: RegistrationPlan | None = None
    # The offline scoring pipeline (opt-in): waits for the endpoint's model like it.
    transform: TransformPlan | Skipped = DISABLED
    # The asynchronous endpoint (`async:`), off unless the config turns it on.
    async_endpoint: AsyncPlan | Skipped = DISABLED

    @property
    def model_package_group(self) -> str | None:
        """The group this stage's pipelines register models into (None: not hostable)."""
        return self.registration.group if self.registration is not None else None

    @property
    def model_access(self) -> ModelAccess:
        return _model_access(self.endpoint, self.serverless, self.async_endpoint)


@dataclass(frozen=True, slots=True)
class ServerPlan:
    """A custom model server in a stage: the same endpoints as an algorithm, no training."""

    name: str
    server: ModelServer
    endpoint: EndpointPlan | Skipped
    serverless: ServerlessPlan | Skipped
    registry: Registry | None = None
    # The server's image assets (by processor) its models run: the model role pulls them.
    image_assets: tuple[Processor, ...] = ()

    @property
    def model_access(self) -> ModelAccess:
        return _model_access(self.endpoint, self.serverless)


def _model_access(
    endpoint: EndpointPlan | Skipped,
    serverless: ServerlessPlan | Skipped,
    async_endpoint: AsyncPlan | Skipped = DISABLED,
) -> ModelAccess:
    fleet = endpoint.fleet if isinstance(endpoint, EndpointPlan) else ()
    extra = (serverless.source,) if isinstance(serverless, ServerlessPlan) else ()
    if isinstance(async_endpoint, AsyncPlan):
        extra += (async_endpoint.source,)
    # An inference pipeline's other containers read their own artifacts.
    pipelines = [
        p.pipeline for p in (endpoint, async_endpoint) if isinstance(p, EndpointPlan | AsyncPlan)
    ]
    uris = [uri for pipeline in pipelines if pipeline for uri in pipeline.model_uris]
    return ModelAccess.of(
        (*(v.source for v in fleet), *extra, *(ModelSource(model_uri=u) for u in uris))
    )


HostedPlan = AlgorithmPlan | ServerPlan
"""What the hosting constructs serve: a built-in algorithm or a custom server."""
