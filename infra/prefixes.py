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
| artifacts | baselines/<algorithm>/      | Model Monitor statistics/constraints;  |
|           |                             | drift/: the drift checks' profile      |
| artifacts | monitoring/<algorithm>/     | monitoring reports, one prefix per     |
|           |                             | drift run (aged out)                   |
| data      | transform/<algorithm>/      | batch transform input                  |
| artifacts | transform/<algorithm>/      | batch transform results, one per run   |
| artifacts | async/<algorithm>/          | asynchronous results and failures      |
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Purpose(StrEnum):
    TRAINING = "training"
    CHECKPOINTS = "checkpoints"
    MODELS = "models"
    CAPTURE = "capture"
    BASELINES = "baselines"
    MONITORING = "monitoring"
    TRANSFORM = "transform"
    ASYNC = "async"


def prefix(purpose: Purpose, algorithm: str | None = None) -> str:
    """`purpose/` or `purpose/algorithm/`, always ending in a slash."""
    return f"{purpose.value}/" if algorithm is None else f"{purpose.value}/{algorithm}/"


def s3_uri(bucket: str, purpose: Purpose, algorithm: str, *rest: str) -> str:
    """`s3://bucket/purpose/algorithm/rest…/` (a prefix, ending in a slash)."""
    tail = "".join(f"{part}/" for part in rest)
    return f"s3://{bucket}/{prefix(purpose, algorithm)}{tail}"


@dataclass(frozen=True, slots=True)
class ArtifactsPrefix:
    """A prefix in the stage's artifacts bucket, whose name a plan cannot know."""

    purpose: Purpose
    algorithm: str
    parts: tuple[str, ...] = ()

    def uri(self, artifacts_bucket: str) -> str:
        return s3_uri(artifacts_bucket, self.purpose, self.algorithm, *self.parts)

    @property
    def key(self) -> str:
        """The key prefix inside the bucket, ending in a slash."""
        return prefix(self.purpose, self.algorithm) + "".join(f"{p}/" for p in self.parts)


def async_key(algorithm: str, part: str) -> str:
    """`async/<algorithm>/<part>/`: an asynchronous endpoint's input, output or failures."""
    return ArtifactsPrefix(Purpose.ASYNC, algorithm, (part,)).key


def fsx_directory(mount_name: str, algorithm: str, channel: str) -> str:
    """Where a channel's training data appears on the stage's Lustre file system.

    The file system's root is linked to the data bucket's `training/` prefix (SCRATCH_2
    by its import path, PERSISTENT_2 by a data repository association at `/`), so
    `s3://<data>/training/<algorithm>/<channel>/` is `/<mount>/<algorithm>/<channel>`.
    SageMaker wants DirectoryPath to start with the mount name (facts §13).
    """
    return f"/{mount_name}/{algorithm}/{channel}"
