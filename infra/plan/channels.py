"""Training input: which channels a job reads, and from where (S3 or FSx for Lustre)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infra.catalog import CATALOG
from infra.catalog.model import Algorithm, ChannelSpec, InputMode, S3Distribution, TrainingFormat
from infra.config.training import TrainingConfig
from infra.errors import allowed
from infra.plan.issues import Issues


@dataclass(frozen=True, slots=True)
class ChannelPlan:
    name: str
    required: bool
    content_type: str | None
    distribution: S3Distribution
    input_mode: InputMode
    from_file_system: bool = False  # FSx for Lustre instead of S3
    incremental: bool = False  # the `model` channel: an earlier model.tar.gz
    compression: str = "None"  # "Gzip" on Pipe-mode data channels


class DataSource(StrEnum):
    S3 = "s3"
    FSX = "fsx"


def plan_data_source(
    name: str,
    config: TrainingConfig,
    training_format: TrainingFormat | None,
    input_mode: InputMode,
    fsx_available: bool,
    path: str,
    issues: Issues,
) -> tuple[DataSource, InputMode]:
    """S3, or FSx for Lustre: always File mode, for file-based data by default."""
    if config.data_source == DataSource.FSX:
        if not fsx_available:
            issues.add(
                f"{path}.data_source",
                "fsx",
                "the stage has no FSx for Lustre file system (fsx.enabled is false)",
            )
        if config.input_mode not in (None, InputMode.FILE.value):
            issues.add(
                f"{path}.input_mode",
                config.input_mode,
                "FSx for Lustre channels must use File mode (allowed: File)",
            )
        return DataSource.FSX, InputMode.FILE
    file_based = training_format is not None and training_format.file_based
    if config.data_source is None and fsx_available and file_based and input_mode is InputMode.FILE:
        return DataSource.FSX, InputMode.FILE
    return DataSource.S3, input_mode


def _channel_plan(
    channel: ChannelSpec,
    content_type: str | None,
    mode: InputMode,
    source: DataSource,
    compression: str,
) -> ChannelPlan:
    channel_type = channel.content_type_given(content_type)
    # Auxiliary files (vocabularies, label maps) and models are read whole.
    data = channel_type == content_type and not channel.incremental
    channel_mode = mode if data else InputMode.FILE
    return ChannelPlan(
        name=channel.name,
        required=channel.required,
        content_type=channel_type,
        distribution=channel.distribution,
        input_mode=channel_mode,
        from_file_system=source is DataSource.FSX and not channel.incremental,
        incremental=channel.incremental,
        compression=compression if channel_mode is InputMode.PIPE else "None",
    )


def plan_channels(
    algorithm: Algorithm,
    config: TrainingConfig,
    content_type: str | None,
    hyperparameters: dict[str, str],
    mode: InputMode,
    source: DataSource,
    path: str,
    issues: Issues,
) -> tuple[tuple[ChannelPlan, ...], tuple[ChannelPlan, ...]]:
    spec, name = algorithm.training, algorithm.name
    applicable = [
        c
        for c in spec.channels
        if not c.incremental and c.applies_to(content_type, hyperparameters)
    ]
    names = [c.name for c in applicable]
    wanted = set(config.channels or ())
    for unknown in sorted(wanted - set(names)):
        issues.add(f"{path}.channels", unknown, f"not a {name} channel here {allowed(names)}")
    if config.channels is not None:
        for channel in applicable:
            if channel.required and channel.name not in wanted:
                issues.add(
                    f"{path}.channels",
                    config.channels,
                    f"{name} requires the {channel.name} channel",
                )
    chosen = [c for c in applicable if c.required or c.name in wanted]
    optional = [c for c in applicable if c not in chosen]

    if config.incremental_from is not None:
        model = next((c for c in spec.channels if c.incremental), None)
        if model is None:
            incremental = [a.name for a in CATALOG.values() if a.training.incremental]
            issues.add(
                f"{path}.incremental_from",
                config.incremental_from,
                f"{name} has no incremental training (offered for {', '.join(incremental)})",
            )
        else:
            chosen.append(model)

    def render(channels: list[ChannelSpec]) -> tuple[ChannelPlan, ...]:
        return tuple(
            _channel_plan(c, content_type, mode, source, config.compression) for c in channels
        )

    return render(chosen), render(optional)
