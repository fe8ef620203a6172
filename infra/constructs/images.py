"""Image URIs for environment-agnostic stacks: one `CfnMapping` per stack."""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from infra.catalog.model import ImageSpec, Processor, RegistryGroup
from infra.images import is_published, registry_account, repository_path
from infra.images.registries import REGISTRY_ACCOUNTS

_ID = "ImageRegistry"


def _mapping_key(group: RegistryGroup) -> str:
    # CloudFormation mapping keys must be alphanumeric: "first-party-a" -> "FirstPartyA".
    return "".join(part.capitalize() for part in group.value.split("-"))


class ImageRegistry(Construct):
    """The stack's region → ECR account map, and image URIs rendered from it.

    In an environment-agnostic stack the account is `Fn::FindInMap` on
    `AWS::Region`, so the template deploys in any region where the image is
    published; a region without the image fails at deploy time with CloudFormation's
    mapping error. Stacks with a concrete region get literal accounts (the plan has
    already rejected regions where an image is missing). Use `ImageRegistry.of(scope)`.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._stack = cdk.Stack.of(self)
        self._mapping: cdk.CfnMapping | None = None
        self._groups: set[RegistryGroup] = set()

    @classmethod
    def of(cls, scope: Construct) -> ImageRegistry:
        """The stack's single registry, created on first use."""
        stack = cdk.Stack.of(scope)
        existing = stack.node.try_find_child(_ID)
        return existing if isinstance(existing, ImageRegistry) else cls(stack, _ID)

    def uri(self, image: ImageSpec, processor: Processor = Processor.CPU) -> str:
        """`account.dkr.ecr.region.urlsuffix/repository[:tag]` for `image`."""
        region = self._stack.region
        if cdk.Token.is_unresolved(region):
            account = self._account_from_mapping(image.registry_group)
        elif is_published(image, region):
            account = registry_account(image, region)
        else:
            raise ValueError(f"{image.repository} is not published in {region}")
        host = f"{account}.dkr.ecr.{region}.{self._stack.url_suffix}"
        return f"{host}/{repository_path(image, processor)}"

    def _account_from_mapping(self, group: RegistryGroup) -> str:
        key = _mapping_key(group)
        accounts = sorted(REGISTRY_ACCOUNTS[group.value].items())
        if self._mapping is None:
            # The first group in one call (a jsii round trip per value adds up over
            # ~30 regions in every stack); later groups join region by region.
            self._mapping = cdk.CfnMapping(
                self, "Accounts", mapping={region: {key: account} for region, account in accounts}
            )
            self._groups.add(group)
        elif group not in self._groups:
            self._groups.add(group)
            for region, account in accounts:
                self._mapping.set_value(region, key, account)
        return self._mapping.find_in_map(cdk.Aws.REGION, key)
