"""Stages across accounts and regions, and the delivery pipeline, from one config.

`config/examples/three-stages.yaml`: dev (with a custom model server image),
staging and prod in three accounts in eu-west-1, staging and prod serving dev's
approved packages, and a pipeline in a tooling account in us-east-1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from infra.assembly import stack_artifacts
from tests.conftest import ROOT, THREE_STAGES, Assembly, cfn_lint

pytestmark = pytest.mark.synth

CONFIG = THREE_STAGES
STAGES = {"dev": "111111111111", "staging": "222222222222", "prod": "333333333333"}
TOOLING = "444444444444"


@pytest.fixture
def assembly(three_stage_assembly: Assembly) -> Assembly:
    return three_stage_assembly


def manifests(assembly: Assembly) -> dict[str, dict[str, Any]]:
    """Each assembly's manifest by directory name ("." for the top level)."""
    out = {".": json.loads((assembly.directory / "manifest.json").read_text())}
    for path in sorted(assembly.directory.glob("assembly-*/manifest.json")):
        out[path.parent.name] = json.loads(path.read_text())
    return out


def intrinsic_values(value: Any, key: str) -> list[Any]:
    if isinstance(value, dict):
        found = [value[key]] if key in value else []
        return found + [v for child in value.values() for v in intrinsic_values(child, key)]
    if isinstance(value, list):
        return [v for child in value for v in intrinsic_values(child, key)]
    return []


def test_synthesizes_with_every_rule_pack_clean(assembly: Assembly):
    assert assembly.violations == []


def test_cfn_lint_is_clean_over_stages_pipeline_and_support_stacks(assembly: Assembly):
    assert (assembly.directory / "Pipeline.template.json").exists()
    assert cfn_lint(assembly.directory) == ""


def test_nothing_is_looked_up_in_an_account_at_synth(assembly: Assembly):
    for directory, manifest in manifests(assembly).items():
        assert "missing" not in manifest, directory


def test_each_stage_deploys_where_its_config_says(assembly: Assembly):
    environments = {
        stack.name.split("/")[0]: stack.environment
        for stack in stack_artifacts(assembly.directory)
        if "/" in stack.name
    }
    assert environments == {
        "dev": "aws://111111111111/eu-west-1",
        "staging": "aws://222222222222/eu-west-1",
        "prod": "aws://333333333333/eu-west-1",
    }


def test_no_reference_or_dependency_crosses_a_stage(assembly: Assembly):
    for directory, manifest in manifests(assembly).items():
        if directory == ".":
            continue
        local = {
            a["properties"]["stackName"]
            for a in manifest["artifacts"].values()
            if a["type"] == "aws:cloudformation:stack"
        }
        artifact_ids = set(manifest["artifacts"])
        for artifact in manifest["artifacts"].values():
            assert set(artifact.get("dependencies", [])) <= artifact_ids, artifact["displayName"]
        for stack in stack_artifacts(assembly.directory):
            if stack.template_path.parent.name != directory:
                continue
            template = stack.template()
            for output in intrinsic_values(template, "Fn::GetStackOutput"):
                assert output["StackName"] in local, (stack.name, output)
            assert intrinsic_values(template, "Fn::ImportValue") == []


def test_physical_names_are_unique_per_account_and_region(assembly: Assembly):
    names: Counter[tuple[str, ...]] = Counter()
    for stack in stack_artifacts(assembly.directory):
        environment = stack.environment
        names[(environment, "stack", stack.stack_name)] += 1
        for resource in stack.template().get("Resources", {}).values():
            if resource["Type"] == "AWS::IAM::Policy":
                continue  # an inline policy's name is scoped to its role
            # The property that names the resource itself: EndpointName on an
            # Endpoint, AlarmName on an Alarm, Name on a stream or an event bus.
            kind = resource["Type"].split("::")[-1]
            for key in (f"{kind}Name", "Name", "JobDefinitionName"):
                value = resource.get("Properties", {}).get(key)
                if isinstance(value, str):
                    names[(environment, resource["Type"], value)] += 1
    assert len(names) > 50
    assert [name for name, count in names.items() if count > 1] == []


def test_production_is_termination_protected_and_qualifiers_are_honoured(assembly: Assembly):
    for stack in stack_artifacts(assembly.directory):
        stage = stack.name.split("/")[0]
        protected = stack.properties.get("terminationProtection", False)
        if stage in STAGES:
            assert protected == (stage == "prod"), stack.name
            qualifier = "stg42" if stage == "staging" else "hnb659fds"
            role = stack.properties["assumeRoleArn"]
            assert f"cdk-{qualifier}-deploy-role-{STAGES[stage]}-" in role


def pipeline_stages(assembly: Assembly) -> list[dict[str, Any]]:
    template = json.loads((assembly.directory / "Pipeline.template.json").read_text())
    (pipeline,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"
    ]
    return pipeline["Properties"]["Stages"]


