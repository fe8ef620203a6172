"""The real-time endpoint: variants, autoscaling, blue/green deployment and the API in front."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from infra.catalog.instances import has_local_storage
from infra.catalog.model import Algorithm, HostingSpec, NotSupported, Processor
from infra.catalog.servers import ModelServer
from infra.config.hosting import DeploymentConfig, EndpointConfig, VariantConfig
from infra.errors import NO_VALUE
from infra.plan.hosting import HostingImage, check_hosting_instance, hosting_image, unsupported
from infra.plan.issues import Issues
from infra.plan.models import ModelChooser, ModelSource, Waiting
from infra.plan.schedule import ScheduledCapacity, plan_schedule
from infra.plan.serial import PipelinePlan, check_pipeline_sources, plan_inference_pipeline
from infra.plan.skipped import DISABLED, Skipped


@dataclass(frozen=True, slots=True)
class VariantPlan:
    name: str
    source: ModelSource
    instance_type: str
    processor: Processor
    initial_count: int
    weight: float


@dataclass(frozen=True, slots=True)
class ScalingPlan:
    min_instances: int
    max_instances: int
    target_invocations_per_instance: int  # per minute, per instance
    utilization_metric: str | None  # CPUUtilization or GPUUtilization
    utilization_target_percent: int | None
    scale_in_cooldown_seconds: int
    scale_out_cooldown_seconds: int
    # Off-hours (and back-on) bounds: scheduled actions on the scalable target.
    schedule: tuple[ScheduledCapacity, ...] = ()


@dataclass(frozen=True, slots=True)
class DeploymentPlan:
    traffic: str  # CANARY, LINEAR or ALL_AT_ONCE
    step_percent: int | None  # canary size or linear step, percent of capacity
    baking_seconds: int
    termination_wait_seconds: int
    max_execution_seconds: int
    rollback_model_latency_ms: int
    rollback_5xx_errors: int


@dataclass(frozen=True, slots=True)
class ApiPlan:
    throttle_rate_per_second: int
    throttle_burst: int
    # What callers may send (the model's request content types); the rest is binary.
    request_content_types: tuple[str, ...] = ()


MAIN_VARIANT = "AllTraffic"


@dataclass(frozen=True, slots=True)
class EndpointPlan:
    variants: tuple[VariantPlan, ...]  # the main variant (AllTraffic) first
    scaling: ScalingPlan  # the main variant's instance counts
    deployment: DeploymentPlan
    image: HostingImage
    shadow: VariantPlan | None = None
    api: ApiPlan | None = None
    # Every variant's model is this pipeline, its algorithm slot the variant's model.
    pipeline: PipelinePlan | None = None

    @property
    def instance_type(self) -> str:
        return self.main.instance_type

    @property
    def processor(self) -> Processor:
        return self.main.processor

    @property
    def min_instances(self) -> int:
        return self.scaling.min_instances

    @property
    def max_instances(self) -> int:
        return self.scaling.max_instances

    @property
    def main(self) -> VariantPlan:
        return self.variants[0]

    @property
    def fleet(self) -> tuple[VariantPlan, ...]:
        """Every variant the endpoint runs: the production ones, then the shadow."""
        return (*self.variants, *((self.shadow,) if self.shadow else ()))

    @property
    def encrypt_volume(self) -> bool:
        """A KMS key for the ML storage volume, unless any variant has local storage."""
        return not any(has_local_storage(v.instance_type) for v in self.fleet)

    @property
    def name_digest(self) -> str:
        """Changes when an instance type changes: a new endpoint replaces the old one."""
        text = ",".join(f"{v.name}={v.instance_type}" for v in self.fleet)
        return hashlib.sha256(text.encode()).hexdigest()[:6]


# With neither a target nor a measured maximum: about 5 requests/s per instance.
DEFAULT_TARGET_INVOCATIONS = 300


def _variant(
    algorithm: Algorithm | ModelServer,
    hosting: HostingSpec,
    config: VariantConfig,
    models: ModelChooser,
    path: str,
    issues: Issues,
) -> VariantPlan | None:
    instance_type = config.instance_type or hosting.default_instance_type
    processor = check_hosting_instance(
        algorithm, hosting, instance_type, f"{path}.instance_type", issues
    )
    if not (config.model_uri or config.model_package_arn):
        # A second model is always named: the registry's approved one is the main's.
        issues.add(path, NO_VALUE, "needs model_uri or model_package_arn")
        return None
    source = models.choose(config.model_uri, config.model_package_arn, path, issues)
    if processor is None or not isinstance(source, ModelSource):
        return None
    return VariantPlan(
        name=config.name,
        source=source,
        instance_type=instance_type,
        processor=processor,
        initial_count=config.instance_count,
        weight=config.weight,
    )


def _scaling(
    config: EndpointConfig, processor: Processor, path: str, issues: Issues
) -> ScalingPlan:
    if config.min_instances > config.max_instances:
        issues.add(
            f"{path}.min_instances",
            config.min_instances,
            f"greater than max_instances ({config.max_instances})",
        )
    if config.target_invocations_per_instance and config.max_rps_per_instance:
        issues.add(
            f"{path}.max_rps_per_instance",
            config.max_rps_per_instance,
            "give target_invocations_per_instance or max_rps_per_instance, not both",
        )
    if config.scale_in_cooldown_seconds <= config.scale_out_cooldown_seconds:
        issues.add(
            f"{path}.scale_in_cooldown_seconds",
            config.scale_in_cooldown_seconds,
            "scale in more slowly than out: must be longer than scale_out_cooldown_seconds "
            f"({config.scale_out_cooldown_seconds})",
        )
    if config.max_rps_per_instance:
        # The metric counts invocations per instance per minute.
        target = max(1, int(config.max_rps_per_instance * 60 * config.safety_factor))
    else:
        target = config.target_invocations_per_instance or DEFAULT_TARGET_INVOCATIONS
    utilization = config.utilization_target_percent
    metric = None
    if utilization is not None:
        metric = "GPUUtilization" if processor is Processor.GPU else "CPUUtilization"
    return ScalingPlan(
        min_instances=config.min_instances,
        max_instances=config.max_instances,
        target_invocations_per_instance=target,
        utilization_metric=metric,
        utilization_target_percent=utilization,
        scale_in_cooldown_seconds=config.scale_in_cooldown_seconds,
        scale_out_cooldown_seconds=config.scale_out_cooldown_seconds,
        schedule=plan_schedule(config.schedule, config.max_instances, f"{path}.schedule", issues),
    )


def plan_deployment(config: DeploymentConfig, path: str, issues: Issues) -> DeploymentPlan:
    """Blue/green traffic shifting, baking and rollback (real-time and asynchronous)."""
    step = {"CANARY": config.canary_percent, "LINEAR": config.linear_step_percent}.get(
        config.traffic
    )
    # Canary: one bake after the canary; linear: one bake per step.
    bakes = 1 if config.traffic != "LINEAR" else -(-100 // config.linear_step_percent)
    waits = bakes * config.baking_seconds + config.termination_wait_seconds
    limit = config.max_execution_seconds or min(28800, max(600, waits + 1800))
    if limit <= waits:
        issues.add(
            f"{path}.max_execution_seconds",
            limit,
            f"must exceed the deployment's waits ({waits} s of baking and termination)",
        )
    return DeploymentPlan(
        traffic=config.traffic,
        step_percent=step,
        baking_seconds=config.baking_seconds,
        termination_wait_seconds=config.termination_wait_seconds,
        max_execution_seconds=limit,
        rollback_model_latency_ms=config.rollback_model_latency_ms,
        rollback_5xx_errors=config.rollback_5xx_errors,
    )


def plan_endpoint(
    algorithm: Algorithm | ModelServer,
    config: EndpointConfig,
    models: ModelChooser,
    path: str,
    issues: Issues,
    region: str | None = None,
) -> EndpointPlan | Skipped:
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return unsupported(hosting, config.enabled, "an endpoint", name, path, issues)
    if config.enabled is False:
        if config.api.enabled:
            issues.add(f"{path}.api.enabled", True, "needs the real-time endpoint (enabled: true)")
        return DISABLED
    before = len(issues.items)
    instance_type = config.instance_type or hosting.default_instance_type
    processor = check_hosting_instance(
        algorithm, hosting, instance_type, f"{path}.instance_type", issues
    )
    source = models.choose(config.model_uri, config.model_package_arn, path, issues)
    names = [MAIN_VARIANT]
    extra: list[VariantPlan] = []
    for index, variant in enumerate(config.variants):
        where = f"{path}.variants.{index}"
        if variant.name in names:
            issues.add(f"{where}.name", variant.name, "variant names must be unique")
        names.append(variant.name)
        if (plan := _variant(algorithm, hosting, variant, models, where, issues)) is not None:
            extra.append(plan)
    shadow = None
    if config.shadow is not None:
        if config.shadow.name in names:
            issues.add(f"{path}.shadow.name", config.shadow.name, "variant names must be unique")
        shadow = _variant(algorithm, hosting, config.shadow, models, f"{path}.shadow", issues)
    scaling = _scaling(config, processor or Processor.CPU, path, issues)
    deployment = plan_deployment(config.deployment, f"{path}.deployment", issues)
    pipeline = plan_inference_pipeline(
        algorithm, config.pipeline, processor or Processor.CPU, region, f"{path}.pipeline", issues
    )
    if config.pipeline:
        fleet = (source, *(v.source for v in (*extra, *((shadow,) if shadow else ()))))
        check_pipeline_sources(tuple(s for s in fleet if isinstance(s, ModelSource)), path, issues)
    if processor is None or len(issues.items) > before:
        return NotSupported("invalid endpoint config")
    main = VariantPlan(
        name=MAIN_VARIANT,
        source=source if isinstance(source, ModelSource) else ModelSource(),
        instance_type=instance_type,
        processor=processor,
        initial_count=config.min_instances,
        weight=1.0,
    )
    api = config.api
    plan = EndpointPlan(
        variants=(main, *extra),
        scaling=scaling,
        deployment=deployment,
        image=hosting_image(algorithm, hosting),
        shadow=shadow,
        api=ApiPlan(
            throttle_rate_per_second=api.throttle_rate_per_second,
            throttle_burst=api.throttle_burst,
            request_content_types=pipeline.request_content_types
            if pipeline
            else hosting.request_content_types,
        )
        if api.enabled
        else None,
        pipeline=pipeline,
    )
    return source.of(plan) if isinstance(source, Waiting) else plan
