"""S3 access of a drift pipeline's two principals, each to what it touches.

- the Check job reads the window's capture files (through the manifests), the
  reference profile (an `S3Prefix` input under `baselines/<algorithm>/drift/`, which
  SageMaker lists with the job's role: ProcessingS3Input, "all objects with the
  specified key name prefix"), the run's inputs and ground truth, and writes its
  report under `monitoring/<algorithm>/`;
- the Window/Publish Lambda lists capture and ground truth, writes the run's
  manifests and reads `metrics.json`: it never reads a captured payload.

Neither may overwrite the ground truth the run is judged against
(`monitoring/<algorithm>/ground-truth/` by default): an explicit deny.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.nag import acknowledge_wildcard_resources
from infra.prefixes import Purpose, prefix


def drift_access(
    scope: Construct, bucket: s3.IBucket, algorithm: str, *, job: bool
) -> iam.ManagedPolicy:
    """The Check job's policy (`job`), or the steps' Lambda's; in the bucket's stack, so
    that the acknowledged wildcard ARNs are the template's own."""
    capture, baselines, reports = (
        prefix(p, algorithm) for p in (Purpose.CAPTURE, Purpose.BASELINES, Purpose.MONITORING)
    )
    listed = [f"{capture}*", f"{reports}*", *([f"{baselines}*"] if job else [])]
    readable = [f"{reports}*", *([f"{capture}*", f"{baselines}*"] if job else [])]
    read = [bucket.arn_for_objects(p) for p in readable]
    write = [bucket.arn_for_objects(f"{reports}*")]
    labels = [bucket.arn_for_objects(f"{reports}ground-truth/*")]
    who = "drift check jobs" if job else "drift pipeline steps"
    camel = "".join(part.capitalize() for part in algorithm.split("-"))
    policy = iam.ManagedPolicy(
        scope,
        f"{camel}Drift{'Job' if job else 'Step'}Access",
        description=f"S3 access of {algorithm} {who} to their own prefixes",
        statements=[
            iam.PolicyStatement(
                sid="List",
                actions=["s3:ListBucket"],
                resources=[bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": listed}},
            ),
            iam.PolicyStatement(sid="Read", actions=["s3:GetObject"], resources=read),
            iam.PolicyStatement(sid="WriteRuns", actions=["s3:PutObject"], resources=write),
            iam.PolicyStatement(
                sid="KeepGroundTruth",
                effect=iam.Effect.DENY,
                actions=["s3:PutObject", "s3:DeleteObject"],
                resources=labels,
            ),
        ],
    )
    acknowledge_wildcard_resources(
        policy,
        read + write + labels,
        f"{algorithm}'s own {'capture/, baselines/ and ' if job else ''}monitoring/ "
        "prefixes; capture files and runs are named by hour and execution.",
    )
    return policy
