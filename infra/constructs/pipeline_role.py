"""The role SageMaker Pipelines runs a pipeline definition with."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.constructs.sagemaker_iam import SAGEMAKER, use_stage_key
from infra.nag import acknowledge_wildcard_resources


class PipelineRole(Construct):
    """The role SageMaker Pipelines runs a definition with.

    It starts and watches this pipeline's training and tuning jobs, registers
    models into the algorithm's model package group, and passes the job role to
    SageMaker only.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        algorithm: str,
        job_role: iam.IRole,
        key: kms.IKey,
        model_package_group: str | None,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)

        def arn(resource: str, name: str) -> str:
            return stack.format_arn(service="sagemaker", resource=resource, resource_name=name)

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=SAGEMAKER,
            description=f"SageMaker Pipelines for {algorithm}",
        )
        # Pipelines name every training job they start "pipelines-<execution>-<step>-…".
        training_jobs = arn("training-job", "pipelines-*")
        processing_jobs = arn("processing-job", "pipelines-*")
        tuning_jobs = arn("hyper-parameter-tuning-job", "*")
        statements = [
            iam.PolicyStatement(
                sid="RunTrainingJobs",
                actions=[
                    "sagemaker:CreateTrainingJob",
                    "sagemaker:DescribeTrainingJob",
                    "sagemaker:StopTrainingJob",
                    "sagemaker:AddTags",
                ],
                resources=[training_jobs],
            ),
            iam.PolicyStatement(
                sid="RunTuningJobs",
                actions=[
                    "sagemaker:CreateHyperParameterTuningJob",
                    "sagemaker:DescribeHyperParameterTuningJob",
                    "sagemaker:StopHyperParameterTuningJob",
                    "sagemaker:ListTrainingJobsForHyperParameterTuningJob",
                    "sagemaker:AddTags",
                ],
                resources=[tuning_jobs],
            ),
            iam.PolicyStatement(
                sid="RunBaselineJobs",
                actions=[
                    "sagemaker:CreateProcessingJob",
                    "sagemaker:DescribeProcessingJob",
                    "sagemaker:StopProcessingJob",
                    "sagemaker:AddTags",
                ],
                resources=[processing_jobs],
            ),
            iam.PolicyStatement(
                sid="PassJobRole",
                actions=["iam:PassRole"],
                resources=[job_role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            ),
            *use_stage_key(key),
        ]
        packages = None
        if model_package_group is not None:
            packages = arn("model-package", f"{model_package_group}/*")
            statements.append(
                iam.PolicyStatement(
                    sid="RegisterModels",
                    actions=[
                        "sagemaker:CreateModelPackage",
                        "sagemaker:DescribeModelPackage",
                        "sagemaker:AddTags",
                    ],
                    resources=[arn("model-package-group", model_package_group), packages],
                )
            )
        self.policy = iam.Policy(self, "Policy", statements=statements, roles=[self.role])
        if packages is not None:
            acknowledge_wildcard_resources(
                self.policy,
                [packages],
                "Model package versions of this algorithm's own group; SageMaker numbers "
                "each version as it is registered.",
            )
        acknowledge_wildcard_resources(
            self.policy,
            [training_jobs, processing_jobs],
            "SageMaker Pipelines generates job names at run time; they all start with "
            "pipelines-, which the policy requires.",
        )
        acknowledge_wildcard_resources(
            self.policy,
            [tuning_jobs],
            "SageMaker Pipelines generates tuning job names at run time with no fixed "
            "prefix; the policy is limited to this account and region.",
        )


class TransformPipelineRole(Construct):
    """The role SageMaker Pipelines runs an algorithm's transform pipeline with.

    It starts, watches and stops that pipeline's transform jobs and uses the stage key
    for their volumes and outputs; nothing else. A transform job passes no role: it
    runs as its model's, which the stack created.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, algorithm: str, key: kms.IKey
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=SAGEMAKER,
            description=f"SageMaker Pipelines: batch transform of {algorithm}",
        )
        # Pipelines name every job they start "pipelines-<execution>-<step>-…".
        transform_jobs = stack.format_arn(
            service="sagemaker", resource="transform-job", resource_name="pipelines-*"
        )
        self.policy = iam.Policy(
            self,
            "Policy",
            statements=[
                iam.PolicyStatement(
                    sid="RunTransformJobs",
                    actions=[
                        "sagemaker:CreateTransformJob",
                        "sagemaker:DescribeTransformJob",
                        "sagemaker:StopTransformJob",
                        "sagemaker:AddTags",
                    ],
                    resources=[transform_jobs],
                ),
                *use_stage_key(key),
            ],
            roles=[self.role],
        )
        acknowledge_wildcard_resources(
            self.policy,
            [transform_jobs],
            "SageMaker Pipelines generates transform job names at run time; they all start "
            "with pipelines-, which the policy requires.",
        )
