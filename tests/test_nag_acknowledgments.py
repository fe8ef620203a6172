"""Every cdk-nag acknowledgment in the synthesized app: exact, local and explained.

The validation report lists each suppressed finding with the id it was acknowledged
under, where, and why. A blanket acknowledgment (a whole rule on a stack or the
app), a rule-level id for a rule that reports several findings, or a vague reason
fails here.
"""

from __future__ import annotations

import json
import re

import aws_cdk as cdk
import pytest

from infra.nag import acknowledge
from tests.conftest import Assembly

pytestmark = pytest.mark.synth

# Rules that report one finding per offending value: acknowledge the value, not the rule.
MULTI_FINDING_RULES = ("AwsSolutions-IAM4", "AwsSolutions-IAM5")
VAGUE = re.compile(r"^(n/?a|none|ok|todo|tbd|not needed|false positive)\.?$", re.I)


def acknowledgments(assembly: Assembly) -> list[dict]:
    report = json.loads((assembly.directory / "validation-report.json").read_text())
    return [
        violation
        for plugin in report["pluginReports"]
        for violation in plugin.get("suppressedViolations", [])
    ]


@pytest.fixture(scope="module")
def acknowledged(default_assembly: Assembly) -> list[dict]:
    found = acknowledgments(default_assembly)
    assert found, "the default app acknowledges findings; an empty list means a broken report"
    return found


@pytest.fixture(scope="module")
def stack_paths(default_assembly: Assembly) -> set[str]:
    return set(default_assembly.templates())


def test_each_acknowledgment_names_the_exact_finding(acknowledged: list[dict]):
    for item in acknowledged:
        pack, _, finding = item["acknowledgedId"].partition("::")
        assert finding == item["ruleName"], item["acknowledgedId"]
        assert finding.startswith(f"{pack}-"), item["acknowledgedId"]
        if finding.startswith(MULTI_FINDING_RULES):
            assert re.fullmatch(r"[\w-]+\[.+\]", finding), f"{finding}: name the finding"


def test_each_acknowledgment_has_a_specific_reason(acknowledged: list[dict]):
    for item in acknowledged:
        reason = item["reason"].strip()
        assert not VAGUE.match(reason), (item["acknowledgedId"], reason)
        assert len(reason.split()) >= 6, (item["acknowledgedId"], reason)


def test_no_acknowledgment_at_app_stage_or_stack_level(
    acknowledged: list[dict], stack_paths: set[str]
):
    stages = {path.split("/")[0] for path in stack_paths}
    for item in acknowledged:
        where = item["acknowledgedAt"]
        assert where not in ("", *stages, *stack_paths), (item["acknowledgedId"], where)
        for construct in item["violatingConstructs"]:
            assert construct["constructPath"].startswith(where + "/") or (
                construct["constructPath"] == where
            )


def test_the_listing_is_stable_and_reviewable(acknowledged: list[dict]):
    listing = sorted(
        (item["acknowledgedAt"], item["acknowledgedId"], item["reason"]) for item in acknowledged
    )
    assert len(listing) == len(set(listing))
    rules = {finding.split("::")[1].split("[")[0] for _, finding, _ in listing}
    # What the default app acknowledges, by rule: a new one deserves a reviewer's look.
    assert rules == {
        "AwsSolutions-IAM5",  # object prefixes, log streams, Describe*/PutMetricData/ECR token
        "AwsSolutions-KDS3",  # the stream uses the stage's customer-managed key
        "AwsSolutions-SQS3",  # dead-letter queues themselves
        "Serverless-LambdaDLQ",  # the scorer's event source has its own failure destination
        "Serverless-LambdaTracing",  # drift steps: no X-Ray endpoint outside streaming stages
        "Serverless-SQSRedrivePolicy",  # dead-letter queues themselves
    }


def test_acknowledge_refuses_a_vague_reason():
    stack = cdk.Stack(cdk.App(), "S")
    with pytest.raises(ValueError, match="needs a specific reason"):
        acknowledge(stack, "AwsSolutions::AwsSolutions-IAM5[Resource::*]", "not needed")
