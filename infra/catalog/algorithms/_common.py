"""Vocabulary shared by the algorithm modules: content types, modes, helpers."""

from __future__ import annotations

from infra.catalog.model import (
    ChannelSpec,
    Condition,
    Direction,
    ImageSpec,
    InputMode,
    Processor,
    RegistryGroup,
    S3Distribution,
    TrainingFormat,
)
from infra.catalog.tuning import CategoricalRange, ContinuousRange, IntegerRange, MetricSpec

# Content types (facts §2, §5).
RECORDIO_PROTOBUF = "application/x-recordio-protobuf"
CSV = "text/csv"
LIBSVM = "text/libsvm"
PARQUET = "application/x-parquet"
JSON = "application/json"
JSONLINES = "application/jsonlines"
RECORDIO = "application/x-recordio"
X_IMAGE = "application/x-image"
JPEG = "image/jpeg"
PNG = "image/png"
TEXT = "text/plain"
SAGEMAKER_MODEL = "application/x-sagemaker-model"
IMAGE_TYPES = (JPEG, PNG, X_IMAGE)

CPU_ONLY = frozenset({Processor.CPU})
GPU_ONLY = frozenset({Processor.GPU})
CPU_AND_GPU = frozenset({Processor.CPU, Processor.GPU})

# Pipe streams the data instead of downloading it first, so where both modes are
# documented Pipe comes first (the plan's default). FastFile is documented for no
# pinned 1P image (facts §2, CONFLICT/UNCONFIRMED #7), so no entry offers it.
PIPE_OR_FILE = (InputMode.PIPE, InputMode.FILE)
FILE_ONLY = (InputMode.FILE,)

TEST_CHANNEL = ChannelSpec("test")
VALIDATION_CHANNEL = ChannelSpec("validation")
TRAIN_CHANNEL = ChannelSpec("train", required=True)

# Incremental training (facts §9): File mode, FullyReplicated, SageMaker model artifact.
MODEL_CHANNEL = ChannelSpec(
    "model",
    distribution_fixed=True,
    content_type=SAGEMAKER_MODEL,
    incremental=True,
)


def first_party_image(repository: str, group: RegistryGroup) -> ImageSpec:
    """A 1P algorithm image: repository named like the SDK key, single version `1`."""
    return ImageSpec(
        sdk_framework=repository,
        sdk_version="1",
        repository=repository,
        tag="1",
        registry_group=group,
    )


def formats(*pairs: tuple[str, tuple[InputMode, ...]]) -> tuple[TrainingFormat, ...]:
    """Training formats; image content types are file-based (FSx when available)."""
    return tuple(
        TrainingFormat(content_type, modes, file_based=content_type in IMAGE_TYPES)
        for content_type, modes in pairs
    )


def when(hyperparameter: str, *values: str) -> Condition:
    return Condition(hyperparameter, values)


def maximize(name: str, condition: Condition | None = None) -> MetricSpec:
    return MetricSpec(name, Direction.MAXIMIZE, condition)


def minimize(name: str, condition: Condition | None = None) -> MetricSpec:
    return MetricSpec(name, Direction.MINIMIZE, condition)


def integer(name: str, lo: int, hi: int, condition: Condition | None = None) -> IntegerRange:
    return IntegerRange(name, lo, hi, when=condition)


def continuous(
    name: str, lo: float, hi: float, condition: Condition | None = None
) -> ContinuousRange:
    return ContinuousRange(name, lo, hi, when=condition)


def categorical(name: str, *values: str, condition: Condition | None = None) -> CategoricalRange:
    return CategoricalRange(name, values, when=condition)


__all__ = [
    "CPU_AND_GPU",
    "CPU_ONLY",
    "CSV",
    "FILE_ONLY",
    "GPU_ONLY",
    "IMAGE_TYPES",
    "JPEG",
    "JSON",
    "JSONLINES",
    "LIBSVM",
    "MODEL_CHANNEL",
    "PARQUET",
    "PIPE_OR_FILE",
    "PNG",
    "RECORDIO",
    "RECORDIO_PROTOBUF",
    "SAGEMAKER_MODEL",
    "TEST_CHANNEL",
    "TEXT",
    "TRAIN_CHANNEL",
    "VALIDATION_CHANNEL",
    "X_IMAGE",
    "S3Distribution",
    "categorical",
    "continuous",
    "first_party_image",
    "formats",
    "integer",
    "maximize",
    "minimize",
    "when",
]