def test_the_pipeline_deploys_the_very_stacks_a_stage_deploys_by_hand(assembly: Assembly):
    # One synthesis per stage: the pipeline's deploy actions use the top-level
    # stages' templates, so `cdk deploy 'prod/*'` and the pipeline deploy alike.
    by_template = {
        str(s.template_path.relative_to(assembly.directory)): s.stack_name
        for s in stack_artifacts(assembly.directory)
    }
    deployed = {
        action["Configuration"]["TemplatePath"].removeprefix("Synth_Output::"): action[
            "Configuration"
        ]["StackName"]
        for stage in pipeline_stages(assembly)
        for action in stage["Actions"]
        if action["ActionTypeId"]["Provider"] == "CloudFormation"
        and "TemplatePath" in action["Configuration"]
    }
    assert deployed == {path: name for path, name in by_template.items() if "/" in path}
    assert "prod-Foundation" in deployed.values()
    assert not any(s.name.startswith("Pipeline/") for s in stack_artifacts(assembly.directory))


def test_pipeline_runs_one_wave_per_stage_in_config_order(assembly: Assembly):
    names = [stage["Name"] for stage in pipeline_stages(assembly)]
    assert names[:3] == ["Source", "Build", "UpdatePipeline"]
    assert [n for n in names if n in STAGES] == ["dev", "staging", "prod"]
    assert names[-3:] == ["dev", "staging", "prod"]


def test_pipeline_synth_step_runs_make_test_then_synth(assembly: Assembly):
    template = json.loads((assembly.directory / "Pipeline.template.json").read_text())
    specs = [
        r["Properties"]["Source"]["BuildSpec"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::CodeBuild::Project" and "make test" in str(r["Properties"])
    ]
    (spec,) = specs
    commands = json.loads(spec)["phases"]["build"]["commands"]
    assert commands == [
        "make test",
        f".venv/bin/python -m infra models refresh {CONFIG} --lookup-role",
        f"make synth CONFIG={CONFIG}",
    ]


def test_production_waits_for_a_manual_approval(assembly: Assembly):
    for stage in pipeline_stages(assembly):
        if stage["Name"] not in STAGES:
            continue
        actions = stage["Actions"]
        approvals = [a for a in actions if a["ActionTypeId"]["Category"] == "Approval"]
        deploys = [a for a in actions if a["ActionTypeId"]["Category"] == "Deploy"]
        assert deploys
        # Each deploy action assumes a role in its stage's own account.
        assert all(STAGES[stage["Name"]] in json.dumps(a["RoleArn"]) for a in deploys)
        if stage["Name"] == "prod":
            (approval,) = approvals
            assert approval["RunOrder"] < min(a["RunOrder"] for a in deploys)
        else:
            assert approvals == []


def test_pipeline_lives_in_the_tooling_account_with_cross_account_keys(assembly: Assembly):
    (pipeline,) = [s for s in stack_artifacts(assembly.directory) if s.name == "Pipeline"]
    assert pipeline.environment == f"aws://{TOOLING}/us-east-1"
    template = json.loads((assembly.directory / "Pipeline.template.json").read_text())
    keys = [r for r in template["Resources"].values() if r["Type"] == "AWS::KMS::Key"]
    assert keys
    assert all(k["Properties"].get("EnableKeyRotation") for k in keys)


def test_pipeline_buckets_are_versioned_expiring_and_access_logged(assembly: Assembly):
    templates = {
        s.name: s.template()
        for s in stack_artifacts(assembly.directory)
        if s.name == "Pipeline" or s.name.startswith("cross-region-stack-")
    }
    assert len(templates) == 2  # the pipeline, and its eu-west-1 support stack for the stages
    for name, template in templates.items():
        resources = template["Resources"]
        buckets = {k: r for k, r in resources.items() if r["Type"] == "AWS::S3::Bucket"}
        (logs_id,) = [k for k in buckets if k.startswith("ArtifactAccessLogs")]
        (bucket_id,) = [k for k in buckets if k != logs_id]
        props = buckets[bucket_id]["Properties"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}, name
        (rule,) = props["LifecycleConfiguration"]["Rules"]
        assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 14}  # from config
        logging = props["LoggingConfiguration"]
        assert logging["DestinationBucketName"] == {"Ref": logs_id}
        # The log bucket admits S3's logging service, for this bucket and account only.
        (policy,) = [
            r["Properties"]["PolicyDocument"]
            for r in resources.values()
            if r["Type"] == "AWS::S3::BucketPolicy"
            and r["Properties"]["Bucket"] == {"Ref": logs_id}
        ]
        (grant,) = [s for s in policy["Statement"] if s.get("Principal", {}).get("Service")]
        assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
        assert grant["Action"] == "s3:PutObject"
        assert grant["Condition"]["ArnLike"] == {
            "aws:SourceArn": {"Fn::GetAtt": [bucket_id, "Arn"]}
        }
        assert grant["Condition"]["StringEquals"] == {"aws:SourceAccount": TOOLING}
        assert logging["LogFilePrefix"] in json.dumps(grant["Resource"])


