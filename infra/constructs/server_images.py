"""The custom model server's images: Docker image assets CDK builds at deploy time."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_ecr_assets as ecr_assets
from constructs import Construct

from infra.catalog.model import Processor
from infra.catalog.servers import DOCKERFILES

CONTAINERS = Path(__file__).resolve().parents[2] / "containers"
_ID = "ServerImages"


class ServerImages(Construct):
    """One image asset per processor, shared by every model in the stack.

    Synth only copies `containers/` (as `.dockerignore` filters it) into the cloud
    assembly; `cdk deploy` builds the image for linux/amd64, SageMaker's hosts, and
    pushes it to the bootstrap ECR repository. Use `ServerImages.of(scope)`.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.assets: dict[Processor, ecr_assets.DockerImageAsset] = {}

    @classmethod
    def of(cls, scope: Construct) -> ServerImages:
        stack = cdk.Stack.of(scope)
        existing = stack.node.try_find_child(_ID)
        return existing if isinstance(existing, ServerImages) else cls(stack, _ID)

    def asset(self, processor: Processor) -> ecr_assets.DockerImageAsset:
        if processor not in self.assets:
            self.assets[processor] = ecr_assets.DockerImageAsset(
                self,
                processor.value.capitalize(),
                directory=str(CONTAINERS),
                file=DOCKERFILES[processor],
                platform=ecr_assets.Platform.LINUX_AMD64,
                display_name=f"model server ({processor.value})",
            )
        return self.assets[processor]

    def uri(self, processor: Processor) -> str:
        return self.asset(processor).image_uri
