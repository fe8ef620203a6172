"""Image URIs: a CfnMapping on AWS::Region when agnostic, literal accounts when pinned."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from infra.catalog import CATALOG
from infra.catalog.model import Processor
from infra.constructs.images import ImageRegistry
from infra.images import MODEL_MONITOR_ANALYZER
from tests.conftest import cdk_context


def _stack(region: str | None = None) -> cdk.Stack:
    app = cdk.App(context=cdk_context())
    stack = cdk.Stack(app, "Images", env=cdk.Environment(region=region) if region else None)
    cdk.CfnWaitConditionHandle(stack, "AnyResource")  # CloudFormation needs one
    return stack


def _output(stack: cdk.Stack, value: str) -> dict:
    cdk.CfnOutput(stack, "Uri", value=value)
    return Template.from_stack(stack).to_json()


def test_agnostic_stack_maps_accounts_by_region() -> None:
    stack = _stack()
    registry = ImageRegistry.of(stack)
    uri = registry.uri(CATALOG["kmeans"].image)
    assert ImageRegistry.of(stack) is registry  # one per stack
    template = _output(stack, uri)
    ((mapping_id, mapping),) = template["Mappings"].items()
    assert mapping["us-east-1"] == {"FirstPartyA": "382416733822"}
    assert mapping["cn-north-1"] == {"FirstPartyA": "390948362332"}
    assert len(mapping) == 37
    joined = template["Outputs"]["Uri"]["Value"]["Fn::Join"][1]
    find = {"Fn::FindInMap": [mapping_id, {"Ref": "AWS::Region"}, "FirstPartyA"]}
    assert find in joined
    assert joined[-1].endswith("/kmeans:1")


def test_groups_share_one_mapping() -> None:
    stack = _stack()
    registry = ImageRegistry.of(stack)
    registry.uri(CATALOG["lda"].image)
    uri = registry.uri(MODEL_MONITOR_ANALYZER)
    mappings = _output(stack, uri)["Mappings"]
    (mapping,) = mappings.values()
    assert mapping["us-east-1"] == {"Lda": "766337827248", "ModelMonitor": "156813124566"}
    assert mapping["sa-east-1"] == {"ModelMonitor": "539772159869"}  # no LDA there


def test_pinned_region_gets_literal_accounts_and_processor_tags() -> None:
    stack = _stack("us-west-2")
    registry = ImageRegistry.of(stack)
    uri = stack.resolve(registry.uri(CATALOG["reinforcement-learning"].image, Processor.GPU))
    parts = uri["Fn::Join"][1]
    assert parts[0] == "462105765813.dkr.ecr.us-west-2."  # literal account and region
    assert parts[-1].endswith("/sagemaker-rl-ray-container:ray-1.6.0-torch-gpu-py36")
    assert "Mappings" not in Template.from_stack(stack).to_json()


def test_pinned_region_without_the_image_is_refused() -> None:
    stack = _stack("sa-east-1")
    with pytest.raises(ValueError, match="lda is not published in sa-east-1"):
        ImageRegistry.of(stack).uri(CATALOG["lda"].image)
