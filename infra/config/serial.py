"""Inference pipeline containers (`endpoint.pipeline`): preprocessors before (or after)
the algorithm, run in sequence as one model."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from infra.config.fields import S3ObjectUri, Strict

# ContainerDefinition.ContainerHostname: up to 63 letters, digits and hyphens.
ContainerName = Annotated[str, Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")]
ContentType = Annotated[str, Field(pattern=r"^[a-z]+/[a-z0-9.+-]+$")]
EnvName = Annotated[str, Field(pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$")]

ALGORITHM_SLOT = "algorithm"
"""How a pipeline names the algorithm's own container: `pipeline: [{…}, algorithm]`."""


class PipelineContainerConfig(Strict):
    """A framework container from the SageMaker image registry, with its own model."""

    name: ContainerName
    framework: str  # the SDK's framework name, e.g. sklearn
    version: str  # e.g. "1.2-1"
    model_uri: S3ObjectUri  # its model.tar.gz (e.g. a fitted featurizer and its code)
    environment: dict[EnvName, str] = Field(default_factory=dict)
    # What it reads, and what it hands to the next container (unset for the last one).
    content_types: list[ContentType] = Field(min_length=1)
    emits: ContentType | None = None


PipelineEntry = PipelineContainerConfig | Literal["algorithm"]
