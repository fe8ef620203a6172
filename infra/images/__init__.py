"""Container images per region, from the generated registry table.

Stacks are environment-agnostic by default, so URIs are normally rendered with a
`CfnMapping` on `AWS::Region` (see `infra.constructs.images`); this module
answers the same questions in plain Python for the plan and for stacks pinned
to a concrete region.
"""

from __future__ import annotations

from infra.catalog.model import ImageSpec, Processor, RegistryGroup
from infra.images.registries import REGISTRY_ACCOUNTS
from infra.images.specs import MODEL_MONITOR_ANALYZER

__all__ = [
    "MODEL_MONITOR_ANALYZER",
    "is_published",
    "published_regions",
    "registry_account",
    "repository_path",
]


def published_regions(group: RegistryGroup) -> frozenset[str]:
    """Regions where images of `group` are published."""
    return frozenset(REGISTRY_ACCOUNTS[group.value])


def is_published(image: ImageSpec, region: str) -> bool:
    return region in REGISTRY_ACCOUNTS[image.registry_group.value]


def registry_account(image: ImageSpec, region: str) -> str:
    """The ECR account serving `image` in `region`; KeyError where it is not published."""
    return REGISTRY_ACCOUNTS[image.registry_group.value][region]


def repository_path(image: ImageSpec, processor: Processor = Processor.CPU) -> str:
    """`repository[:tag]`, the part of the URI after the registry host."""
    tag = image.tag_for(processor)
    return image.repository if tag is None else f"{image.repository}:{tag}"
