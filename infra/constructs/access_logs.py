"""S3 server access logs: the bucket they go to, and wiring for buckets we do not define."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

ABORT_MULTIPART = cdk.Duration.days(7)


def private_bucket_defaults(removal_policy: cdk.RemovalPolicy) -> dict[str, object]:
    """What every bucket of ours sets: private, TLS 1.2+ only, versioned, owner-enforced,
    emptied on deletion only when the stage is ephemeral (DESTROY)."""
    return {
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "enforce_ssl": True,
        "minimum_tls_version": 1.2,
        "versioned": True,
        "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        "removal_policy": removal_policy,
        "auto_delete_objects": removal_policy == cdk.RemovalPolicy.DESTROY,
    }


class AccessLogBucket(s3.Bucket):
    """Where other buckets' server access logs go: private, TLS only, versioned, expiring.

    SSE-S3, not SSE-KMS: S3 server access logging cannot deliver to a bucket
    encrypted with a KMS key. Our own buckets point here with the `s3.Bucket`
    prop `server_access_logs_bucket`; a bucket another library generates is wired
    with `log_generated_bucket`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        expire_after: cdk.Duration,
        noncurrent_versions_after: cdk.Duration,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            encryption=s3.BucketEncryption.S3_MANAGED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-access-logs",
                    expiration=expire_after,
                    noncurrent_version_expiration=noncurrent_versions_after,
                    abort_incomplete_multipart_upload_after=ABORT_MULTIPART,
                )
            ],
            **private_bucket_defaults(removal_policy),  # type: ignore[arg-type]
        )

    def log_generated_bucket(
        self, bucket: s3.CfnBucket, *, prefix: str, noncurrent_versions_after: cdk.Duration
    ) -> None:
        """Version `bucket`, expire its old versions and log its access here under `prefix`.

        For buckets a construct library creates without these settings (CDK
        Pipelines' artifact and replication buckets): its L1 resource is the
        escape hatch. Grants S3's logging service what `server_access_logs_bucket`
        would: `s3:PutObject` under `prefix`, from that bucket in this account only.
        """
        bucket.versioning_configuration = s3.CfnBucket.VersioningConfigurationProperty(
            status="Enabled"
        )
        bucket.lifecycle_configuration = s3.CfnBucket.LifecycleConfigurationProperty(
            rules=[
                s3.CfnBucket.RuleProperty(
                    id="housekeeping",
                    status="Enabled",
                    noncurrent_version_expiration=s3.CfnBucket.NoncurrentVersionExpirationProperty(
                        noncurrent_days=noncurrent_versions_after.to_days()
                    ),
                    abort_incomplete_multipart_upload=s3.CfnBucket.AbortIncompleteMultipartUploadProperty(
                        days_after_initiation=ABORT_MULTIPART.to_days()
                    ),
                    expired_object_delete_marker=True,
                )
            ]
        )
        bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=self.bucket_name, log_file_prefix=prefix
        )
        self.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=["s3:PutObject"],
                resources=[self.arn_for_objects(f"{prefix}*")],
                conditions={
                    "ArnLike": {"aws:SourceArn": bucket.attr_arn},
                    "StringEquals": {"aws:SourceAccount": cdk.Stack.of(bucket).account},
                },
            )
        )
