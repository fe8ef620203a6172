"""Training job overrides."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from infra.catalog.limits import (
    API_INTEGER_MAX,
    MAX_RUNTIME_SECONDS,
    TRAINING_MAX_INSTANCES,
    TRAINING_MAX_VOLUME_GB,
)
from infra.catalog.model import InputMode
from infra.config.fields import S3ObjectUri, ScheduleExpression, Strict

HyperparameterValue = Annotated[str | int | float | bool, Field(union_mode="left_to_right")]

InputModeName = Literal[tuple(mode.value for mode in InputMode)]  # type: ignore[misc]


def _inside(path: str) -> str:
    if path.startswith("/") or ".." in path.split("/"):
        raise ValueError("must be a relative path inside the source tarball (no leading / or ..)")
    return path


# A file inside a source tarball: relative, never climbing out of it.
RelativePath = Annotated[str, Field(pattern=r"^\S+$"), AfterValidator(_inside)]


class TrainingConfig(Strict):
    """Overrides for the training job definition."""

    instance_type: str | None = None
    instance_count: Annotated[int, Field(ge=1, le=TRAINING_MAX_INSTANCES)] | None = None
    content_type: str | None = None
    input_mode: InputModeName | None = None
    hyperparameters: dict[str, HyperparameterValue] = Field(default_factory=dict)
    # Gzip-compressed data channels: Pipe mode only (File mode reads files as they are).
    compression: Literal["None", "Gzip"] = "None"
    # Unset: FSx for file-based (image) data when the stage has FSx, else S3.
    data_source: Literal["s3", "fsx"] | None = None
    # Channels to feed; unset: the required ones (tuning adds its metric's channel).
    channels: list[str] | None = None
    volume_size_gb: Annotated[int, Field(ge=1, le=TRAINING_MAX_VOLUME_GB)] = 50
    max_runtime_seconds: Annotated[int, Field(ge=1, le=MAX_RUNTIME_SECONDS)] = 86400
    # Managed spot; unset: on for algorithms that checkpoint, off for the others.
    spot: bool | None = None
    max_wait_seconds: Annotated[int, Field(ge=1, le=API_INTEGER_MAX)] | None = None
    # A model.tar.gz from an earlier run: incremental training (image algorithms).
    incremental_from: S3ObjectUri | None = None
    # Frameworks (reinforcement learning): which framework image, and the entry
    # point inside source_uri's tarball.
    framework: str | None = None
    entry_point: RelativePath | None = None
    source_uri: S3ObjectUri | None = None
    schedule: ScheduleExpression | None = None
