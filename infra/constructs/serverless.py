"""A serverless endpoint: CPU, no VPC, no network isolation, one variant (facts §11)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.catalog.model import Processor
from infra.constructs.endpoint import container
from infra.names import SERVES_TAG, physical_name
from infra.plan.endpoint import MAIN_VARIANT
from infra.plan.serverless import ServerlessPlan


class ServerlessEndpoint(Construct):
    """The algorithm's serverless endpoint, serving the model its plan names (by default
    the real-time endpoint's).

    Serverless inference has no VPC, network isolation, data capture, GPU or second
    variant; its config therefore has none, and no KMS key (there is no storage
    volume to encrypt).
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
        self.endpoint_name = physical_name(prefix, serves, "serverless")
        self.endpoint = sagemaker.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=self.endpoint_name,
            endpoint_config_name=config.attr_endpoint_config_name,
        )
