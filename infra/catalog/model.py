"""Types for the algorithm catalog: immutable facts, no CDK, no config.

Every entry is built from `../shared/reference/sagemaker-algorithm-facts.md`; the
module of each algorithm cites the sections it encodes.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.catalog.tuning import TuningSpec

HyperparameterValue = str | int | float | bool


class Processor(StrEnum):
    CPU = "cpu"
    GPU = "gpu"


class InputMode(StrEnum):
    FILE = "File"
    PIPE = "Pipe"
    FAST_FILE = "FastFile"


class S3Distribution(StrEnum):
    FULLY_REPLICATED = "FullyReplicated"
    SHARDED_BY_S3_KEY = "ShardedByS3Key"


class Direction(StrEnum):
    MAXIMIZE = "Maximize"
    MINIMIZE = "Minimize"


class ProblemType(StrEnum):
    """Model Monitor model-quality problem types (API: ModelQualityAppSpecification)."""

    REGRESSION = "Regression"
    BINARY = "BinaryClassification"
    MULTICLASS = "MulticlassClassification"


class ScalingType(StrEnum):
    AUTO = "Auto"
    LINEAR = "Linear"
    LOGARITHMIC = "Logarithmic"
    REVERSE_LOGARITHMIC = "ReverseLogarithmic"


class RegistryGroup(StrEnum):
    """Which per-region ECR account map an image uses (facts §1a, §1b).

    Groups are named after what they serve; `scripts/generate_tables.py` checks
    that every image in a group really has the same map in the SageMaker SDK.
    """

    FIRST_PARTY_A = "first-party-a"  # us-east-1 382416733822
    FIRST_PARTY_B = "first-party-b"  # us-east-1 811284229777
    DEEPAR = "deepar"  # us-east-1 522234722520
    LDA = "lda"  # us-east-1 766337827248, 16 regions only
    XGBOOST = "xgboost"  # framework images (XGBoost, scikit-learn), us-east-1 683313688378
    RL_RAY = "rl-ray"  # sagemaker-rl-ray-container, 13 regions
    MODEL_MONITOR = "model-monitor"  # sagemaker-model-monitor-analyzer


@dataclass(frozen=True, slots=True)
class NotSupported:
    """A capability an algorithm cannot have, and why (shown as "n/a (reason)")."""

    reason: str


@dataclass(frozen=True, slots=True)
class Condition:
    """True when a hyperparameter's value matches one of `values` (fnmatch patterns).

    `Condition("objective", ("multi:*",))` holds for `multi:softmax`; the pattern
    `"*"` holds whenever the hyperparameter is set at all.
    """

    hyperparameter: str
    values: tuple[str, ...]

    def holds(self, hyperparameters: Mapping[str, str]) -> bool:
        value = hyperparameters.get(self.hyperparameter)
        return value is not None and any(fnmatch.fnmatchcase(value, p) for p in self.values)

    def describe(self) -> str:
        return f"{self.hyperparameter} is {' or '.join(self.values)}"


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """Where an algorithm's container image lives (facts §1)."""

    sdk_framework: str  # key for sagemaker.core.image_uris.retrieve
    sdk_version: str  # version argument for retrieve ("" for the analyzer)
    repository: str
    tag: str | None  # None: the image has no tag (Model Monitor analyzer)
    registry_group: RegistryGroup
    gpu_tag: str | None = None  # for images with per-processor tags (RL)
    sdk_py_version: str | None = None

    def tag_for(self, processor: Processor) -> str | None:
        if processor is Processor.GPU and self.gpu_tag is not None:
            return self.gpu_tag
        return self.tag


@dataclass(frozen=True, slots=True)
class TrainingFormat:
    """A training content type and the input modes the algorithm takes it in.

    `input_modes` is ordered fastest first: the plan picks the first one unless
    the config asks for another.
    """

    content_type: str
    input_modes: tuple[InputMode, ...]
    # Many large files (images): read from FSx for Lustre when the stage has one.
    file_based: bool = False


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """A training channel (facts §3)."""

    name: str
    required: bool = False
    distribution: S3Distribution = S3Distribution.FULLY_REPLICATED
    # True when the algorithm accepts only `distribution` on this channel.
    distribution_fixed: bool = False
    # Content type of this channel's data: None means the job's training content
    # type, "" means the channel sends no ContentType (auxiliary files).
    content_type: str | None = None
    # Per training content type overrides of `content_type` (e.g. RCF's labelled CSV).
    content_type_for: tuple[tuple[str, str], ...] = ()
    # Training content types for which this channel exists; empty: all of them.
    only_for: tuple[str, ...] = ()
    # The channel exists only when this holds (e.g. BlazingText supervised mode).
    when: Condition | None = None
    # True for the incremental-training `model` channel.
    incremental: bool = False

    def applies_to(self, content_type: str | None, hyperparameters: Mapping[str, str]) -> bool:
        if self.only_for and content_type not in self.only_for:
            return False
        return self.when is None or self.when.holds(hyperparameters)

    def content_type_given(self, training_content_type: str | None) -> str | None:
        """The ContentType this channel sends for a job trained on `training_content_type`."""
        for train_type, channel_type in self.content_type_for:
            if train_type == training_content_type:
                return channel_type
        if self.content_type is None:
            return training_content_type
        return self.content_type or None


