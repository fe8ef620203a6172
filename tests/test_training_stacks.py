"""Training and tuning definitions in the synthesized stacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.catalog import CATALOG
from infra.catalog.model import HostingSpec
from tests.api_shapes import step_errors
from tests.cfn_values import pipeline_definitions
from tests.conftest import Assembly, synth_dict
from tests.pipeline_evaluate import step_requests

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def algorithm_templates(default_assembly: Assembly) -> dict[str, dict]:
    return {k: v for k, v in default_assembly.templates().items() if k != "dev/Foundation"}


def test_every_request_in_every_pipeline_matches_the_api(
    algorithm_templates: dict[str, dict],
) -> None:
    checked = 0
    for stack, template in algorithm_templates.items():
        for pipeline, definition in pipeline_definitions(template).items():
            for name, step_type, arguments in step_requests(definition):
                if step_type == "Lambda":  # no API request: tests/test_drift.py checks them
                    continue
                assert step_errors(step_type, arguments) == "", f"{stack} {pipeline} {name}"
                checked += 1
    # 18 training pipelines (17 register, 9 baseline: the drift profile), 16 tuning
    # pipelines (all register), 9 drift pipelines (one processing step each).
    assert checked == 18 + 17 + 9 + 16 + 16 + 9


def test_pipelines_per_algorithm(algorithm_templates: dict[str, dict]) -> None:
    tuned = {
        stack.split("/")[1]: len(
            [p for p in pipeline_definitions(template) if p.startswith("Pipelines")]
        )
        for stack, template in algorithm_templates.items()
    }
    assert tuned["Pca"] == 1  # no objective metric
    assert tuned["ReinforcementLearning"] == 1  # no metric definitions configured
    assert sum(tuned.values()) == 18 + 16


def test_model_package_group_for_every_hostable_algorithm(
    algorithm_templates: dict[str, dict],
) -> None:
    groups = {
        resource["Properties"]["ModelPackageGroupName"]
        for template in algorithm_templates.values()
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::SageMaker::ModelPackageGroup"
    }
    hostable = {n for n, a in CATALOG.items() if isinstance(a.hosting, HostingSpec)}
    assert "reinforcement-learning" not in hostable
    assert groups == {f"dev-{n}-models" for n in hostable}


def test_no_managed_full_access_policies_anywhere(default_assembly: Assembly) -> None:
    for template in default_assembly.templates().values():
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::IAM::Role":
                for arn in resource["Properties"].get("ManagedPolicyArns", []):
                    assert "FullAccess" not in str(arn)
            if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
                    actions = statement["Action"]
                    actions = actions if isinstance(actions, list) else [actions]
                    assert not any(a.endswith(":*") or a == "*" for a in actions), statement


def test_job_role_is_passed_to_sagemaker_only(algorithm_templates: dict[str, dict]) -> None:
    template = algorithm_templates["dev/Kmeans"]
    statements = [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]
    # The training pipeline's role passes the job role, the drift pipeline's its own.
    passes = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert len(passes) == 2
    for pass_role in passes:
        assert pass_role["Condition"] == {
            "StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}
        }


def test_schedules_start_the_pipelines(tmp_path: Path) -> None:
    assembly = synth_dict(
        {
            "stages": {
                "dev": {
                    "algorithms": {
                        "xgboost": {
                            "training": {"schedule": "rate(7 days)"},
                            "tuning": {"schedule": "cron(0 3 ? * SUN *)"},
                        }
                    }
                }
            }
        },
        tmp_path,
    )
    assert assembly.violations == []
    template = assembly.templates()["dev/Xgboost"]
    schedules = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::Scheduler::Schedule"
    ]
    assert sorted(s["Properties"]["ScheduleExpression"] for s in schedules) == [
        "cron(0 3 ? * SUN *)",
        "rate(7 days)",
    ]
    targets = sorted(str(s["Properties"]["Target"]["Arn"]) for s in schedules)
    assert "pipeline/dev-xgboost-training" in targets[0] + targets[1]
    assert "pipeline/dev-xgboost-tuning" in targets[0] + targets[1]
