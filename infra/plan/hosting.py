"""Hosting decisions: real-time endpoint, serverless endpoint and Model Monitor."""

from __future__ import annotations

from infra.catalog.instances import Use
from infra.catalog.model import Algorithm, HostingSpec, NotSupported
from infra.config.model import EndpointConfig, MonitoringConfig, ServerlessConfig
from infra.errors import NO_VALUE
from infra.images import MODEL_MONITOR_ANALYZER, is_published
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues
from infra.plan.model import (
    DISABLED,
    EndpointPlan,
    MonitorPlan,
    ServerlessPlan,
    Skipped,
    TrainingPlan,
)


def _unsupported(
    reason: NotSupported, enabled: bool | None, what: str, name: str, path: str, issues: Issues
) -> NotSupported:
    if enabled:
        issues.add(f"{path}.enabled", True, f"{name} cannot have {what}: {reason.reason}")
    return reason


def plan_endpoint(
    algorithm: Algorithm, config: EndpointConfig, path: str, issues: Issues
) -> EndpointPlan | Skipped:
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return _unsupported(hosting, config.enabled, "an endpoint", name, path, issues)
    if config.enabled is False:
        return DISABLED
    instance_type = config.instance_type or hosting.default_instance_type
    processor = check_instance_type(
        algorithm=name,
        use=Use.HOSTING,
        instance_type=instance_type,
        processors=hosting.processors,
        gpu_families=hosting.gpu_families,
        cpu_families=hosting.cpu_families,
        path=f"{path}.instance_type",
        issues=issues,
    )
    if config.min_instances > config.max_instances:
        issues.add(
            f"{path}.min_instances",
            config.min_instances,
            f"greater than max_instances ({config.max_instances})",
        )
    if processor is None:
        return NotSupported("invalid endpoint config")
    return EndpointPlan(
        instance_type=instance_type,
        processor=processor,
        min_instances=config.min_instances,
        max_instances=config.max_instances,
    )


def plan_serverless(
    algorithm: Algorithm, config: ServerlessConfig, path: str, issues: Issues
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
    return ServerlessPlan(
        memory_mb=config.memory_mb,
        max_concurrency=config.max_concurrency,
        provisioned_concurrency=provisioned,
    )


def plan_monitor(
    algorithm: Algorithm,
    config: MonitoringConfig,
    endpoint: EndpointPlan | Skipped,
    training: TrainingPlan,
    region: str | None,
    path: str,
    issues: Issues,
) -> MonitorPlan | Skipped:
    hosting, name = algorithm.hosting, algorithm.name
    if isinstance(hosting, NotSupported):
        return _unsupported(hosting, config.enabled, "monitoring", name, path, issues)
    assert isinstance(hosting, HostingSpec)
    spec = hosting.monitoring
    if isinstance(spec, NotSupported):
        return _unsupported(spec, config.enabled, "Model Monitor", name, path, issues)
    if config.enabled is False:
        return DISABLED
    if not isinstance(endpoint, EndpointPlan):
        # Serverless endpoints cannot capture data (facts §11, §12).
        reason = NotSupported("monitors real-time endpoints only, and this one is off")
        return _unsupported(reason, config.enabled, "Model Monitor", name, path, issues)
    if region is not None and not is_published(MODEL_MONITOR_ANALYZER, region):
        issues.add(
            f"{path}.enabled",
            NO_VALUE,
            f"the Model Monitor analyzer is not published in {region}; set it to false",
        )
    model_quality = spec.model_quality
    if not isinstance(model_quality, NotSupported):
        value = training.hyperparameter_map.get(model_quality.hyperparameter)
        problem_type = model_quality.problem_type(training.hyperparameter_map)
        model_quality = problem_type or NotSupported(
            f"{model_quality.hyperparameter} {value} has no model-quality problem type"
        )
    return MonitorPlan(
        schedule=config.schedule,
        capture_content_type=spec.capture_content_type,
        model_quality=model_quality,
    )
