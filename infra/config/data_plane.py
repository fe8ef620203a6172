"""The stage's data plane: network (created or imported), FSx for Lustre, retention."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Annotated, Literal

from pydantic import Field

from infra.catalog.limits import API_INTEGER_MAX, FSX_MAX_STORAGE_GIB
from infra.config.fields import Strict

# S3 lifecycle days: the API gives no maximum below its 32-bit integers.
Days = Annotated[int, Field(ge=1, le=API_INTEGER_MAX)]


class SubnetConfig(Strict):
    """One private subnet of an imported VPC."""

    id: Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$")]
    availability_zone: Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$")]
    # Needed for the S3 gateway endpoint when `endpoints` is true.
    route_table_id: Annotated[str, Field(pattern=r"^rtb-[0-9a-f]{8,17}$")] | None = None


class NetworkConfig(Strict):
    """An existing VPC to use instead of creating one (ids only: no lookups at synth)."""

    vpc_id: Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8,17}$")]
    cidr: Annotated[IPv4Network, Field(strict=False)]  # parsed from "10.0.0.0/16"
    subnets: list[SubnetConfig]
    # Create the S3 gateway and interface endpoints (false if the VPC has them).
    endpoints: bool = True
    flow_logs: bool = True


class FsxConfig(Strict):
    """FSx for Lustre for training data, linked to the stage's data bucket.

    SCRATCH_2 and PERSISTENT_2 are the deployment types AWS's SageMaker samples use
    (facts §13); capacity and throughput rules are checked by the plan.
    """

    enabled: bool = True
    deployment_type: Literal["SCRATCH_2", "PERSISTENT_2"] = "SCRATCH_2"
    storage_capacity_gib: Annotated[int, Field(ge=1, le=FSX_MAX_STORAGE_GIB)] = 1200
    # MB/s per TiB; PERSISTENT_2 only (125, 250, 500 or 1000).
    per_unit_storage_throughput: int | None = None
    # With an imported VPC: which of its subnets holds the file system (default: the first).
    subnet_id: str | None = None


class BucketRetentionConfig(Strict):
    """How long a versioned, access-logged bucket keeps superseded versions and logs (days)."""

    noncurrent_versions_days: Days = 30
    access_logs_days: Days = 365


class RetentionConfig(BucketRetentionConfig):
    """How long the stage's buckets keep what ages out (days)."""

    capture_days: Days = 30
    monitoring_reports_days: Days = 90
    flow_logs_days: Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731] = 90
