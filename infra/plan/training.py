"""Training decisions: instance, data format and source, channels, hyperparameters
(spot and framework entry points: `infra.plan.job_options`)."""

from __future__ import annotations

from dataclasses import dataclass

from infra.catalog.instances import Use, has_local_storage
from infra.catalog.model import (
    Algorithm,
    HyperparameterValue,
    ImageSpec,
    InputMode,
    Processor,
    TrainingFormat,
)
from infra.config.training import TrainingConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.channels import ChannelPlan, DataSource, plan_channels, plan_data_source
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues
from infra.plan.job_options import FrameworkPlan, SpotPlan, plan_framework, plan_spot


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    instance_type: str
    instance_count: int
    processor: Processor
    image: ImageSpec  # the framework's (reinforcement learning), else the algorithm's
    content_type: str | None  # None: the algorithm reads no training data format
    input_mode: InputMode
    hyperparameters: tuple[tuple[str, str], ...]  # sorted by name; API values are strings
    channels: tuple[ChannelPlan, ...]
    # Whether the job may name our KMS key for its volume (not on local storage).
    encrypt_volume: bool
    # Encrypted traffic between instances, wherever the algorithm can run on several.
    inter_container_encryption: bool
    # FSx for Lustre is single-AZ: a job reading it runs in the file system's subnet only.
    in_file_system_subnet: bool
    # The catalog's: every built-in trains isolated; the RL containers cannot.
    network_isolation: bool
    # Channels the config did not pin; tuning may add its objective's channel.
    optional_channels: tuple[ChannelPlan, ...] = ()
    channels_pinned: bool = False
    data_source: DataSource = DataSource.S3
    volume_size_gb: int = 50
    max_runtime_seconds: int = 86400
    spot: SpotPlan | None = None
    incremental_from: str | None = None
    framework: FrameworkPlan | None = None
    # Hyperparameters that describe the dataset: pipeline parameters, set per run.
    data_dependent: tuple[str, ...] = ()
    schedule: str | None = None

    @property
    def hyperparameter_map(self) -> dict[str, str]:
        return dict(self.hyperparameters)

    @property
    def distributed(self) -> bool:
        return self.instance_count > 1


