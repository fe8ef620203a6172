"""An algorithm's batch transform pipeline: its model, roles, pipeline and schedule."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.constructs.data_plane import DataPlane
from infra.constructs.endpoint_model import endpoint_model
from infra.constructs.pipeline_role import TransformPipelineRole
from infra.constructs.sagemaker_iam import after_role_policies
from infra.constructs.schedules import start_on_schedule
from infra.constructs.service_roles import TRANSFORM_LOGS, ExternalObject, ModelRole
from infra.names import physical_name
from infra.pipelines.transform import (
    TransformResources,
    input_prefix,
    output_prefix,
    transform_pipeline,
)
from infra.plan.models import ModelAccess, ModelSource
from infra.plan.transform import TransformPlan


class TransformPipeline(Construct):
    """`<stage>-<algorithm>-transform`: one Transform step over an input prefix.

    - The model is the one the real-time endpoint would serve (the plan's source: a
      pinned artifact or package, or the newest approved package recorded in
      cdk.context.json). The stack renders it only once that source exists (the plan
      waits before), like the endpoint's models: a model is never created before its
      artifact, and a newly approved package replaces it on the next deploy.
    - It runs in the stage's private subnets with network isolation, as its own role:
      the algorithm's artifacts, its `transform/` prefixes, the transform jobs' logs.
    - Results and volumes are encrypted with the stage key (volumes except on local
      NVMe storage, which refuses a key).
    - The pipeline role only runs this pipeline's transform jobs. An optional EventBridge
      Scheduler schedule starts it with the default parameters.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        algorithm: str,
        plan: TransformPlan,
        data_plane: DataPlane,
    ) -> None:
        super().__init__(scope, construct_id)
        preprocessors = plan.pipeline.model_uris if plan.pipeline else ()
        access = ModelAccess.of(
            (plan.source, *(ModelSource(model_uri=uri) for uri in preprocessors))
        )
        model_role = ModelRole(
            self,
            "ModelRole",
            algorithm=algorithm,
            key=data_plane.key,
            bucket_access=data_plane.hosting_access[algorithm],
            external_objects=tuple(ExternalObject.parse(uri) for uri in access.objects),
            shared_keys=access.shared_keys,
            log_groups=(TRANSFORM_LOGS,),
            runs_on="batch transform jobs",
        )
        model_role.role.add_managed_policy(data_plane.transform_access[algorithm])
        self.model = endpoint_model(
            self,
            "Model",
            serves=algorithm,
            image=plan.image,
            source=plan.source,
            processor=plan.processor,
            pipeline=plan.pipeline,
            model_role_arn=model_role.role.role_arn,
            vpc=sagemaker.CfnModel.VpcConfigProperty(
                security_group_ids=[data_plane.workload_security_group.security_group_id],
                subnets=[s.subnet_id for s in data_plane.private_subnets],
            ),
        )
        after_role_policies(model_role, [self.model])

        pipeline_role = TransformPipelineRole(
            self, "PipelineRole", algorithm=algorithm, key=data_plane.key
        )
        data, artifacts = (
            data_plane.data_bucket.bucket_name,
            data_plane.artifacts_bucket.bucket_name,
        )
        definition = transform_pipeline(
            algorithm,
            plan,
            TransformResources(
                model_name=self.model.attr_model_name,
                data_bucket=data,
                artifacts_bucket=artifacts,
                kms_key_arn=data_plane.key.key_arn,
            ),
        )
        self.pipeline_name = physical_name(stage, algorithm, "transform", max_length=256)
        self.pipeline = sagemaker.CfnPipeline(
            self,
            "Pipeline",
            pipeline_name=self.pipeline_name,
            pipeline_description=f"Batch transform with the {algorithm} model served in {stage}",
            role_arn=pipeline_role.role.role_arn,
            pipeline_definition={
                "PipelineDefinitionBody": cdk.Stack.of(self).to_json_string(definition)
            },
        )
        after_role_policies(pipeline_role, [self.pipeline])
        if plan.schedule is not None:
            start_on_schedule(
                self, "Schedule", self.pipeline, self.pipeline_name, plan.schedule, data_plane.key
            )
        # Names and places users pass to the AWS CLI (README, "Batch transform").
        self.outputs = {
            "TransformPipelineName": self.pipeline_name,
            "TransformInputUri": input_prefix(data, algorithm),
            "TransformOutputUri": output_prefix(artifacts, algorithm),
        }
