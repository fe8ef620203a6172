"""Cost allocation tags on the synthesized templates, and off-hours schedules.

Every resource in the default app and the three-stage example is walked: a resource is
taggable when its CloudFormation registry schema (the schemas cfn-lint ships) has a
`Tags` property, and each taggable one carries its stage (and, outside the stage-wide
Foundation stack, its algorithm), or the delivery pipeline's component tag, and the
user's tags. Every type that cannot carry tags is listed, with its reason, in
`infra.constructs.tags.UNTAGGABLE`; the list is exact (a stale entry fails too).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import cfnlint.data.schemas
import pytest
from aws_cdk.assertions import Match, Template

from infra.constructs.tags import REPLACED_ON_TAG_CHANGE, UNTAGGABLE
from infra.plan.tags import ALGORITHM_TAG, COMPONENT_TAG, STAGE_TAG
from stacks.algorithm import stack_id
from tests.conftest import Assembly

pytestmark = pytest.mark.synth

SCHEMAS = Path(cfnlint.data.schemas.__file__).parent
ALGORITHM_STACKS = {
    stack_id(name): name
    for name in (
        "linear-learner",
        "xgboost",
        "seq2seq",
        "forecasting-deepar",
        "blazingtext",
        "object2vec",
        "object-detection",
        "image-classification",
        "semantic-segmentation",
        "randomcutforest",
        "ntm",
        "lda",
        "knn",
        "kmeans",
        "pca",
        "factorization-machines",
        "ipinsights",
        "reinforcement-learning",
        "custom-xgboost",
        "custom-onnx",
    )
}


@cache
def _schema(resource_type: str) -> dict | None:
    index = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    if resource_type not in index:
        return None  # a custom resource
    return json.loads((SCHEMAS / "resources" / f"{index[resource_type]}.json").read_text())


def taggable(resource_type: str) -> bool:
    schema = _schema(resource_type)
    return schema is not None and "Tags" in schema.get("properties", {})


def _tags(resource: dict) -> dict[str, str]:
    tags = resource.get("Properties", {}).get("Tags") or {}
    return {t["Key"]: t["Value"] for t in tags} if isinstance(tags, list) else dict(tags)


def resources(assembly: Assembly):
    for stack, template in assembly.templates().items():
        for logical_id, resource in template.get("Resources", {}).items():
            yield stack, logical_id, resource


def expected(stack: str) -> dict[str, str]:
    """This project's tags on one stack's resources."""
    if stack == "Pipeline" or stack.startswith("cross-region-stack"):
        return {COMPONENT_TAG: "delivery-pipeline"}
    stage, _, construct = stack.partition("/")
    want = {STAGE_TAG: stage}
    if construct == "Streaming":
        want[ALGORITHM_TAG] = "randomcutforest"  # the stream scorer's
    elif construct != "Foundation":
        want[ALGORITHM_TAG] = ALGORITHM_STACKS[construct]
    return want


def _untagged(assembly: Assembly, user: dict[str, dict[str, str]]) -> list[str]:
    missing = []
    for stack, logical_id, resource in resources(assembly):
        kind = resource["Type"]
        if not taggable(kind) or kind in REPLACED_ON_TAG_CHANGE:
            continue
        want = {**expected(stack), **user.get(stack, user.get(stack.split("/")[0], {}))}
        have = _tags(resource)
        if any(have.get(k) != v for k, v in want.items()):
            missing.append(f"{stack} {logical_id} {kind}: {have}")
    return missing


def test_every_taggable_resource_of_the_default_app_carries_stage_and_algorithm(
    default_assembly: Assembly,
):
    assert _untagged(default_assembly, {}) == []


def test_every_taggable_resource_of_three_stages_carries_the_users_tags_too(
    three_stage_assembly: Assembly,
):
    app = {"cost-center": "ml-platform"}
    user = {
        "Pipeline": app,
        "cross-region-stack-444444444444:eu-west-1": app,
        **{s: {**app, "environment": s} for s in ("dev", "staging", "prod")},
        # xgboost's own tag, over its stage's and the app's
        "dev/Xgboost": {**app, "environment": "dev", "team": "fraud"},
        "staging/Xgboost": {**app, "environment": "staging", "team": "fraud"},
    }
    assert _untagged(three_stage_assembly, user) == []


def test_untaggable_types_are_listed_exactly_with_a_reason(
    default_assembly: Assembly, three_stage_assembly: Assembly
):
    found = {
        resource["Type"]
        for assembly in (default_assembly, three_stage_assembly)
        for _, _, resource in resources(assembly)
        if not taggable(resource["Type"])
    }
    assert found == set(UNTAGGABLE)
    assert all(len(reason.split()) >= 6 for reason in UNTAGGABLE.values())


def test_a_tag_change_replaces_no_resource_and_only_immutable_tag_holders_are_skipped(
    default_assembly: Assembly, three_stage_assembly: Assembly
):
    """The registry schema says whether a Tags change replaces a resource (Tags among
    `createOnlyProperties`). Those types are left untagged (their fixed names would make
    the replacement fail); every type this project tags updates its tags in place."""
    types = {
        resource["Type"]
        for assembly in (default_assembly, three_stage_assembly)
        for _, _, resource in resources(assembly)
        if taggable(resource["Type"])
    }
    create_only = {
        t for t in types if "/properties/Tags" in _schema(t).get("createOnlyProperties", [])
    }
    # Model Monitor's job definitions (engine model-monitor); the default engine, drift
    # checks, creates none, so the tested apps hold no type whose tags are create-only.
    assert create_only == set()
    assert {
        "AWS::SageMaker::DataQualityJobDefinition",
        "AWS::SageMaker::ModelQualityJobDefinition",
    } <= set(REPLACED_ON_TAG_CHANGE)
    for kind in REPLACED_ON_TAG_CHANGE:
        assert "/properties/Tags" in (_schema(kind) or {}).get("createOnlyProperties", [])
    for _, _, resource in resources(default_assembly):
        if resource["Type"] in REPLACED_ON_TAG_CHANGE:
            assert STAGE_TAG not in _tags(resource)


def test_off_hours_schedules_are_scheduled_actions_on_the_scalable_target(
    three_stage_assembly: Assembly,
):
    staging = Template.from_json(three_stage_assembly.templates()["staging/Xgboost"])
    staging.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "MinCapacity": 2,
            "MaxCapacity": 4,
            "ScheduledActions": [
                {
                    "ScheduledActionName": "capacity-1",
                    "Schedule": "cron(0 20 ? * MON-FRI *)",
                    "Timezone": "Europe/Dublin",
                    "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 1},
                },
                {
                    "ScheduledActionName": "capacity-2",
                    "Schedule": "cron(0 7 ? * MON-FRI *)",
                    "Timezone": "Europe/Dublin",
                    "ScalableTargetAction": {"MinCapacity": 2, "MaxCapacity": 4},
                },
            ],
        },
    )
    # Without a schedule, no scheduled actions (prod is always on).
    prod = Template.from_json(three_stage_assembly.templates()["prod/Xgboost"])
    prod.has_resource_properties(
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {"MinCapacity": 2, "ScheduledActions": Match.absent()},
    )
