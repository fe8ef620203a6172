"""A serverless endpoint: CPU, no VPC, no network isolation, one variant (facts §11)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.catalog.model import Processor
from infra.constructs.endpoint_model import container
from infra.names import SERVES_TAG, physical_name
from infra.plan.endpoint import MAIN_VARIANT
from infra.plan.serverless import ServerlessPlan


def serverless_endpoint_name(prefix: str, serves: str) -> str:
    """The serverless endpoint's name (its role's log group is named after it)."""
    return physical_name(prefix, serves, "serverless")


class ServerlessEndpoint(Construct):
    """The algorithm's serverless endpoint, serving the model its plan names (by default
    the real-time endpoint's).

    Serverless inference has no VPC, network isolation, data capture, GPU or second
    variant; its config therefore has none. It takes the stage key, which SageMaker
    uses for the container image it stores (facts: "serverless and KMS").
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        serves: str,
        serverless: ServerlessPlan,
        model_role_arn: str,
        key_arn: str,
    ) -> None:
        super().__init__(scope, construct_id)
        model = sagemaker.CfnModel(
            self,
            "Model",
            execution_role_arn=model_role_arn,
            primary_container=container(self, serverless.image, serverless.source, Processor.CPU),
            tags=[cdk.CfnTag(key=SERVES_TAG, value=serves)],
        )
        config = sagemaker.CfnEndpointConfig(
            self,
            "Config",
            kms_key_id=key_arn,
            production_variants=[
                sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name=MAIN_VARIANT,
                    model_name=model.attr_model_name,
                    serverless_config=sagemaker.CfnEndpointConfig.ServerlessConfigProperty(
                        memory_size_in_mb=serverless.memory_mb,
                        max_concurrency=serverless.max_concurrency,
                        provisioned_concurrency=serverless.provisioned_concurrency,
                    ),
                )
            ],
        )
        self.endpoint_name = serverless_endpoint_name(prefix, serves)
        self.endpoint = sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=self.endpoint_name,
            endpoint_config_name=config.attr_endpoint_config_name,
        )
