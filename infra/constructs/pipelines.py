"""Training and tuning definitions for one algorithm, as SageMaker Pipelines."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.drift import drift_image
from infra.constructs.images import ImageRegistry
from infra.constructs.pipeline_role import PipelineRole
from infra.constructs.sagemaker_iam import after_role_policies
from infra.constructs.schedules import start_on_schedule
from infra.constructs.service_roles import ExternalObject, TrainingJobRole
from infra.images import MODEL_MONITOR_ANALYZER
from infra.names import physical_name
from infra.pipelines import (
    Baseline,
    FsxMount,
    JobResources,
    ModelRegistry,
    training_pipeline,
    tuning_pipeline,
)
from infra.plan import AlgorithmPlan
from infra.plan.channels import DataSource
from infra.plan.monitoring import MonitorPlan
from infra.plan.tuning import TuningPlan


class AlgorithmPipelines(Construct):
    """A training pipeline and, where the algorithm has an objective, a tuning pipeline.

    Each run trains (or tunes) with the plan's settings, changeable per run through
    pipeline parameters (data URIs, instance type and count, dataset-dependent
    hyperparameters), then registers the model in the algorithm's model package
    group pending manual approval. Optional EventBridge Scheduler schedules start them.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        plan: AlgorithmPlan,
        data_plane: DataPlane,
        shared_with: tuple[str, ...] = (),
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        algorithm, training = plan.algorithm, plan.training

        group_name = plan.model_package_group
        # Names users pass to the AWS CLI (README, "Training and tuning").
        self.outputs: dict[str, str] = {}
        if group_name is not None:
            self.outputs["ModelPackageGroupName"] = group_name
            self.model_package_group = sagemaker.CfnModelPackageGroup(
                self,
                "ModelPackageGroup",
                model_package_group_name=group_name,
                model_package_group_description=f"{algorithm.title} models of stage {stage}",
                model_package_group_policy=_shared_group_policy(stack, group_name, shared_with)
                if shared_with
                else None,
            )
            # The registry is the stage's model history (what was approved, when, from
            # which training job): kept with the stack's deletion unless ephemeral.
            self.model_package_group.apply_removal_policy(removal_policy)

        self._key = data_plane.key
        monitor = plan.monitor if isinstance(plan.monitor, MonitorPlan) else None
        drift_checks = monitor is not None and monitor.drift_checks
        file_system = data_plane.file_system if training.data_source is DataSource.FSX else None
        external = tuple(
            ExternalObject.parse(uri)
            for uri in (
                training.incremental_from,
                training.framework and training.framework.source_uri,
            )
            if uri
        )
        self.job_role = TrainingJobRole(
            self,
            "JobRole",
            algorithm=plan.name,
            key=data_plane.key,
            bucket_access=data_plane.training_access[plan.name],
            file_system_arn=file_system.arn if file_system else None,
            external_objects=external,
            runs_processing=isinstance(plan.monitor, MonitorPlan),
            image_repositories=(drift_image(self).repository,) if drift_checks else (),
        ).role
        self._pipeline_role = PipelineRole(
            self,
            "PipelineRole",
            algorithm=plan.name,
            job_role=self.job_role,
            key=data_plane.key,
            model_package_group=group_name,
        )
        pipeline_role = self._pipeline_role.role

        images = ImageRegistry.of(self)
        registration = plan.registration
        # URIs in the order they always came (training, inference, analyzer): the first
        # use of a registry adds its accounts to the stack's image mapping.
        training_image = images.uri(training.image, training.processor)
        resources = JobResources(
            region=stack.region,
            job_role_arn=self.job_role.role_arn,
            training_image=training_image,
            data_bucket=data_plane.data_bucket.bucket_name,
            artifacts_bucket=data_plane.artifacts_bucket.bucket_name,
            kms_key_arn=data_plane.key.key_arn,
            subnet_ids=tuple(s.subnet_id for s in data_plane.private_subnets),
            security_group_ids=(data_plane.workload_security_group.security_group_id,),
            registry=ModelRegistry(
                group=registration.group,
                inference_image=images.uri(registration.image, registration.processor),
            )
            if registration is not None
            else None,
            baseline=_baseline(images, drift_checks) if monitor is not None else None,
            fsx=FsxMount(
                file_system_id=file_system.file_system_id,
                mount_name=file_system.mount_name,
                subnet_id=file_system.subnet.subnet_id,
            )
            if file_system is not None
            else None,
        )

        training_name = physical_name(stage, plan.name, "training", max_length=256)
        self.outputs["TrainingPipelineName"] = training_name
        self.training_pipeline = self._pipeline(
            "TrainingPipeline",
            training_name,
            f"Train {algorithm.title} and register the model",
            training_pipeline(plan, resources),
            pipeline_role,
            training.schedule,
        )
        self.tuning_pipeline = None
        if isinstance(plan.tuning, TuningPlan):
            tuning_name = physical_name(stage, plan.name, "tuning", max_length=256)
            self.outputs["TuningPipelineName"] = tuning_name
            self.tuning_pipeline = self._pipeline(
                "TuningPipeline",
                tuning_name,
                f"Tune {algorithm.title} and register the best model",
                tuning_pipeline(plan, plan.tuning, resources),
                pipeline_role,
                plan.tuning.schedule,
            )

    def _pipeline(
        self,
        construct_id: str,
        name: str,
        description: str,
        definition: dict,
        role: iam.IRole,
        schedule: str | None,
    ) -> sagemaker.CfnPipeline:
        stack = cdk.Stack.of(self)
        pipeline = sagemaker.CfnPipeline(
            self,
            construct_id,
            pipeline_name=name,
            pipeline_description=description,
            role_arn=role.role_arn,
            # One JSON string for the whole definition: a single call into the CDK.
            pipeline_definition={"PipelineDefinitionBody": stack.to_json_string(definition)},
        )
        after_role_policies(self._pipeline_role, [pipeline])
        if schedule is not None:
            start_on_schedule(self, f"{construct_id}Schedule", pipeline, name, schedule, self._key)
        return pipeline


def _baseline(images: ImageRegistry, drift_checks: bool) -> Baseline:
    """The Baseline step's image: the drift image's profile, or Model Monitor's analyzer."""
    if drift_checks:
        return Baseline(drift_image=drift_image(images).image_uri)
    return Baseline(analyzer_image=images.uri(MODEL_MONITOR_ANALYZER))


def _shared_group_policy(stack: cdk.Stack, group: str, accounts: tuple[str, ...]) -> dict:
    """What the stages following this registry from other accounts call: describe the
    group and its versions, and create models from them (developer guide, "Deploy a
    Model Version from a Different Account"). Approving stays with this account."""
    principals = {"AWS": [f"arn:{stack.partition}:iam::{a}:root" for a in accounts]}

    def arn(resource: str, name: str) -> str:
        return stack.format_arn(service="sagemaker", resource=resource, resource_name=name)

    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DescribeGroup",
                "Effect": "Allow",
                "Principal": principals,
                "Action": "sagemaker:DescribeModelPackageGroup",
                "Resource": arn("model-package-group", group),
            },
            {
                "Sid": "DeployVersions",
                "Effect": "Allow",
                "Principal": principals,
                "Action": [
                    "sagemaker:DescribeModelPackage",
                    "sagemaker:ListModelPackages",
                    "sagemaker:CreateModel",
                ],
                "Resource": arn("model-package", f"{group}/*"),
            },
        ],
    }
