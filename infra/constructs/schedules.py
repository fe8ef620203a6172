"""Pipelines started on a schedule: EventBridge Scheduler, encrypted with the stage key."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct


def start_on_schedule(
    scope: Construct,
    construct_id: str,
    pipeline: sagemaker.CfnPipeline,
    pipeline_name: str,
    expression: str,
    key: kms.IKey,
) -> scheduler.CfnSchedule:
    """An EventBridge Scheduler schedule that starts the pipeline with default parameters.

    Encrypted with the stage key: without KmsKeyArn a schedule's data is encrypted with
    an AWS owned key, outside the key's policy and audit trail; with a customer managed
    key, the schedule's execution role decrypts it (EventBridge Scheduler UG,
    "Encryption at rest"). Created after its pipeline and its role's policy: a schedule
    may fire as soon as it exists.
    """
    stack = cdk.Stack.of(scope)
    pipeline_arn = stack.format_arn(
        service="sagemaker", resource="pipeline", resource_name=pipeline_name
    )
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal(
            "scheduler.amazonaws.com",
            conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
        ),
        description=f"EventBridge Scheduler: start {pipeline_name}",
    )
    role.add_to_policy(
        iam.PolicyStatement(actions=["sagemaker:StartPipelineExecution"], resources=[pipeline_arn])
    )
    role.add_to_policy(iam.PolicyStatement(actions=["kms:Decrypt"], resources=[key.key_arn]))
    schedule = scheduler.CfnSchedule(
        scope,
        construct_id,
        schedule_expression=expression,
        flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
        target=scheduler.CfnSchedule.TargetProperty(arn=pipeline_arn, role_arn=role.role_arn),
        kms_key_arn=key.key_arn,
        description=f"Start {pipeline_name}",
    )
    schedule.node.add_dependency(pipeline)
    schedule.node.add_dependency(role)
    return schedule
