"""Encrypted queues that hold what could not be delivered or processed."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.nag import acknowledge

RETENTION = cdk.Duration.days(14)  # SQS's maximum: time to look before messages vanish


def dead_letter_queue(
    scope: Construct,
    construct_id: str,
    *,
    key: kms.IKey,
    role: str,
    removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
) -> sqs.Queue:
    """A KMS-encrypted, TLS-only queue kept 14 days, for failures of `role` (a sentence
    saying whose dead-letter queue it is); being one, it needs no dead-letter queue.
    `removal_policy`: RETAIN where what waits in it must outlive the stack (durable stages)."""
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=RETENTION,
        removal_policy=removal_policy,
    )
    for finding in ("AwsSolutions::AwsSolutions-SQS3", "Serverless::Serverless-SQSRedrivePolicy"):
        acknowledge(queue, finding, f"{role}; a dead-letter queue needs none of its own.")
    return queue