def hyperparameter_string(value: HyperparameterValue) -> str:
    """SageMaker takes hyperparameters as strings; booleans as `true`/`false`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def plan_training(
    algorithm: Algorithm,
    config: TrainingConfig,
    path: str,
    issues: Issues,
    *,
    fsx_available: bool = False,
) -> TrainingPlan | None:
    """The training plan, or None (with issues recorded) when the config is unusable."""
    spec, name = algorithm.training, algorithm.name
    before = len(issues.items)

    instance_type = config.instance_type or spec.default_instance_type
    processor = check_instance_type(
        algorithm=name,
        use=Use.TRAINING,
        instance_type=instance_type,
        processors=spec.processors,
        gpu_families=spec.gpu_families,
        cpu_families=spec.cpu_families,
        path=f"{path}.instance_type",
        issues=issues,
    )
    instance_count = config.instance_count or 1
    if instance_count > 1 and not spec.multi_instance:
        issues.add(
            f"{path}.instance_count",
            instance_count,
            f"{name} trains on a single instance (allowed: 1)",
        )

    training_format, content_type, input_mode = _format_and_mode(algorithm, config, path, issues)
    data_source, input_mode = plan_data_source(
        name, config, training_format, input_mode, fsx_available, path, issues
    )
    hyperparameters = _hyperparameters(algorithm, config, content_type, path, issues)
    if config.compression != "None" and input_mode is not InputMode.PIPE:
        issues.add(
            f"{path}.compression",
            config.compression,
            f"compression applies to Pipe mode only; this job reads {input_mode.value} mode "
            "(allowed: None)",
        )
    chosen, optional = plan_channels(
        algorithm, config, content_type, hyperparameters, input_mode, data_source, path, issues
    )
    spot = plan_spot(algorithm, config, path, issues)
    framework = plan_framework(algorithm, config, path, issues)

    if len(issues.items) > before or processor is None:
        return None
    return TrainingPlan(
        instance_type=instance_type,
        instance_count=instance_count,
        processor=processor,
        image=framework.image if framework is not None else algorithm.image,
        content_type=content_type,
        input_mode=input_mode,
        hyperparameters=tuple(sorted(hyperparameters.items())),
        channels=chosen,
        encrypt_volume=not has_local_storage(instance_type),
        # The instance count is a run-time parameter, so encrypt whenever the
        # algorithm can run on several instances, not only when the default does.
        inter_container_encryption=instance_count > 1 or spec.multi_instance,
        in_file_system_subnet=any(c.from_file_system for c in chosen),
        network_isolation=spec.network_isolation is True,
        optional_channels=optional,
        channels_pinned=config.channels is not None,
        data_source=data_source,
        volume_size_gb=config.volume_size_gb,
        max_runtime_seconds=config.max_runtime_seconds,
        spot=spot,
        incremental_from=config.incremental_from,
        framework=framework,
        data_dependent=tuple(h.name for h in spec.hyperparameters if h.data_dependent),
        schedule=config.schedule,
    )


def _format_and_mode(
    algorithm: Algorithm, config: TrainingConfig, path: str, issues: Issues
) -> tuple[TrainingFormat | None, str | None, InputMode]:
    spec, name = algorithm.training, algorithm.name
    if not spec.formats:
        # Framework entry points (RL) read whatever they like; nothing to choose.
        if config.content_type is not None:
            issues.add(
                f"{path}.content_type",
                config.content_type,
                f"{name} runs an entry point and takes no training content type",
            )
        if config.input_mode not in (None, InputMode.FILE.value):
            issues.add(f"{path}.input_mode", config.input_mode, f"{name} takes File mode only")
        return None, None, InputMode.FILE

    content_type = config.content_type or spec.formats[0].content_type
    training_format = spec.format_for(content_type)
    if training_format is None:
        issues.add(
            f"{path}.content_type",
            content_type,
            f"{name} does not train on this content type {allowed(spec.content_types)}",
        )
        return None, content_type, InputMode.FILE
    if config.input_mode is None:
        return training_format, content_type, training_format.input_modes[0]
    mode = InputMode(config.input_mode)
    if mode not in training_format.input_modes:
        modes = [m.value for m in training_format.input_modes]
        issues.add(
            f"{path}.input_mode",
            config.input_mode,
            f"{name} takes {content_type} in {' or '.join(modes)} mode only {allowed(modes)}",
        )
    return training_format, content_type, mode


def _hyperparameters(
    algorithm: Algorithm,
    config: TrainingConfig,
    content_type: str | None,
    path: str,
    issues: Issues,
) -> dict[str, str]:
    spec, name = algorithm.training, algorithm.name
    if spec.hyperparameter_names is not None:
        for unknown in sorted(set(config.hyperparameters) - set(spec.hyperparameter_names)):
            issues.add(
                f"{path}.hyperparameters.{unknown}",
                NO_VALUE,
                f"not a {name} hyperparameter {allowed(spec.hyperparameter_names)}",
            )
    hyperparameters = {
        key: hyperparameter_string(value)
        for key, value in {**spec.default_hyperparameters, **config.hyperparameters}.items()
    }
    for hyperparameter in spec.hyperparameters:
        value = hyperparameters[hyperparameter.name]
        if hyperparameter.allowed and value not in hyperparameter.allowed:
            issues.add(
                f"{path}.hyperparameters.{hyperparameter.name}",
                value,
                f"not a {name} {hyperparameter.name} {allowed(hyperparameter.allowed)}",
            )
    for requirement in spec.conditional_requirements:
        if requirement.applies(content_type, hyperparameters) and (
            requirement.name not in hyperparameters
        ):
            issues.add(
                f"{path}.hyperparameters.{requirement.name}",
                NO_VALUE,
                f"{name} requires it when {requirement.describe()}",
            )
    return hyperparameters
