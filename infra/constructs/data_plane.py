"""The typed handles the foundation stack hands to every later stack of its stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns

from infra.constructs.file_system import TrainingFileSystem


@dataclass(frozen=True)
class DataPlane:
    """Typed handles the algorithm and streaming stacks receive (never names or ARNs)."""

    key: kms.IKey
    data_bucket: s3.IBucket
    artifacts_bucket: s3.IBucket
    vpc: ec2.IVpc
    private_subnets: tuple[ec2.ISubnet, ...]
    # Training, processing and monitoring jobs and endpoints (not only training).
    workload_security_group: ec2.ISecurityGroup
    file_system: TrainingFileSystem | None  # its `.subnet` is where FSx jobs must run
    # Per algorithm: its training jobs' and its models' S3 access to its own prefixes.
    training_access: Mapping[str, iam.IManagedPolicy]
    hosting_access: Mapping[str, iam.IManagedPolicy]
    monitoring_access: Mapping[str, iam.IManagedPolicy]
    # The stage's monitoring notifications (KMS-encrypted SNS topic).
    notifications: sns.ITopic
    # Per algorithm with a batch transform pipeline: its transform prefixes.
    transform_access: Mapping[str, iam.IManagedPolicy] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # Per algorithm with drift checks: what its pipeline's Lambda steps touch.
    drift_step_access: Mapping[str, iam.IManagedPolicy] = field(
        default_factory=lambda: MappingProxyType({})
    )