def test_a_stage_deploys_by_hand_with_a_glob(assembly: Assembly):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["npx", "--no-install", "cdk", "ls", "--app", str(assembly.directory), "dev/*"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**env, "CDK_DISABLE_CLI_TELEMETRY": "true"},
    )
    listed = sorted(line.split()[0] for line in result.stdout.splitlines() if line.strip())
    assert listed == [
        "dev/CustomOnnx",
        "dev/Foundation",
        "dev/ImageClassification",
        "dev/Kmeans",
        "dev/Randomcutforest",
        "dev/Streaming",
        "dev/Xgboost",
    ]


def test_bootstrap_writes_least_privilege_deploy_policies_and_commands(
    assembly: Assembly, tmp_path: Path, capsys: pytest.CaptureFixture
):
    from botocore.session import get_session
    from botocore.validate import ParamValidator

    from infra.cli import main

    policies = tmp_path / "policies"
    args = ["bootstrap", CONFIG, "--assembly", str(assembly.directory)]
    assert main([*args, "--policies-dir", str(policies)]) == 0
    lines = capsys.readouterr().out.splitlines()
    bootstrap = [line for line in lines if line.startswith("npx cdk bootstrap")]
    assert bootstrap[:2] == [
        f"npx cdk bootstrap aws://{TOOLING}/us-east-1",
        f"npx cdk bootstrap aws://{TOOLING}/eu-west-1",  # the stages' region's support stack
    ]
    staging = next(line for line in bootstrap if "222222222222" in line)
    assert staging.startswith(
        "npx cdk bootstrap aws://222222222222/eu-west-1 --qualifier stg42 "
        f"--trust {TOOLING} --trust-for-lookup {TOOLING} --cloudformation-execution-policies "
        "arn:aws:iam::222222222222:policy/sagemaker-algorithms-deploy-1,"
    )
    assert len(bootstrap) == 5

    create_policy = get_session().get_service_model("iam").operation_model("CreatePolicy")
    for account in STAGES.values():
        files = sorted(policies.glob(f"{account}-*.json"))
        assert files
        assert all(f"file://{f}" in "\n".join(lines) for f in files)
        actions: set[str] = set()
        for path in files:
            document = json.loads(path.read_text())
            compact = json.dumps(document, separators=(",", ":"))
            assert len(compact) <= 6144  # IAM's managed-policy size limit
            request = {"PolicyName": path.stem.split("-", 1)[1], "PolicyDocument": compact}
            report = ParamValidator().validate(request, create_policy.input_shape)
            assert not report.has_errors(), report.generate_report()
            for statement in document["Statement"]:
                listed = statement["Action"]
                listed = [listed] if isinstance(listed, str) else listed
                assert all("*" not in a for a in listed)
                if "iam:PassRole" in listed:
                    assert listed == ["iam:PassRole"]
                    assert statement["Resource"][0].startswith(f"arn:aws:iam::{account}:role/")
                actions.update(listed)
        for needed in ("sagemaker:CreateEndpoint", "kinesis:CreateStream", "kms:CreateKey"):
            assert needed in actions
    # prod's stacks hold an FSx file system; its schema has no handlers, the fallback does.
    prod = {
        a
        for f in policies.glob("333333333333-*.json")
        for s in json.loads(f.read_text())["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert "fsx:CreateFileSystem" in prod


def test_bootstrap_without_a_pipeline_needs_no_assembly(capsys: pytest.CaptureFixture):
    from infra.cli import main

    assert main(["bootstrap", "config/default.yaml", "--assembly", "/nonexistent"]) == 0
    assert capsys.readouterr().out.splitlines() == ["npx cdk bootstrap"]


def test_pipeline_acknowledgments_are_exact_local_and_explained(assembly: Assembly):
    from tests.test_nag_acknowledgments import MULTI_FINDING_RULES, acknowledgments

    pipeline = [
        a
        for a in acknowledgments(assembly)
        if a["acknowledgedAt"].startswith(("Pipeline/Pipeline/", "cross-region-stack-"))
    ]
    assert pipeline
    for item in pipeline:
        _, _, finding = item["acknowledgedId"].partition("::")
        assert finding == item["ruleName"]
        if finding.startswith(MULTI_FINDING_RULES):
            assert finding.endswith("]"), finding
        assert len(item["reason"].split()) >= 6, item
        # On the resource itself, never on the pipeline or its stack.
        assert item["acknowledgedAt"].endswith("/Resource"), item["acknowledgedAt"]
    rules = {a["ruleName"].split("[")[0] for a in pipeline}
    assert rules == {"AwsSolutions-IAM5"}


def test_the_review_lists_each_deployed_stack_once(assembly: Assembly):
    from infra.review.assembly import stacks as review_stacks
    from infra.review.markdown import render
    from infra.review.report import review

    names = set(review_stacks(assembly.directory))
    assert "dev/Xgboost" in names
    assert "Pipeline" in names
    assert not any(name.startswith("Pipeline/") for name in names)
    assert "\nNo change: " in render(review(assembly.directory, assembly.directory))
