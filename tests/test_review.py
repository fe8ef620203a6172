"""`python -m infra.review`: the pull-request report, from two real synths.

The baseline is the default app; the change resizes the XGBoost endpoint and its
autoscaling, trains image classification incrementally from another bucket
(widening its job role), drops PCA, and turns FSx off (removing security group rules).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from infra.review.__main__ import main
from infra.review.iam import StatementChange
from infra.review.report import Review, render, review
from tests.conftest import DEFAULT, Assembly, in_operation, synth_dict

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    # The baseline is the default config in operation (the session's default_assembly).
    config = yaml.safe_load(Path(in_operation(DEFAULT, tmp_path_factory.mktemp("c"))).read_text())
    stage = config["stages"]["dev"]
    stage["fsx"] = {"enabled": False}
    del stage["algorithms"]["pca"]
    stage["algorithms"]["xgboost"] = {
        "endpoint": {"instance_type": "ml.m5.2xlarge", "max_instances": 4}
    }
    stage["algorithms"]["image-classification"] = {
        "training": {"incremental_from": "s3://shared-models/ic/model.tar.gz"}
    }
    assembly = synth_dict(config, tmp_path_factory.mktemp("review"))
    assert assembly.violations == []
    return assembly


@pytest.fixture(scope="module")
def result(changed: Assembly, default_assembly: Assembly) -> Review:
    return review(changed.directory, default_assembly.directory)


@pytest.fixture(scope="module")
def markdown(result: Review) -> str:
    return render(result)


def test_only_changed_stacks_are_listed(result: Review):
    listed = {s.name: s.status for s in result.stacks}
    assert listed == {
        "dev/Foundation": "",
        "dev/ImageClassification": "",
        "dev/Pca": "removed",
        "dev/SemanticSegmentation": "",  # read its images from FSx
        "dev/Xgboost": "",
    }
    assert "dev/Kmeans" in result.unchanged


def test_removed_stack_lists_its_resources(result: Review):
    pca = next(s for s in result.stacks if s.name == "dev/Pca")
    assert pca.resources
    assert {c.kind for c in pca.resources} == {"removed"}


def test_widened_iam_names_the_new_grant(result: Review):
    stack = next(s for s in result.stacks if s.name == "dev/ImageClassification")
    widened = [c for c in stack.iam if c.widened]
    assert any(
        "s3:GetObject" in c.actions and any("shared-models" in r for r in c.resources)
        for c in widened
    ), widened


def test_security_group_rules_removed_with_fsx(result: Review):
    foundation = next(s for s in result.stacks if s.name == "dev/Foundation")
    assert any("tcp 988" in rule for rule in foundation.rules_removed)
    assert foundation.rules_added == []


def test_endpoint_capacity_change_is_shown_with_its_old_values(markdown: str):
    (row,) = [line for line in markdown.splitlines() if "dev-xgboost-rt" in line]
    assert "ml.m5.2xlarge x 1 | 1-4 | `dev-xgboost-models v1` |" in row
    assert "was ml.m5.xlarge x 1; autoscaling was 1-2; renamed from" in row
    assert "served" not in row  # the same package


def test_acknowledged_findings_are_listed_with_reasons(markdown: str, result: Review):
    assert "## Acknowledged rule findings" in markdown
    assert result.acknowledged
    assert not any(new for _, new in result.acknowledged)  # the change acknowledges nothing new


def test_same_assembly_reports_no_changes(default_assembly: Assembly):
    same = render(review(default_assembly.directory, default_assembly.directory))
    assert "No stack changes." in same
    assert "| new |" not in same


def test_a_stack_moved_in_the_construct_tree_compares_with_itself(
    default_assembly: Assembly, tmp_path: Path
):
    # The baseline names the stack differently but deploys it as the same
    # CloudFormation stack in the same environment: same stack, no change.
    baseline = tmp_path / "baseline"
    shutil.copytree(default_assembly.directory, baseline)
    manifest_path = baseline / "assembly-dev" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    (kmeans,) = [a for a in manifest["artifacts"].values() if a.get("displayName") == "dev/Kmeans"]
    kmeans["displayName"] = "old-tree/Kmeans"
    manifest_path.write_text(json.dumps(manifest))
    result = review(default_assembly.directory, baseline)
    assert result.stacks == []
    assert "dev/Kmeans" in result.unchanged


def _statement(effect: str, principal: str, actions: tuple[str, ...], resources: tuple[str, ...]):
    return StatementChange(
        "P", "AWS::S3::BucketPolicy", False, effect, principal, actions, resources, ""
    )


def test_only_allow_statements_with_a_wildcard_are_flagged():
    deny_all = _statement("Deny", '{"AWS":["*"]}', ("s3:*",), ("*",))
    assert not deny_all.wildcard  # denies narrow: `Deny s3:* unless TLS` is no concern
    assert _statement("Allow", '{"AWS":["*"]}', ("s3:GetObject",), ("arn:b/k",)).wildcard
    assert _statement("Allow", "", ("s3:Get*",), ("arn:b/k",)).wildcard
    assert _statement("Allow", "", ("s3:GetObject",), ("*",)).wildcard
    scoped = _statement(
        "Allow", '{"Service":["logging.s3.amazonaws.com"]}', ("s3:PutObject",), ("arn:b/logs/*",)
    )
    assert not scoped.wildcard


def test_cli_writes_the_report_and_refuses_a_missing_assembly(
    changed: Assembly, default_assembly: Assembly, tmp_path: Path, capsys: pytest.CaptureFixture
):
    out = tmp_path / "review.md"
    args = [str(changed.directory), "--baseline", str(default_assembly.directory)]
    assert main([*args, "--output", str(out)]) == 0
    assert out.read_text().startswith("# Infrastructure review")
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "not a cloud assembly" in capsys.readouterr().err
