"""The pull-request workflow: valid for GitHub, pinned, least privilege, and it runs
`make test` and `make review` and attaches the report."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/pull-request.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def test_the_workflow_matches_githubs_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit():
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action


def test_the_token_is_read_only_except_for_the_review_comment():
    assert workflow()["permissions"] == {"contents": "read"}
    assert workflow()["jobs"]["review"]["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
    }
    assert "permissions" not in workflow()["jobs"]["test"]


def test_pull_requests_run_make_test_and_make_review():
    # yaml reads the bare `on` key as True.
    assert "pull_request" in workflow()[True]
    assert any(step.get("run") == "make test" for step in steps("test"))
    review = " ".join(step.get("run", "") for step in steps("review"))
    assert "make -C base synth" in review
    assert 'make -C change review BASELINE="$baseline"' in review


def test_the_report_is_attached_to_the_run():
    review = steps("review")
    upload = next(s for s in review if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "review.md"
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in review)
    assert any("gh pr comment" in s.get("run", "") for s in review)


def test_a_risky_change_needs_the_label_after_the_report_is_out():
    review = steps("review")
    run = next(s for s in review if s.get("id") == "review")
    assert run["env"]["FAIL_ON"] == "broadening,replace-stateful,exposure"
    assert 'FAIL_ON="$FAIL_ON"' in run["run"]
    names = [s.get("name") for s in review]
    gate = review[-1]
    assert names.index("Require the risk label") > names.index("Comment on the pull request")
    assert "infrastructure-risk-accepted" in gate["if"]
    assert "steps.review.outputs.risk == 'true'" in gate["if"]
    # Adding or removing the label runs the review again.
    assert {"labeled", "unlabeled"} <= set(workflow()[True]["pull_request"]["types"])
