"""The serverless endpoint: the same model as the real-time one (or its own), on demand."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.model import Algorithm, NotSupported
from infra.catalog.servers import ModelServer
from infra.config.hosting import EndpointConfig, ServerlessConfig
from infra.plan.hosting import HostingImage, hosting_image, unsupported
from infra.plan.issues import Issues
from infra.plan.models import ModelChooser, ModelSource, Waiting
from infra.plan.skipped import DISABLED, Skipped


@dataclass(frozen=True, slots=True)
class ServerlessPlan:
    source: ModelSource
    image: HostingImage  # on a CPU: serverless endpoints have no GPUs
    memory_mb: int
    max_concurrency: int
    provisioned_concurrency: int | None


def plan_serverless(
    algorithm: Algorithm | ModelServer,
    config: ServerlessConfig,
    endpoint: EndpointConfig,
    models: ModelChooser,
    path: str,
    issues: Issues,
) -> ServerlessPlan | Skipped:
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return unsupported(hosting, config.enabled, "a serverless endpoint", name, path, issues)
    if hosting.serverless is not None:
        return unsupported(
            hosting.serverless, config.enabled, "a serverless endpoint", name, path, issues
        )
    if endpoint.pipeline:
        # "Serverless Inference does not support … inference pipelines"
        # (DG:serverless-endpoints, Feature exclusions; facts §11).
        reason = NotSupported("inference pipelines cannot run serverless")
        return unsupported(reason, config.enabled, "a serverless endpoint", name, path, issues)
    if config.enabled is False:
        return DISABLED
    provisioned = config.provisioned_concurrency
    if provisioned is not None and provisioned > config.max_concurrency:
        issues.add(
            f"{path}.provisioned_concurrency",
            provisioned,
            f"greater than max_concurrency ({config.max_concurrency})",
        )
    # Its own model if the config names one, else the real-time endpoint's (whose
    # mistakes plan_endpoint reports).
    if config.model_uri or config.model_package_arn:
        source = models.choose(config.model_uri, config.model_package_arn, path, issues)
    else:
        source = models.choose(endpoint.model_uri, endpoint.model_package_arn, path, Issues())
    plan = ServerlessPlan(
        source=source if isinstance(source, ModelSource) else ModelSource(),
        image=hosting_image(algorithm, hosting),
        memory_mb=config.memory_mb,
        max_concurrency=config.max_concurrency,
        provisioned_concurrency=provisioned,
    )
    return source.of(plan) if isinstance(source, Waiting) else plan
