"""checkov over every synthesized template: clean, or accepted in one place.

The templates: the default app's and the three-stage example's (pipeline included).

checkov's accepted findings live in `.checkov-skips.yaml`, cfn-lint's ignored checks
in `.cfnlintrc.yaml` (cfn-lint itself runs in test_synth); each entry has a reason,
and a checkov skip that no longer matches anything fails too.
"""

from __future__ import annotations

import re

import pytest
import yaml

from scripts.checkov_templates import SKIPS, Finding, Skip, load_skips, problems, run_checkov
from tests.conftest import ROOT, Assembly


@pytest.mark.synth
def test_checkov_finds_nothing_it_does_not_accept(
    default_assembly: Assembly, three_stage_assembly: Assembly
):
    # Every algorithm (default config), and stages with a delivery pipeline, its
    # cross-region support stack and a custom server image (the three-stage example).
    findings = run_checkov(default_assembly.directory, three_stage_assembly.directory)
    assert findings, "the apps have accepted findings; none means checkov did not run"
    assert {f.template for f in findings} >= {"Pipeline.template.json"}
    assert problems(findings, load_skips()) == []


def test_each_checkov_skip_names_resources_and_a_reason():
    for skip in load_skips():
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip.check), skip
        assert skip.resources, skip
        assert "*" not in skip.resources, skip
        assert len(skip.reason.split()) >= 12, skip


def test_each_ignored_cfn_lint_check_has_a_reason():
    text = (ROOT / ".cfnlintrc.yaml").read_text()
    ignored = yaml.safe_load(text).get("ignore_checks", [])
    for check in ignored:
        before = text.split(f"  - {check}\n")[0].rstrip().splitlines()
        assert before[-1].lstrip().startswith("#"), f"{check}: say why it is ignored"


SKIP = Skip("CKV_AWS_18", ("BucketsAccessLogs*",), "the access-log bucket itself")


def finding(check: str, logical_id: str) -> Finding:
    return Finding(check, "a check", "assembly-dev/devFoundation.template.json", logical_id)


def test_a_finding_outside_the_skips_is_a_problem():
    found = problems([finding("CKV_AWS_18", "BucketsDataABCD1234")], [SKIP])
    assert found[0].startswith("not accepted: assembly-dev/devFoundation.template.json: Buckets")


def test_a_skip_that_matches_nothing_is_a_problem():
    assert problems([], [SKIP]) == [
        f"stale skip in {SKIPS.name}: CKV_AWS_18 BucketsAccessLogs* matches nothing"
    ]


def test_an_accepted_finding_is_not_a_problem():
    assert problems([finding("CKV_AWS_18", "BucketsAccessLogs5F88218A")], [SKIP]) == []
