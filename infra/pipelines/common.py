"""What every SageMaker request in a pipeline shares: the resources it names, its
parameters, and the JSON it is built from (no CDK).

Values that come from other resources (role, buckets, key, subnets, image) are
passed in as strings: CDK tokens in a stack, placeholders in tests. Values a
pipeline run may change are pipeline parameters (`{"Get": "Parameters.X"}`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class FsxMount:
    """The stage's FSx for Lustre file system, for training channels read from it."""

    file_system_id: str
    mount_name: str
    subnet_id: str  # the file system's, single-AZ


@dataclass(frozen=True)
class ModelRegistry:
    """Where the RegisterModel step puts models, and the image they are served with."""

    group: str
    inference_image: str


@dataclass(frozen=True)
class Baseline:
    """The Baseline step's image: Model Monitor's analyzer (engine model-monitor) or
    this project's drift image (engine drift-checks, `drift_image`)."""

    analyzer_image: str | None = None
    drift_image: str | None = None


@dataclass(frozen=True)
class JobResources:
    """What the requests refer to; strings (CDK tokens when rendered in a stack).

    The optional parts are present exactly where the plan uses them: `fsx` for
    channels on FSx, `registry` with a registration plan, `baseline` with Model Monitor.
    """

    region: str
    job_role_arn: str
    training_image: str
    data_bucket: str
    artifacts_bucket: str
    kms_key_arn: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    fsx: FsxMount | None = None
    registry: ModelRegistry | None = None
    baseline: Baseline | None = None


def get(path: str) -> Json:
    return {"Get": path}


@dataclass
class PipelineParameters:
    """The pipeline's parameters, collected as the requests refer to them."""

    items: list[Json] = field(default_factory=list)

    def _add(self, name: str, kind: str, default: object) -> Json:
        if all(p["Name"] != name for p in self.items):
            self.items.append({"Name": name, "Type": kind, "DefaultValue": default})
        return get(f"Parameters.{name}")

    def string(self, name: str, default: str) -> Json:
        return self._add(name, "String", default)

    def integer(self, name: str, default: int) -> Json:
        return self._add(name, "Integer", default)
