"""Batch transform facts: what each hostable algorithm reads and writes offline, and the
limits of CreateTransformJob.

Sources: facts §5 (per-algorithm inference formats and the batch rule: "use Accept:
application/jsonlines where supported"; SplitType RecordIO for recordio-protobuf, Line
for text/csv and application/jsonlines, None for application/json and images), the
developer guide's per-algorithm "Inference" pages cited there (DG:<page>), and the API
reference of CreateTransformJob (botocore's SageMaker model: MaxPayloadInMB,
MaxConcurrentTransforms, BatchStrategy, DataProcessing) and DG:batch-transform-data-
processing ("You can use input files in JSON and CSV format only" for joins).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infra.catalog.algorithms._common import (
    CSV,
    IMAGE_TYPES,
    JPEG,
    JSON,
    JSONLINES,
    LIBSVM,
    PNG,
    RECORDIO_PROTOBUF,
    X_IMAGE,
)

# CreateTransformJob (API reference): "The value of MaxPayloadInMB cannot be greater than
# 100 MB. If you specify the MaxConcurrentTransforms parameter, the value of
# (MaxConcurrentTransforms * MaxPayloadInMB) also cannot exceed 100 MB." The default is
# 6 MB; 0 (HTTP chunked encoding) "works only in supported algorithms. Currently, Amazon
# SageMaker built-in algorithms do not support HTTP chunked encoding."
MAX_PAYLOAD_MB = 100
DEFAULT_PAYLOAD_MB = 6
# TransformResources.InstanceCount: "The default value is 1, and the maximum is 100."
MAX_INSTANCE_COUNT = 100
# DataProcessing.InputFilter / OutputFilter: JSONPath, at most 63 characters.
MAX_FILTER_LENGTH = 63


class SplitType(StrEnum):
    NONE = "None"
    LINE = "Line"
    RECORDIO = "RecordIO"


class BatchStrategy(StrEnum):
    MULTI_RECORD = "MultiRecord"
    SINGLE_RECORD = "SingleRecord"


# Facts §5, batch rule (DG:cdf-inference). text/libsvm is one record per line like CSV
# (DERIVED: the libsvm format is line-based; xgboost reads it line by line).
_SPLIT = {
    RECORDIO_PROTOBUF: SplitType.RECORDIO,
    CSV: SplitType.LINE,
    JSONLINES: SplitType.LINE,
    LIBSVM: SplitType.LINE,
    JSON: SplitType.NONE,
    **dict.fromkeys(IMAGE_TYPES, SplitType.NONE),
}

# DG:batch-transform-data-processing: joins (JoinSource Input, InputFilter, OutputFilter)
# take JSON and CSV input only.
JOINABLE = frozenset({CSV, JSON, JSONLINES})
# Outputs assembled one record per line (AssembleWith Line); binary outputs (RecordIO,
# PNG masks) and whole-object JSON are written as they come (AssembleWith None).
LINE_OUTPUTS = frozenset({CSV, JSONLINES})


def split_type(content_type: str) -> SplitType:
    """How batch transform splits input of `content_type` into records (facts §5)."""
    return _SPLIT[content_type]


@dataclass(frozen=True, slots=True)
class TransformSpec:
    """What one algorithm's model takes and returns in a batch transform job.

    `content_types` and `accept_types` are ordered: the first is the plan's default.
    `batch_strategies`: those the algorithm takes for split input, the first the default
    (empty for images, which are never split: BatchStrategy needs a SplitType).
    """

    content_types: tuple[str, ...]
    accept_types: tuple[str, ...]
    batch_strategies: tuple[BatchStrategy, ...] = (
        BatchStrategy.MULTI_RECORD,
        BatchStrategy.SINGLE_RECORD,
    )
    sources: tuple[str, ...] = ()


TRANSFORM: dict[str, TransformSpec] = {
    "linear-learner": TransformSpec(
        (CSV, RECORDIO_PROTOBUF, JSON),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:linear-learner", "DG:LL-in-formats"),
    ),
    "xgboost": TransformSpec(
        # CSV out first: a joined CSV row stays CSV (the score appended to the input).
        (CSV, LIBSVM, RECORDIO_PROTOBUF),
        (CSV, JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:xgboost", "DG:cdf-inference", "XGBC:algorithm_mode/serve_utils.py"),
    ),
    # Facts §5: "batch transform: application/jsonlines in and out".
    "seq2seq": TransformSpec((JSONLINES,), (JSONLINES,), sources=("DG:seq-2-seq",)),
    # Facts §5: JSON Lines, "BatchStrategy=SingleRecord, SplitType=Line".
    "forecasting-deepar": TransformSpec(
        (JSONLINES,),
        (JSONLINES,),
        batch_strategies=(BatchStrategy.SINGLE_RECORD,),
        sources=("DG:deepar", "DG:deepar-in-formats"),
    ),
    # Facts §5: "batch: application/jsonlines (both)".
    "blazingtext": TransformSpec((JSONLINES,), (JSONLINES,), sources=("DG:blazingtext",)),
    "object2vec": TransformSpec(
        (JSONLINES, JSON), (JSONLINES, JSON), sources=("DG:object2vec-inference-formats",)
    ),
    # Images: one image per request (SplitType None), a JSON result per image.
    "object-detection": TransformSpec(
        (X_IMAGE,), (JSON,), batch_strategies=(), sources=("DG:object-detection",)
    ),
    "image-classification": TransformSpec(
        (X_IMAGE, JPEG, PNG),
        (JSONLINES, JSON),  # facts §5: "JSON Lines for batch"
        batch_strategies=(),
        sources=("DG:image-classification",),
    ),
    "semantic-segmentation": TransformSpec(
        (JPEG,),
        (PNG, RECORDIO_PROTOBUF),
        batch_strategies=(),
        sources=("DG:semantic-segmentation",),
    ),
    "randomcutforest": TransformSpec(
        (CSV, RECORDIO_PROTOBUF, JSON),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:randomcutforest", "DG:rcf-in-formats"),
    ),
    "ntm": TransformSpec(
        (CSV, JSONLINES, JSON, RECORDIO_PROTOBUF),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:ntm", "DG:ntm-in-formats"),
    ),
    "lda": TransformSpec(
        (CSV, JSON, RECORDIO_PROTOBUF), (JSON, RECORDIO_PROTOBUF), sources=("DG:lda",)
    ),
    # Facts §5: "batch: application/jsonlines in and out".
    "knn": TransformSpec(
        (JSONLINES, CSV, JSON, RECORDIO_PROTOBUF),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:k-nearest-neighbors", "DG:kNN-inference-formats"),
    ),
    "kmeans": TransformSpec(
        (CSV, JSON, RECORDIO_PROTOBUF),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:k-means", "DG:cdf-inference"),
    ),
    "pca": TransformSpec(
        (CSV, JSON, RECORDIO_PROTOBUF),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:pca", "DG:PCA-in-formats"),
    ),
    # Facts §5: "CSV is not supported for Factorization Machines".
    "factorization-machines": TransformSpec(
        (RECORDIO_PROTOBUF, JSON),
        (JSONLINES, JSON, RECORDIO_PROTOBUF),
        sources=("DG:fact-machines", "DG:fm-in-formats", "DG:cdf-inference"),
    ),
    "ipinsights": TransformSpec(
        (CSV, JSONLINES, JSON), (JSONLINES, JSON), sources=("DG:ip-insights",)
    ),
}
"""Every hostable algorithm's batch transform facts, by config name."""
