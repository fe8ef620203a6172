"""The model an endpoint serves: one container (a model package, or an image with its
artifact) or an inference pipeline's containers run in sequence."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.catalog.model import Processor
from infra.constructs.images import ImageRegistry
from infra.constructs.server_images import ServerImages
from infra.names import SERVES_TAG
from infra.plan.hosting import HostingImage
from infra.plan.models import ModelSource
from infra.plan.serial import PipelinePlan


def container(
    scope: Construct,
    image: HostingImage,
    source: ModelSource,
    processor: Processor,
) -> sagemaker.CfnModel.ContainerDefinitionProperty:
    """The model's container: a model package, or the planned image with its artifact."""
    environment = dict(image.environment) or None
    if source.model_package_arn:
        return sagemaker.CfnModel.ContainerDefinitionProperty(
            model_package_name=source.model_package_arn, environment=environment
        )
    if image.catalog is None:
        uri = ServerImages.of(scope).uri(processor)
    else:
        uri = ImageRegistry.of(scope).uri(image.catalog, processor)
    return sagemaker.CfnModel.ContainerDefinitionProperty(
        image=uri, model_data_url=source.model_uri, environment=environment
    )


def pipeline_containers(
    scope: Construct,
    pipeline: PipelinePlan,
    image: HostingImage,
    source: ModelSource,
    processor: Processor,
) -> list[sagemaker.CfnModel.ContainerDefinitionProperty]:
    """An inference pipeline's containers in order, each named (ContainerHostname) for
    its logs and metrics; the algorithm's slot runs its image with `source`'s artifact."""
    registry = ImageRegistry.of(scope)
    containers = []
    for planned in pipeline.containers:
        if planned.image is None:
            uri = registry.uri(image.catalog, processor) if image.catalog else ""
            model_data_url = source.model_uri
        else:
            uri, model_data_url = registry.uri(planned.image, processor), planned.model_uri
        containers.append(
            sagemaker.CfnModel.ContainerDefinitionProperty(
                container_hostname=planned.hostname,
                image=uri,
                model_data_url=model_data_url,
                environment=dict(planned.environment) or None,
            )
        )
    return containers


def endpoint_model(
    scope: Construct,
    construct_id: str,
    *,
    serves: str,
    image: HostingImage,
    source: ModelSource,
    processor: Processor,
    pipeline: PipelinePlan | None,
    model_role_arn: str,
    vpc: sagemaker.CfnModel.VpcConfigProperty,
) -> sagemaker.CfnModel:
    """A model in the stage's private subnets with network isolation: one container, or
    the pipeline's containers run in sequence (InferenceExecutionConfig Serial)."""
    if pipeline is None:
        return sagemaker.CfnModel(
            scope,
            construct_id,
            execution_role_arn=model_role_arn,
            primary_container=container(scope, image, source, processor),
            enable_network_isolation=True,
            vpc_config=vpc,
            tags=[cdk.CfnTag(key=SERVES_TAG, value=serves)],
        )
    return sagemaker.CfnModel(
        scope,
        construct_id,
        execution_role_arn=model_role_arn,
        containers=pipeline_containers(scope, pipeline, image, source, processor),
        inference_execution_config=sagemaker.CfnModel.InferenceExecutionConfigProperty(
            mode="Serial"
        ),
        enable_network_isolation=True,
        vpc_config=vpc,
        tags=[cdk.CfnTag(key=SERVES_TAG, value=serves)],
    )
