"""Hosting decisions: real-time endpoint, serverless endpoint and Model Monitor."""

from __future__ import annotations

from infra.catalog.instances import Use
from infra.catalog.model import Algorithm, HostingSpec, NotSupported, Processor
from infra.catalog.servers import ModelServer
from infra.config.model import (
    DeploymentConfig,
    EndpointConfig,
    ServerlessConfig,
    VariantConfig,
)
from infra.errors import NO_VALUE
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues
from infra.plan.model import (
    DISABLED,
    MAIN_VARIANT,
    ApiPlan,
    DeploymentPlan,
    EndpointPlan,
    HostingImage,
    ScalingPlan,
    ServerlessPlan,
    Skipped,
    VariantPlan,
)
from infra.plan.models import ModelChooser, ModelSource, Waiting


def _unsupported(
    reason: NotSupported, enabled: bool | None, what: str, name: str, path: str, issues: Issues
) -> NotSupported:
    if enabled:
        issues.add(f"{path}.enabled", True, f"{name} cannot have {what}: {reason.reason}")
    return reason


# With neither a target nor a measured maximum: about 5 requests/s per instance.
DEFAULT_TARGET_INVOCATIONS = 300


def _check_hosting_instance(
    algorithm: Algorithm | ModelServer,
    hosting: HostingSpec,
    instance_type: str,
    path: str,
    issues: Issues,
) -> Processor | None:
    return check_instance_type(
        algorithm=algorithm.name,
        use=Use.HOSTING,
        instance_type=instance_type,
        processors=hosting.processors,
        gpu_families=hosting.gpu_families,
        cpu_families=hosting.cpu_families,
        path=path,
        issues=issues,
    )


def _variant(
    algorithm: Algorithm | ModelServer,
    hosting: HostingSpec,
    config: VariantConfig,
    models: ModelChooser,
    path: str,
    issues: Issues,
) -> VariantPlan | None:
    instance_type = config.instance_type or hosting.default_instance_type
    processor = _check_hosting_instance(
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
    )


def hosting_image(algorithm: Algorithm | ModelServer, hosting: HostingSpec) -> HostingImage:
    """A built-in algorithm's catalog image, or the custom server's own image asset."""
    catalog = algorithm.image if isinstance(algorithm, Algorithm) else None
    return HostingImage(catalog=catalog, environment=hosting.environment)


def _deployment(config: DeploymentConfig, path: str, issues: Issues) -> DeploymentPlan:
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
) -> EndpointPlan | Skipped:
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return _unsupported(hosting, config.enabled, "an endpoint", name, path, issues)
    if config.enabled is False:
        if config.api.enabled:
            issues.add(f"{path}.api.enabled", True, "needs the real-time endpoint (enabled: true)")
        return DISABLED
    before = len(issues.items)
    instance_type = config.instance_type or hosting.default_instance_type
    processor = _check_hosting_instance(
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
    deployment = _deployment(config.deployment, f"{path}.deployment", issues)
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
            request_content_types=hosting.request_content_types,
        )
        if api.enabled
        else None,
    )
    return source.of(plan) if isinstance(source, Waiting) else plan


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
        return _unsupported(hosting, config.enabled, "a serverless endpoint", name, path, issues)
    if hosting.serverless is not None:
        return _unsupported(
            hosting.serverless, config.enabled, "a serverless endpoint", name, path, issues
        )
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