@dataclass(frozen=True, slots=True)
class Hyperparameter:
    """A hyperparameter the catalog sets by default (facts §8).

    `data_dependent` marks values that describe the user's dataset (feature
    counts, class counts, sample counts): the default is an example the user is
    expected to override per dataset.
    """

    name: str
    default: HyperparameterValue
    required: bool = True
    data_dependent: bool = False
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionalRequirement:
    """A hyperparameter that must be set when a condition holds (facts §8)."""

    name: str
    when: Condition | None = None
    # Only with these training content types (e.g. IC `resize` with image input).
    only_for: tuple[str, ...] = ()

    def applies(self, content_type: str | None, hyperparameters: Mapping[str, str]) -> bool:
        if self.only_for and content_type not in self.only_for:
            return False
        return self.when is None or self.when.holds(hyperparameters)

    def describe(self) -> str:
        parts = [self.when.describe()] if self.when else []
        if self.only_for:
            parts.append(f"training content type is {' or '.join(self.only_for)}")
        return " and ".join(parts)


@dataclass(frozen=True, slots=True)
class TrainingSpec:
    formats: tuple[TrainingFormat, ...]  # the first is the default
    channels: tuple[ChannelSpec, ...]
    processors: frozenset[Processor]
    multi_instance: bool
    default_instance_type: str
    # Every hyperparameter name the algorithm takes (each module cites its list); a
    # name outside it fails the training job, so the plan refuses it. None: the names
    # are the user's own (a framework entry point, as in reinforcement learning).
    hyperparameter_names: tuple[str, ...] | None = None
    hyperparameters: tuple[Hyperparameter, ...] = ()
    conditional_requirements: tuple[ConditionalRequirement, ...] = ()
    # GPU families documented for this algorithm (facts §4); CPU: any x86 family.
    gpu_families: tuple[str, ...] = ("p2", "p3", "g4dn", "g5")
    cpu_families: tuple[str, ...] = ()  # empty: any x86 CPU family
    incremental: bool = False  # facts §9: model channel from a previous artifact
    checkpointing: bool = False  # facts §9: SageMaker checkpointing, hence long spot waits
    # Whether the container trains with network isolation (facts §15: "network
    # isolation"); NotSupported says why not.
    network_isolation: bool | NotSupported = True
    notes: tuple[str, ...] = ()

    def format_for(self, content_type: str) -> TrainingFormat | None:
        return next((f for f in self.formats if f.content_type == content_type), None)

    @property
    def content_types(self) -> tuple[str, ...]:
        return tuple(f.content_type for f in self.formats)

    @property
    def default_hyperparameters(self) -> dict[str, HyperparameterValue]:
        return {h.name: h.default for h in self.hyperparameters}


@dataclass(frozen=True, slots=True)
class ModelQualitySpec:
    """How a supervised algorithm's problem type follows from its hyperparameters,
    and where its prediction sits in the response Model Monitor captures."""

    hyperparameter: str
    problem_types: tuple[tuple[str, ProblemType], ...]  # (fnmatch pattern, type)
    inference_attribute: str = "predicted_label"
    probability_attribute: str | None = None

    def problem_type(self, hyperparameters: Mapping[str, str]) -> ProblemType | None:
        value = hyperparameters.get(self.hyperparameter)
        if value is None:
            return None
        return next(
            (t for pattern, t in self.problem_types if fnmatch.fnmatchcase(value, pattern)), None
        )


@dataclass(frozen=True, slots=True)
class MonitoringSpec:
    """Model Monitor applicability for an algorithm whose inference data is tabular (§12)."""

    capture_content_type: str  # the tabular request type that capture records unencoded
    model_quality: ModelQualitySpec | NotSupported


@dataclass(frozen=True, slots=True)
class HostingSpec:
    """Real-time and serverless inference facts (facts §5, §11, §12)."""

    request_content_types: tuple[str, ...]
    accept_types: tuple[str, ...]
    processors: frozenset[Processor]
    default_instance_type: str
    serverless: NotSupported | None  # None: serverless is possible
    monitoring: MonitoringSpec | NotSupported
    gpu_families: tuple[str, ...] = ("p2", "p3", "g4dn", "g5")
    cpu_families: tuple[str, ...] = ()  # empty: any x86 CPU family
    environment: tuple[tuple[str, str], ...] = ()
    # True when the endpoint can score a Kinesis stream of CSV records (RCF).
    stream_scoring: bool = False
    # The hyperparameter that fixes how many features each scored record carries.
    feature_count_hyperparameter: str | None = None


@dataclass(frozen=True, slots=True)
class Algorithm:
    """One catalog entry: everything the project knows about an algorithm."""

    name: str  # the config key, e.g. "linear-learner"
    title: str
    image: ImageSpec
    training: TrainingSpec
    tuning: TuningSpec | NotSupported
    hosting: HostingSpec | NotSupported
    built_in: bool = True  # False for framework-based RL
    # Framework images to choose from (name -> image); the first is the default.
    frameworks: tuple[tuple[str, ImageSpec], ...] = ()
    sources: tuple[str, ...] = field(default=())

    @property
    def images(self) -> tuple[ImageSpec, ...]:
        """Every image this entry can use (checked against the SDK by the generator)."""
        return (self.image, *(image for _, image in self.frameworks if image != self.image))
