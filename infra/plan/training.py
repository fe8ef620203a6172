"""Training decisions: instance, content type, input mode, hyperparameters, channels."""

from __future__ import annotations

from infra.catalog.instances import Use
from infra.catalog.model import Algorithm, HyperparameterValue, InputMode
from infra.config.model import TrainingConfig
from infra.errors import NO_VALUE, allowed
from infra.plan.instances import check_instance_type
from infra.plan.issues import Issues
from infra.plan.model import ChannelPlan, TrainingPlan


def hyperparameter_string(value: HyperparameterValue) -> str:
    """SageMaker takes hyperparameters as strings; booleans as `true`/`false`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def plan_training(
    algorithm: Algorithm, config: TrainingConfig, path: str, issues: Issues
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

    content_type, input_mode = _content_type_and_mode(algorithm, config, path, issues)

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

    if len(issues.items) > before or processor is None:
        return None
    channels = tuple(
        ChannelPlan(
            name=channel.name,
            required=channel.required,
            content_type=channel.content_type_given(content_type),
            distribution=channel.distribution,
            # Auxiliary files (vocabularies, label maps) are read whole: File mode.
            input_mode=input_mode
            if channel.content_type_given(content_type) == content_type
            else InputMode.FILE,
        )
        for channel in spec.channels
        if not channel.incremental and channel.applies_to(content_type, hyperparameters)
    )
    return TrainingPlan(
        instance_type=instance_type,
        instance_count=instance_count,
        processor=processor,
        content_type=content_type,
        input_mode=input_mode,
        hyperparameters=tuple(sorted(hyperparameters.items())),
        channels=channels,
    )


def _content_type_and_mode(
    algorithm: Algorithm, config: TrainingConfig, path: str, issues: Issues
) -> tuple[str | None, InputMode]:
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
        return None, InputMode.FILE

    content_type = config.content_type or spec.formats[0].content_type
    training_format = spec.format_for(content_type)
    if training_format is None:
        issues.add(
            f"{path}.content_type",
            content_type,
            f"{name} does not train on this content type {allowed(spec.content_types)}",
        )
        return content_type, InputMode.FILE
    if config.input_mode is None:
        return content_type, training_format.input_modes[0]
    mode = InputMode(config.input_mode)
    if mode not in training_format.input_modes:
        issues.add(
            f"{path}.input_mode",
            config.input_mode,
            f"{name} takes {content_type} in "
            f"{' or '.join(m.value for m in training_format.input_modes)} mode only "
            f"{allowed(m.value for m in training_format.input_modes)}",
        )
    return content_type, mode
