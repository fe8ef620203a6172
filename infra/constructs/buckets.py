"""The stage's S3 buckets: data, artifacts, and their access logs."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.constructs.access_logs import ABORT_MULTIPART, AccessLogBucket, private_bucket_defaults
from infra.nag import acknowledge_wildcard_resources
from infra.plan.data_plane import RetentionPlan
from infra.prefixes import Purpose, async_key, prefix


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


class StageBuckets(Construct):
    """Data and artifacts buckets (SSE-KMS, bucket keys, TLS only, versioned, logged).

    Access logs go to a third bucket, an `AccessLogBucket`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        retention: RetentionPlan,
        removal_policy: cdk.RemovalPolicy,
    ) -> None:
        super().__init__(scope, construct_id)
        common = private_bucket_defaults(removal_policy)
        noncurrent = cdk.Duration.days(retention.noncurrent_versions_days)
        self.access_logs = AccessLogBucket(
            self,
            "AccessLogs",
            expire_after=cdk.Duration.days(retention.access_logs_days),
            noncurrent_versions_after=noncurrent,
            removal_policy=removal_policy,
        )
        encrypted = {
            **common,
            "encryption": s3.BucketEncryption.KMS,
            "encryption_key": key,
            "bucket_key_enabled": True,
            "server_access_logs_bucket": self.access_logs,
        }
        housekeeping = s3.LifecycleRule(
            id="housekeeping",
            noncurrent_version_expiration=noncurrent,
            abort_incomplete_multipart_upload_after=ABORT_MULTIPART,
            expired_object_delete_marker=True,
        )
        self.data = s3.Bucket(
            self,
            "Data",
            server_access_logs_prefix="data/",
            lifecycle_rules=[housekeeping],
            **encrypted,
        )
        self.artifacts = s3.Bucket(
            self,
            "Artifacts",
            server_access_logs_prefix="artifacts/",
            lifecycle_rules=[
                housekeeping,
                s3.LifecycleRule(
                    id="expire-data-capture",
                    prefix=prefix(Purpose.CAPTURE),
                    expiration=cdk.Duration.days(retention.capture_days),
                ),
                s3.LifecycleRule(
                    id="expire-monitoring-reports",
                    prefix=prefix(Purpose.MONITORING),
                    expiration=cdk.Duration.days(retention.monitoring_reports_days),
                ),
            ],
            **encrypted,
        )

    def training_access(self, scope: Construct, algorithm: str) -> iam.ManagedPolicy:
        """What `algorithm`'s training jobs may do in these buckets, and nothing more.

        Read `training/<algorithm>/` in the data bucket; read and write `models/`,
        `checkpoints/` and `baselines/` of the algorithm in the artifacts bucket
        (checkpoint sync also deletes). Kept beside the buckets so every ARN is this
        stack's own.
        """
        training = prefix(Purpose.TRAINING, algorithm)
        written = [
            prefix(Purpose.MODELS, algorithm),
            prefix(Purpose.CHECKPOINTS, algorithm),
            prefix(Purpose.BASELINES, algorithm),  # the pipeline's Model Monitor baseline
        ]
        read = [self.data.arn_for_objects(f"{training}*")]
        write = [self.artifacts.arn_for_objects(f"{p}*") for p in written]
        policy = iam.ManagedPolicy(
            scope,
            f"{_camel(algorithm)}TrainingAccess",
            description=f"S3 access of {algorithm} training jobs to its own prefixes",
            statements=[
                iam.PolicyStatement(
                    sid="ReadTrainingData", actions=["s3:GetObject"], resources=read
                ),
                iam.PolicyStatement(
                    sid="ListTrainingData",
                    actions=["s3:ListBucket"],
                    resources=[self.data.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{training}*"]}},
                ),
                iam.PolicyStatement(
                    sid="WriteModelsAndCheckpoints",
                    actions=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    resources=write,
                ),
                iam.PolicyStatement(
                    sid="ListModelsAndCheckpoints",
                    actions=["s3:ListBucket"],
                    resources=[self.artifacts.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{p}*" for p in written]}},
                ),
            ],
        )
        acknowledge_wildcard_resources(
            policy,
            read + write,
            f"Objects under {algorithm}'s own prefixes (training data, models, checkpoints, "
            "baselines); SageMaker picks the object names.",
        )
        return policy

    def share_models(self, accounts: tuple[str, ...], algorithms: tuple[str, ...]) -> None:
        """Let `accounts` read the models `algorithms`' pipelines write: the stages that
        follow this stage's registry serve them with their own model roles."""
        self.artifacts.add_to_resource_policy(
            iam.PolicyStatement(
                sid="ReadSharedModels",
                principals=[iam.AccountPrincipal(account) for account in accounts],
                actions=["s3:GetObject"],
                resources=[
                    self.artifacts.arn_for_objects(f"{prefix(Purpose.MODELS, a)}*")
                    for a in algorithms
                ],
            )
        )

    def hosting_access(
        self,
        scope: Construct,
        algorithm: str,
        models_of: str | None = None,
        *,
        asynchronous: bool = False,
    ) -> iam.ManagedPolicy:
        """What `algorithm`'s models may touch: read their artifacts (or those of
        `models_of`, whose models a custom server serves), write data capture; with
        `asynchronous`, read the async endpoint's requests and write its results and
        failures (`async/<algorithm>/input|output|failures/`: SageMaker reads and writes
        them with the model's role, DG:async-inference-create-endpoint-prerequisites)."""
        models_of = models_of or algorithm
        models = [self.artifacts.arn_for_objects(f"{prefix(Purpose.MODELS, models_of)}*")]
        capture = [self.artifacts.arn_for_objects(f"{prefix(Purpose.CAPTURE, algorithm)}*")]
        statements = [
            iam.PolicyStatement(sid="ReadModels", actions=["s3:GetObject"], resources=models),
            iam.PolicyStatement(
                sid="WriteDataCapture", actions=["s3:PutObject"], resources=capture
            ),
        ]
        queue: list[str] = []
        if asynchronous:
            requests = [self.artifacts.arn_for_objects(f"{async_key(algorithm, 'input')}*")]
            results = [
                self.artifacts.arn_for_objects(f"{async_key(algorithm, part)}*")
                for part in ("output", "failures")
            ]
            statements += [
                iam.PolicyStatement(
                    sid="ReadAsyncRequests", actions=["s3:GetObject"], resources=requests
                ),
                iam.PolicyStatement(
                    sid="WriteAsyncResults", actions=["s3:PutObject"], resources=results
                ),
            ]
            queue = requests + results
        policy = iam.ManagedPolicy(
            scope,
            f"{_camel(algorithm)}HostingAccess",
            description=f"S3 access of {algorithm} models to their own artifacts and capture",
            statements=statements,
        )
        reason = (
            f"{models_of}'s models/ and {algorithm}'s capture/ prefixes; training jobs and "
            "endpoint data capture name the objects."
        )
        if asynchronous:
            reason += f" {algorithm}'s async/ input, output and failures: callers name them."
        acknowledge_wildcard_resources(policy, models + capture + queue, reason)
        return policy

    def transform_access(self, scope: Construct, algorithm: str) -> iam.ManagedPolicy:
        """What `algorithm`'s batch transform model may touch besides its artifacts: read
        `transform/<algorithm>/` in the data bucket, write it in the artifacts bucket.
        (A transform job runs as its model's role; SageMaker lists the input prefix and
        uploads results in parts.)"""
        transform = prefix(Purpose.TRANSFORM, algorithm)
        read = [self.data.arn_for_objects(f"{transform}*")]
        write = [self.artifacts.arn_for_objects(f"{transform}*")]
        policy = iam.ManagedPolicy(
            scope,
            f"{_camel(algorithm)}TransformAccess",
            description=f"S3 access of {algorithm} batch transform jobs to their own prefixes",
            statements=[
                iam.PolicyStatement(
                    sid="ReadTransformInput", actions=["s3:GetObject"], resources=read
                ),
                iam.PolicyStatement(
                    sid="ListTransformInput",
                    actions=["s3:ListBucket"],
                    resources=[self.data.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": [f"{transform}*"]}},
                ),
                iam.PolicyStatement(
                    sid="WriteTransformOutput",
                    actions=["s3:PutObject", "s3:AbortMultipartUpload"],
                    resources=write,
                ),
            ],
        )
        acknowledge_wildcard_resources(
            policy,
            read + write,
            f"{algorithm}'s own transform/ prefixes; each run reads the objects under its "
            "input prefix and names its results after them.",
        )
        return policy

    def monitoring_access(self, scope: Construct, algorithm: str) -> iam.ManagedPolicy:
        """What `algorithm`'s monitoring jobs may touch: read capture and baselines, write
        reports (ground truth, by default, sits under the reports prefix too)."""
        read = [
            self.artifacts.arn_for_objects(f"{prefix(p, algorithm)}*")
            for p in (Purpose.CAPTURE, Purpose.BASELINES, Purpose.MONITORING)
        ]
        write = [self.artifacts.arn_for_objects(f"{prefix(Purpose.MONITORING, algorithm)}*")]
        listed = [f"{prefix(p, algorithm)}*" for p in (Purpose.CAPTURE, Purpose.MONITORING)]
        policy = iam.ManagedPolicy(
            scope,
            f"{_camel(algorithm)}MonitoringAccess",
            description=f"S3 access of {algorithm} monitoring jobs to their own prefixes",
            statements=[
                iam.PolicyStatement(
                    sid="ReadCaptureAndBaselines", actions=["s3:GetObject"], resources=read
                ),
                iam.PolicyStatement(sid="WriteReports", actions=["s3:PutObject"], resources=write),
                iam.PolicyStatement(
                    sid="ListCaptureAndReports",
                    actions=["s3:ListBucket"],
                    resources=[self.artifacts.bucket_arn],
                    conditions={"StringLike": {"s3:prefix": listed}},
                ),
            ],
        )
        acknowledge_wildcard_resources(
            policy,
            read,
            f"{algorithm}'s own capture/, baselines/ and monitoring/ prefixes; SageMaker "
            "names capture files and reports by hour.",
        )
        return policy
