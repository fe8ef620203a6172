"""The asynchronous endpoint: the real-time endpoint's model, served from an S3 queue.

Requests (up to 1 GB) wait in SageMaker's queue and results land in the artifacts
bucket; the fleet scales on its backlog and, with `min_instances: 0`, down to zero
and back out on the first queued request (DG:async-inference,
DG:async-inference-autoscale). It follows the same model as the real-time endpoint
(pinned, or the registry's approved package; `Waiting` otherwise) and runs the same
pipeline, with the same blue/green updates and rollback alarms.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from infra.catalog.instances import has_local_storage, parse
from infra.catalog.limits import ASYNC_EXCLUDED_INSTANCE_FAMILIES
from infra.catalog.model import Algorithm, NotSupported, Processor
from infra.catalog.servers import ModelServer
from infra.config.async_inference import AsyncConfig
from infra.config.hosting import EndpointConfig
from infra.plan.endpoint import DeploymentPlan, plan_deployment
from infra.plan.hosting import HostingImage, check_hosting_instance, hosting_image, unsupported
from infra.plan.issues import Issues
from infra.plan.models import ModelChooser, ModelSource, Waiting
from infra.plan.serial import PipelinePlan
from infra.plan.skipped import DISABLED, Skipped
from infra.prefixes import ArtifactsPrefix, Purpose


@dataclass(frozen=True, slots=True)
class AsyncScalingPlan:
    min_instances: int  # 0: scales to zero
    max_instances: int
    target_backlog_per_instance: float  # ApproximateBacklogSizePerInstance
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int

    @property
    def scales_to_zero(self) -> bool:
        return self.min_instances == 0


@dataclass(frozen=True, slots=True)
class AsyncPlan:
    source: ModelSource
    image: HostingImage
    instance_type: str
    processor: Processor
    scaling: AsyncScalingPlan
    deployment: DeploymentPlan
    invocation_timeout_seconds: int
    # Results and failures, under the artifacts bucket's async/<algorithm>/.
    output: ArtifactsPrefix
    failures: ArtifactsPrefix
    max_concurrent_invocations_per_instance: int | None = None
    pipeline: PipelinePlan | None = None

    @property
    def initial_instances(self) -> int:
        """A variant starts with at least one instance; scaling then takes it to zero."""
        return max(1, self.scaling.min_instances)

    @property
    def encrypt_volume(self) -> bool:
        return not has_local_storage(self.instance_type)

    @property
    def name_digest(self) -> str:
        """Changes with the instance type: a new endpoint (and scalable target) then."""
        return hashlib.sha256(f"AllTraffic={self.instance_type}".encode()).hexdigest()[:6]


def plan_async(
    algorithm: Algorithm | ModelServer,
    config: AsyncConfig,
    endpoint: EndpointConfig,
    pipeline: PipelinePlan | None,
    models: ModelChooser,
    path: str,
    issues: Issues,
) -> AsyncPlan | Skipped:
    """`pipeline`: the real-time endpoint's (planned from `endpoint.pipeline`)."""
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return unsupported(hosting, config.enabled, "an asynchronous endpoint", name, path, issues)
    if not config.enabled:
        return DISABLED
    before = len(issues.items)
    instance_type = config.instance_type or endpoint.instance_type or hosting.default_instance_type
    where = f"{path}.instance_type"
    processor = check_hosting_instance(algorithm, hosting, instance_type, where, issues)
    instance = parse(instance_type)
    if processor is not None and instance and instance.family in ASYNC_EXCLUDED_INSTANCE_FAMILIES:
        issues.add(
            where,
            instance_type,
            "asynchronous endpoints cannot run on Inferentia 1 (inf1) instances "
            "(DG: async-inference, deployment-guardrails-exclusions)",
        )
    if config.min_instances > config.max_instances:
        issues.add(
            f"{path}.min_instances",
            config.min_instances,
            f"greater than max_instances ({config.max_instances})",
        )
    if config.scale_in_cooldown_seconds <= config.scale_out_cooldown_seconds:
        issues.add(
            f"{path}.scale_in_cooldown_seconds",
            config.scale_in_cooldown_seconds,
            "scale in more slowly than out: must be longer than scale_out_cooldown_seconds "
            f"({config.scale_out_cooldown_seconds})",
        )
    frameworks = [c.image for c in pipeline.containers if c.image] if pipeline else []
    if frameworks and processor is Processor.GPU:
        issues.add(
            where,
            instance_type,
            f"the pipeline's {frameworks[0].repository} images are for CPU only",
        )
    deployment = plan_deployment(config.deployment, f"{path}.deployment", issues)
    # The real-time endpoint's model (its mistakes are plan_endpoint's to report).
    source = models.choose(endpoint.model_uri, endpoint.model_package_arn, path, Issues())
    if processor is None or len(issues.items) > before:
        return NotSupported("invalid asynchronous endpoint config")
    plan = AsyncPlan(
        source=source if isinstance(source, ModelSource) else ModelSource(),
        image=hosting_image(algorithm, hosting),
        instance_type=instance_type,
        processor=processor,
        scaling=AsyncScalingPlan(
            min_instances=config.min_instances,
            max_instances=config.max_instances,
            target_backlog_per_instance=config.target_backlog_per_instance,
            scale_in_cooldown_seconds=config.scale_in_cooldown_seconds,
            scale_out_cooldown_seconds=config.scale_out_cooldown_seconds,
        ),
        deployment=deployment,
        invocation_timeout_seconds=config.invocation_timeout_seconds,
        max_concurrent_invocations_per_instance=config.max_concurrent_invocations_per_instance,
        pipeline=pipeline,
        output=ArtifactsPrefix(Purpose.ASYNC, name, ("output",)),
        failures=ArtifactsPrefix(Purpose.ASYNC, name, ("failures",)),
    )
    return source.of(plan) if isinstance(source, Waiting) else plan
