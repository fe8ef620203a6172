"""Monitoring decisions: data capture, baseline, the engine (drift checks or Model
Monitor), data- and model-quality checks and their schedules."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.instances import Use, has_local_storage
from infra.catalog.model import (
    Algorithm,
    HostingSpec,
    ModelQualitySpec,
    NotSupported,
    ProblemType,
    Processor,
)
from infra.catalog.model_monitor import MODEL_QUALITY_METRICS
from infra.config.monitoring import ModelQualityConfig, MonitoringConfig
from infra.errors import NO_VALUE, allowed
from infra.images import MODEL_MONITOR_ANALYZER, is_published
from infra.plan.drift import DRIFT_CHECKS, MODEL_MONITOR, DriftAlarms, plan_drift_alarms
from infra.plan.endpoint import EndpointPlan
from infra.plan.hosting import unsupported
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues
from infra.plan.models import Waiting
from infra.plan.skipped import DISABLED, Disabled, Skipped
from infra.plan.training import TrainingPlan
from infra.prefixes import ArtifactsPrefix, Purpose


@dataclass(frozen=True, slots=True)
class QualityAlarm:
    """Alarm when a model-quality metric crosses its threshold."""

    metric: str
    threshold: float
    higher_is_better: bool  # alarm when below (accuracy, f1 …), else when above (rmse …)

    def identity(self) -> str:
        """As the job definition names have always spelled it (a tuple's repr)."""
        return repr((self.metric, self.threshold, self.higher_is_better))


@dataclass(frozen=True, slots=True)
class ModelQualityPlan:
    problem_type: ProblemType
    inference_attribute: str
    probability_attribute: str | None
    probability_threshold: float | None
    # Where labels are uploaded: the config's URI, or monitoring/<algorithm>/ground-truth/.
    ground_truth: str | ArtifactsPrefix
    alarm: QualityAlarm | None

    def __str__(self) -> str:
        return self.problem_type.value


SCHEDULE_EXPRESSIONS = {"hourly": "cron(0 * ? * * *)", "daily": "cron(0 0 ? * * *)"}
# Drift runs read the previous whole hour (or day) of capture files, which SageMaker
# writes from a buffer, by the hour the request arrived (DG "Capture data"): a run
# starting on the boundary would miss the hour's last files. Model Monitor likewise
# starts its jobs some minutes after the boundary (DG "The cron expression for
# monitoring schedule", Notes). The window itself still ends on the hour.
DRIFT_SCHEDULE_EXPRESSIONS = {"hourly": "cron(15 * ? * * *)", "daily": "cron(15 0 ? * * *)"}


@dataclass(frozen=True, slots=True)
class MonitorPlan:
    schedule: str  # hourly or daily
    capture_content_type: str
    model_quality: ModelQualityPlan | Skipped
    # Whether the jobs may name our KMS key for their volumes (not on local storage).
    encrypt_volume: bool
    sampling_percent: int = 20
    instance_type: str = "ml.m5.xlarge"
    baseline_ready: bool = False
    # Job definitions and schedules exist only once the endpoint and the baseline
    # they read do; until then, what they wait for.
    schedules: Waiting | None = None
    # CSV baseline data; None: the train channel (unsupervised CSV training) or the
    # data bucket's training/<algorithm>/baseline/.
    baseline_uri: str | None = None
    baseline_from_train_channel: bool = False
    # drift-checks (a pipeline running this project's drift job) or model-monitor.
    engine: str = MODEL_MONITOR
    # The drift alarms, with engine drift-checks only.
    drift: DriftAlarms | None = None

    @property
    def drift_checks(self) -> bool:
        return self.engine == DRIFT_CHECKS

    @property
    def schedule_expression(self) -> str:
        if self.drift_checks:
            return DRIFT_SCHEDULE_EXPRESSIONS[self.schedule]
        return SCHEDULE_EXPRESSIONS[self.schedule]


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
        return unsupported(hosting, config.enabled, "Model Monitor", name, path, issues)
    assert isinstance(hosting, HostingSpec)
    spec = hosting.monitoring
    if isinstance(spec, NotSupported):
        return unsupported(spec, config.enabled, "Model Monitor", name, path, issues)
    if config.enabled is False:
        return DISABLED
    if not isinstance(endpoint, EndpointPlan | Waiting):
        # Serverless endpoints cannot capture data (facts §11, §12).
        reason = NotSupported("monitors real-time endpoints only, and this one is off")
        return unsupported(reason, config.enabled, "Model Monitor", name, path, issues)
    drift = plan_drift_alarms(config, path, issues)
    if (
        config.engine == MODEL_MONITOR
        and region is not None
        and not is_published(MODEL_MONITOR_ANALYZER, region)
    ):
        issues.add(
            f"{path}.enabled",
            NO_VALUE,
            f"the Model Monitor analyzer is not published in {region}; set it to false",
        )
    processor = check_instance_type(
        algorithm="Model Monitor",
        use=Use.PROCESSING,
        instance_type=config.instance_type,
        processors=frozenset({Processor.CPU}),
        gpu_families=(),
        cpu_families=(),
        path=f"{path}.instance_type",
        issues=issues,
    )
    model_quality = _model_quality(
        name, spec.model_quality, config.model_quality, training, f"{path}.model_quality", issues
    )
    unsupervised = isinstance(spec.model_quality, NotSupported)
    train_is_baseline = (
        config.baseline_uri is None and unsupervised and training.content_type == "text/csv"
    )
    if processor is None:
        return NotSupported("invalid monitoring config")
    return MonitorPlan(
        schedule=config.schedule,
        capture_content_type=spec.capture_content_type,
        model_quality=model_quality,
        encrypt_volume=not has_local_storage(config.instance_type),
        sampling_percent=config.sampling_percent,
        instance_type=config.instance_type,
        baseline_ready=config.baseline_ready,
        baseline_uri=config.baseline_uri,
        baseline_from_train_channel=train_is_baseline,
        schedules=endpoint if isinstance(endpoint, Waiting) else _baseline(config),
        engine=config.engine,
        drift=drift,
    )


WAITING_FOR_BASELINE = Waiting(
    "waiting for the baseline: set monitoring.baseline_ready once the training "
    "pipeline's Baseline step has run"
)
WAITING_FOR_PROFILE = Waiting(
    "waiting for the drift reference profile: set monitoring.baseline_ready once the "
    "training pipeline's Baseline step has run with engine drift-checks (it writes "
    "baselines/<algorithm>/drift/; a Model Monitor baseline is not one)"
)


def _baseline(config: MonitoringConfig) -> Waiting | None:
    """A schedule reads the baseline from its first run: none before it exists."""
    if config.baseline_ready:
        return None
    return WAITING_FOR_PROFILE if config.engine == DRIFT_CHECKS else WAITING_FOR_BASELINE


def _model_quality(
    name: str,
    spec: ModelQualitySpec | NotSupported,
    config: ModelQualityConfig,
    training: TrainingPlan,
    path: str,
    issues: Issues,
) -> ModelQualityPlan | Skipped:
    if config.enabled is False:
        return DISABLED
    if isinstance(spec, NotSupported):
        if config.enabled:
            issues.add(f"{path}.enabled", True, f"{name} has no model quality: {spec.reason}")
        return spec
    hyperparameters = training.hyperparameter_map
    problem_type = spec.problem_type(hyperparameters)
    if problem_type is None:
        value = hyperparameters.get(spec.hyperparameter)
        reason = NotSupported(f"{spec.hyperparameter} {value} has no model-quality problem type")
        if config.enabled:
            issues.add(f"{path}.enabled", True, f"{name} has no model quality: {reason.reason}")
        return reason
    alarm = None
    metrics = MODEL_QUALITY_METRICS[problem_type]
    if config.alarm_metric is not None:
        if config.alarm_metric not in metrics:
            issues.add(
                f"{path}.alarm_metric",
                config.alarm_metric,
                f"not a {problem_type.value} model-quality metric {allowed(metrics)}",
            )
        elif config.alarm_threshold is None:
            issues.add(f"{path}.alarm_threshold", NO_VALUE, "required with alarm_metric")
        else:
            alarm = QualityAlarm(
                config.alarm_metric, config.alarm_threshold, metrics[config.alarm_metric]
            )
    elif config.alarm_threshold is not None:
        issues.add(f"{path}.alarm_metric", NO_VALUE, "required with alarm_threshold")
    binary = problem_type is ProblemType.BINARY
    return ModelQualityPlan(
        problem_type=problem_type,
        inference_attribute=config.inference_attribute or spec.inference_attribute,
        probability_attribute=(config.probability_attribute or spec.probability_attribute)
        if binary
        else None,
        probability_threshold=config.probability_threshold if binary else None,
        ground_truth=config.ground_truth_uri
        or ArtifactsPrefix(Purpose.MONITORING, name, ("ground-truth",)),
        alarm=alarm,
    )


def job_definition_identity(kind: str, monitor: MonitorPlan, digest: str) -> str:
    """What a Model Monitor job definition's name is hashed from.

    Job definitions are immutable, so a changed one needs a new name. The text is
    spelled out value by value, the way `repr((kind, monitor, digest))` read when
    these names were introduced, so live definitions keep their names while plan
    fields come and go. A value that should rename the definitions goes in here.
    """
    quality = monitor.model_quality
    if isinstance(quality, ModelQualityPlan):
        problem = quality.problem_type
        quality_text = _spelled(
            "ModelQualityPlan",
            problem_type=f"<ProblemType.{problem.name}: {problem.value!r}>",
            inference_attribute=repr(quality.inference_attribute),
            probability_attribute=repr(quality.probability_attribute),
            probability_threshold=repr(quality.probability_threshold),
            ground_truth_uri=repr(
                quality.ground_truth if isinstance(quality.ground_truth, str) else None
            ),
            alarm=quality.alarm.identity() if quality.alarm else repr(None),
        )
    elif isinstance(quality, NotSupported | Disabled):
        quality_text = _spelled(type(quality).__name__, reason=repr(quality.reason))
    else:
        quality_text = repr(quality)
    monitor_text = _spelled(
        "MonitorPlan",
        schedule=repr(monitor.schedule),
        capture_content_type=repr(monitor.capture_content_type),
        model_quality=quality_text,
        sampling_percent=repr(monitor.sampling_percent),
        instance_type=repr(monitor.instance_type),
        baseline_ready=repr(monitor.baseline_ready),
        schedules=repr(monitor.schedules),
        baseline_uri=repr(monitor.baseline_uri),
        baseline_from_train_channel=repr(monitor.baseline_from_train_channel),
    )
    return f"({kind!r}, {monitor_text}, {digest!r})"


def _spelled(name: str, **fields: str) -> str:
    return f"{name}({', '.join(f'{k}={v}' for k, v in fields.items())})"
