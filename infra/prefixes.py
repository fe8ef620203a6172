"""The S3 prefix convention every stack uses instead of inventing paths.

Purpose first, then algorithm: `capture/xgboost/…`. Lifecycle rules filter on
key prefixes only, so purpose-first keys let one rule age out all data capture
(or all monitoring reports) across algorithms.

| bucket    | prefix                      | what                                   |
|-----------|-----------------------------|----------------------------------------|
| data      | training/<algorithm>/       | training, validation and test channels |
| artifacts | checkpoints/<algorithm>/    | managed-spot checkpoints               |
| artifacts | models/<algorithm>/         | model.tar.gz from training jobs        |
| artifacts | capture/<algorithm>/        | endpoint data capture (aged out)       |
| artifacts | baselines/<algorithm>/      | Model Monitor statistics/constraints   |
| artifacts | monitoring/<algorithm>/     | Model Monitor reports (aged out)       |
"""

from __future__ import annotations

from enum import StrEnum


class Purpose(StrEnum):
    TRAINING = "training"
    CHECKPOINTS = "checkpoints"
    MODELS = "models"
    CAPTURE = "capture"
    BASELINES = "baselines"
    MONITORING = "monitoring"


DATA_BUCKET_PURPOSES = frozenset({Purpose.TRAINING})


def prefix(purpose: Purpose, algorithm: str | None = None) -> str:
    """`purpose/` or `purpose/algorithm/`, always ending in a slash."""
    return f"{purpose.value}/" if algorithm is None else f"{purpose.value}/{algorithm}/"
