"""Model lifecycle: nothing needs a model before one exists; endpoints follow the
registry's approved packages (recorded in cdk.context.json); stages promote the packages
an earlier stage approved, across accounts."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from aws_cdk.assertions import Template

from infra.config import parse_config
from infra.errors import ConfigError
from infra.plan import build_plan
from infra.review.markdown import render
from infra.review.report import review
from tests.conftest import DEFAULT, THREE_STAGES, Assembly, in_operation, synth_config, synth_dict
from tests.deploy_order import deploy_order, premature
from tests.recorded_models import approved_everywhere

NEEDS_A_MODEL = (
    "AWS::SageMaker::Model",
    "AWS::SageMaker::EndpointConfig",
    "AWS::SageMaker::Endpoint",
    "AWS::SageMaker::MonitoringSchedule",
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
    "AWS::ApiGateway::RestApi",
    "AWS::Lambda::EventSourceMapping",
)
DEV, STAGING, PROD, TOOLING = "111111111111", "222222222222", "333333333333", "444444444444"


def count(assembly: Assembly, kind: str) -> int:
    return sum(
        1
        for template in assembly.templates().values()
        for r in template.get("Resources", {}).values()
        if r["Type"] == kind
    )


def given(records: dict[str, object]) -> set[str]:
    """Every package and artifact a record says exists."""
    return {v for record in records.values() for v in record.values() if isinstance(v, str)}  # type: ignore[union-attr]


@pytest.mark.synth
def test_a_fresh_account_gets_no_resource_that_needs_a_model(empty_account_assembly: Assembly):
    assert empty_account_assembly.violations == []
    assert {kind: count(empty_account_assembly, kind) for kind in NEEDS_A_MODEL} == dict.fromkeys(
        NEEDS_A_MODEL, 0
    )
    templates = empty_account_assembly.templates()
    assert "dev/Streaming" not in templates  # the scorer waits for the RCF endpoint
    # What produces the models is there: a registry and pipelines per hostable algorithm.
    assert count(empty_account_assembly, "AWS::SageMaker::ModelPackageGroup") == 17
    assert count(empty_account_assembly, "AWS::SageMaker::Pipeline") == 34


@pytest.mark.synth
def test_every_resource_follows_what_it_needs_in_deploy_order(
    empty_account_assembly: Assembly, default_assembly: Assembly, tmp_path: Path
):
    assert premature(deploy_order(empty_account_assembly.directory), set(), set()) == []
    config = in_operation(DEFAULT, tmp_path)
    records = approved_everywhere(config)
    ready = set(yaml.safe_load(Path(config).read_text())["stages"]["dev"]["algorithms"])
    stacks = deploy_order(default_assembly.directory)
    assert premature(stacks, given(records), ready) == []
    # The walk fails where it should: an unrecorded package, a baseline nobody computed.
    kmeans = {r["arn"] for k, r in records.items() if "dev-kmeans-models" in k}  # type: ignore[index]
    unrecorded = premature(stacks, given(records) - kmeans, ready)
    assert [p.split(": ", 1) for p in unrecorded] == [
        [p.split(": ")[0], f"ModelPackageName {arn} exists in no record"]
        for p in unrecorded
        for arn in kmeans
    ]
    assert [p.split("/")[1] for p in unrecorded] == ["Kmeans", "Kmeans"]  # real-time, serverless
    missing = premature(stacks, given(records), ready - {"kmeans"})
    assert missing
    assert all("reads the kmeans baseline before it exists" in p for p in missing), missing


@pytest.mark.synth
def test_the_walk_finds_a_consumer_created_before_its_endpoint(default_assembly: Assembly):
    stacks = deploy_order(default_assembly.directory)
    streaming = next(i for i, s in enumerate(stacks) if s.name == "dev/Streaming")
    rcf = next(i for i, s in enumerate(stacks) if s.name == "dev/Randomcutforest")
    assert rcf < streaming
    swapped = copy.copy(stacks)
    swapped[rcf], swapped[streaming] = swapped[streaming], swapped[rcf]
    records = approved_everywhere(DEFAULT)
    found = premature(
        swapped,
        given(records),
        set(yaml.safe_load(Path(DEFAULT).read_text())["stages"]["dev"]["algorithms"]),
    )
    assert any("dev/Streaming" in p and "deployed nowhere before it" in p for p in found), found


XGBOOST_ONLY = {"stages": {"dev": {"algorithms": {"xgboost": None}}}}


@pytest.mark.synth
def test_a_new_approval_changes_the_models_only_and_keeps_the_endpoint(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(XGBOOST_ONLY))
    first = synth_config(str(path), tmp_path / "v1", approved_everywhere(str(path), version=1))
    second = synth_config(str(path), tmp_path / "v2", approved_everywhere(str(path), version=2))
    before = first.templates()["dev/Xgboost"]["Resources"]
    after = second.templates()["dev/Xgboost"]["Resources"]
    assert set(before) == set(after)
    changed = {k for k in before if before[k] != after[k]}
    # ModelPackageName changes replace the model (a new name), hence a new endpoint config
    # and a blue/green update of the same endpoint.
    assert {before[k]["Type"] for k in changed} == {"AWS::SageMaker::Model"}
    assert {
        after[k]["Properties"]["PrimaryContainer"]["ModelPackageName"].rsplit("/", 1)[1]
        for k in changed
    } == {"2"}
    # The reviewer sees which package each endpoint serves, before and after.
    report = render(review(second.directory, first.directory))
    rows = [line for line in report.splitlines() if line.startswith("| `dev-xgboost-")]
    assert [row.split(" | ")[-2:] for row in rows] == [
        ["`dev-xgboost-models v1`", "`dev-xgboost-models v2` |"],
        ["`dev-xgboost-models v1`", "`dev-xgboost-models v2` |"],
    ]
    endpoints = [
        r["Properties"]["EndpointName"]
        for r in after.values()
        if r["Type"] == "AWS::SageMaker::Endpoint"
    ]
    assert endpoints == [
        r["Properties"]["EndpointName"]
        for r in before.values()
        if r["Type"] == "AWS::SageMaker::Endpoint"
    ]


@pytest.mark.synth
def test_a_pinned_model_deploys_without_any_record(tmp_path: Path):
    pinned = "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/7"
    config = {
        "stages": {
            "dev": {
                "algorithms": {
                    "xgboost": {
                        "endpoint": {"model_package_arn": pinned},
                        "serverless": {"model_uri": "s3://models/xgb/model.tar.gz"},
                    }
                }
            }
        }
    }
    assembly = synth_dict(config, tmp_path, approved=False)
    models = Template.from_json(assembly.templates()["dev/Xgboost"]).find_resources(
        "AWS::SageMaker::Model"
    )
    containers = sorted(json.dumps(m["Properties"]["PrimaryContainer"]) for m in models.values())
    assert len(containers) == 2
    assert f'"ModelPackageName": "{pinned}"' in containers[0] + containers[1]
    assert '"ModelDataUrl": "s3://models/xgb/model.tar.gz"' in containers[0] + containers[1]


def plan_errors(config: dict, records: dict | None = None) -> list[str]:
    try:
        build_plan(parse_config(yaml.safe_dump(config), "c.yaml"), "c.yaml", records or {})
    except ConfigError as error:
        return error.lines
    return []


def stage(account: str, region: str = "eu-west-1", **extra: object) -> dict:
    return {"account": account, "region": region, "algorithms": {"xgboost": None}, **extra}


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        (
            {"dev": stage(DEV), "prod": stage(PROD, models_from="qa")},
            "c.yaml: stages.prod.models_from: qa — not a stage of this config (allowed: dev, prod)",
        ),
        (
            {"dev": stage(DEV, models_from="prod"), "prod": stage(PROD)},
            "c.yaml: stages.dev.models_from: prod — names a later stage; models flow from "
            "earlier stages to later ones (allowed: )",
        ),
        (
            {"dev": stage(DEV, models_from="dev")},
            "c.yaml: stages.dev.models_from: dev — names its own stage; a stage follows its "
            "own registry by default",
        ),
        (
            {"dev": stage(DEV), "prod": stage(PROD, "us-east-1", models_from="dev")},
            "c.yaml: stages.prod.models_from: dev — dev is in eu-west-1, this stage in "
            "us-east-1: SageMaker creates models only from packages and artifacts in the "
            "model's own region",
        ),
        (
            {"dev": {"algorithms": {"xgboost": None}}, "prod": stage(PROD, models_from="dev")},
            "c.yaml: stages.prod.models_from: dev — both stages name their account and "
            "region, or neither does (an environment-agnostic registry could be in any account)",
        ),
        (
            {
                "dev": {**stage(DEV), "algorithms": {"kmeans": None}},
                "prod": stage(PROD, models_from="dev"),
            },
            "c.yaml: stages.prod.algorithms.xgboost: xgboost — dev does not train xgboost, so "
            "its registry has no xgboost models (enable it in dev, or pin "
            "endpoint.model_package_arn)",
        ),
        (
            {
                "prod": {
                    **stage(PROD),
                    "algorithms": {
                        "xgboost": {
                            "endpoint": {
                                "model_package_arn": "arn:aws:sagemaker:us-east-1:"
                                f"{PROD}:model-package/churn/3"
                            }
                        }
                    },
                }
            },
            "c.yaml: stages.prod.algorithms.xgboost.endpoint.model_package_arn: "
            f"arn:aws:sagemaker:us-east-1:{PROD}:model-package/churn/3 — is in us-east-1; "
            "SageMaker creates models only from packages in the stage's region (eu-west-1)",
        ),
        (
            {
                "prod": {
                    **stage(PROD),
                    "algorithms": {
                        "xgboost": {
                            "endpoint": {
                                "model_package_arn": "arn:aws:sagemaker:eu-west-1:"
                                "999999999999:model-package/churn/3"
                            }
                        }
                    },
                }
            },
            "c.yaml: stages.prod.algorithms.xgboost.endpoint.model_package_arn: "
            "arn:aws:sagemaker:eu-west-1:999999999999:model-package/churn/3 — is in account "
            f"999999999999, not this stage's ({PROD}); serve another stage's packages with "
            "models_from, which shares their artifacts and key",
        ),
        (
            {"dev": stage(DEV, ephemeral=True), "prod": stage(PROD, models_from="dev")},
            "c.yaml: stages.prod.models_from: dev — dev is ephemeral: deleting it would delete "
            "the artifacts, key and registry these endpoints serve from (set ephemeral: false "
            "there)",
        ),
    ],
    ids=[
        "unknown stage",
        "later stage",
        "itself",
        "another region",
        "agnostic source",
        "source does not train it",
        "pinned package from another region",
        "pinned package from another account",
        "promotion from an ephemeral stage",
    ],
)
def test_bad_promotions_are_one_line_each(stages: dict, expected: str):
    assert plan_errors({"stages": stages}) == [expected]


def test_a_record_that_is_not_one_is_refused_with_the_command_to_fix_it():
    key = f"sagemaker-approved-model:account={DEV}:region=eu-west-1:group=dev-xgboost-models"
    lines = plan_errors(
        {"stages": {"dev": stage(DEV)}},
        {key: {"arn": f"arn:aws:sagemaker:eu-west-1:{DEV}:model-package/other/1", "version": 1}},
    )
    assert lines == [
        f'c.yaml: {key}: {{"arn": "arn:aws:sagemaker:eu-west-1:{DEV}:model-package/other/1", '
        '"version": 1} — not a package of dev-xgboost-models: run `python -m infra models '
        "refresh CONFIG` to record it again (cdk.context.json)"
    ]


def test_serverless_serves_the_pinned_model_of_a_disabled_endpoint():
    # The endpoint is off, its pinned model stays the serverless endpoint's default.
    config = {
        "stages": {
            "dev": {
                "algorithms": {
                    "kmeans": {
                        "endpoint": {
                            "enabled": False,
                            "model_uri": "s3://models/kmeans/model.tar.gz",
                        },
                        "serverless": {"enabled": True},
                    }
                }
            }
        }
    }
    plan = build_plan(parse_config(yaml.safe_dump(config), "c.yaml"), "c.yaml")
    (kmeans,) = plan.stages[0].algorithms
    assert kmeans.serverless.source.model_uri == "s3://models/kmeans/model.tar.gz"


def templates_of(assembly: Assembly, stack: str) -> Template:
    return Template.from_json(assembly.templates()[stack])


@pytest.mark.synth
def test_staging_and_prod_serve_devs_approved_packages(three_stage_assembly: Assembly):
    records = approved_everywhere(THREE_STAGES)
    packages = {r["arn"] for r in records.values()}  # type: ignore[index]
    assert {p.split(":")[4] for p in packages} == {DEV}
    for name in ("staging", "prod"):
        models = templates_of(three_stage_assembly, f"{name}/Xgboost").find_resources(
            "AWS::SageMaker::Model"
        )
        served = {m["Properties"]["PrimaryContainer"]["ModelPackageName"] for m in models.values()}
        assert served == {
            f"arn:aws:sagemaker:eu-west-1:{DEV}:model-package/dev-xgboost-models/1"
        }, name
    # custom-onnx's model and k-means' featurizer (its pipeline's first container), pinned
    # in the config; the asynchronous image classifier follows dev's approved package.
    pinned = {
        "s3://example-models/onnx/model.tar.gz",
        "s3://example-models/kmeans-featurizer/model.tar.gz",
    }
    order = deploy_order(three_stage_assembly.directory)
    assert premature(order, given(records) | pinned, set()) == []


def statements(template: dict, kind: str, field: str) -> list[dict]:
    return [
        s
        for r in template["Resources"].values()
        if r["Type"] == kind
        for s in r["Properties"][field]["Statement"]
    ]


@pytest.mark.synth
def test_dev_shares_exactly_with_the_accounts_that_follow_it(three_stage_assembly: Assembly):
    templates = three_stage_assembly.templates()
    followers = [f"arn:aws:iam::{STAGING}:root", f"arn:aws:iam::{PROD}:root"]
    (group,) = [
        r["Properties"]
        for r in templates["dev/Xgboost"]["Resources"].values()
        if r["Type"] == "AWS::SageMaker::ModelPackageGroup"
    ]
    policy = group["ModelPackageGroupPolicy"]
    assert [(s["Sid"], s["Principal"]["AWS"]) for s in policy["Statement"]] == [
        ("DescribeGroup", followers),
        ("DeployVersions", followers),
    ]
    assert policy["Statement"][1]["Action"] == [
        "sagemaker:DescribeModelPackage",
        "sagemaker:ListModelPackages",
        "sagemaker:CreateModel",
    ]
    foundation = templates["dev/Foundation"]
    (key_grant,) = [
        s
        for s in statements(foundation, "AWS::KMS::Key", "KeyPolicy")
        if s.get("Sid") == "DecryptSharedModelArtifacts"
    ]
    assert key_grant["Principal"]["AWS"] == followers
    assert key_grant["Condition"] == {
        "StringEquals": {
            "kms:ViaService": {"Fn::Join": ["", ["s3.eu-west-1.", {"Ref": "AWS::URLSuffix"}]]}
        }
    }
    (bucket_grant,) = [
        s
        for s in statements(foundation, "AWS::S3::BucketPolicy", "PolicyDocument")
        if s.get("Sid") == "ReadSharedModels"
    ]
    assert bucket_grant["Action"] == "s3:GetObject"
    assert "/models/xgboost/*" in json.dumps(bucket_grant["Resource"])
    # Followers read with their model roles: dev's key via S3, dev's artifact object.
    staging = templates["staging/Xgboost"]
    policies = {s.get("Sid"): s for s in statements(staging, "AWS::IAM::Policy", "PolicyDocument")}
    assert policies["DecryptSharedArtifacts"]["Resource"] == f"arn:aws:kms:eu-west-1:{DEV}:key/*"
    assert "models/xgboost/pipelines-run1/output/model.tar.gz" in json.dumps(
        policies["ReadConfiguredObjects"]["Resource"]
    )
    # staging and prod register nothing anyone follows: they share nothing.
    for name in ("staging", "prod"):
        assert "DecryptSharedModelArtifacts" not in json.dumps(templates[f"{name}/Foundation"])


@pytest.mark.synth
def test_an_approval_in_dev_starts_the_pipeline(three_stage_assembly: Assembly):
    templates = three_stage_assembly.templates()
    rules = [
        r["Properties"]
        for r in templates["dev/Foundation"]["Resources"].values()
        if r["Type"] == "AWS::Events::Rule"
        and "SageMaker Model Package State Change" in json.dumps(r)
    ]
    (forward,) = rules
    assert forward["EventPattern"]["detail"] == {
        "ModelPackageGroupName": [
            "dev-image-classification-models",  # its asynchronous endpoint follows it
            "dev-kmeans-models",
            "dev-randomcutforest-models",
            "dev-xgboost-models",
        ],
        "ModelApprovalStatus": ["Approved", "Rejected"],
    }
    (target,) = forward["Targets"]
    assert target["Arn"] == f"arn:aws:events:us-east-1:{TOOLING}:event-bus/default"
    assert "RoleArn" in target
    assert "DeadLetterConfig" in target
    pipeline = json.loads((three_stage_assembly.directory / "Pipeline.template.json").read_text())
    resources = pipeline["Resources"].values()
    (bus_policy,) = [
        r["Properties"] for r in resources if r["Type"] == "AWS::Events::EventBusPolicy"
    ]
    assert (bus_policy["Principal"], bus_policy["Action"]) == (DEV, "events:PutEvents")
    (start,) = [
        r["Properties"]
        for r in resources
        if r["Type"] == "AWS::Events::Rule" and "Model Package" in json.dumps(r)
    ]
    assert start["EventPattern"]["account"] == [DEV]
    (target,) = start["Targets"]
    assert "codepipeline" in json.dumps(target["Arn"])
    # The synth step may read dev's registry through dev's CDK lookup role, and only that.
    assume = [
        s
        for s in statements(pipeline, "AWS::IAM::Policy", "PolicyDocument")
        if s.get("Sid") == "RecordApprovedModels"
    ]
    assert [s["Resource"] for s in assume] == [
        f"arn:aws:iam::{DEV}:role/cdk-hnb659fds-lookup-role-{DEV}-eu-west-1"
    ]


def test_approvals_route_to_the_pipeline_and_never_back_to_their_own_bus():
    pipeline = {
        "account": TOOLING,
        "region": "us-east-1",
        "connection_arn": "arn:aws:codeconnections:us-east-1:444444444444:connection/"
        "0f2a6c1e-8b7d-4e52-9a3b-1c2d3e4f5a6b",
        "repository": "example-org/sagemaker-algorithms",
    }
    stages = {
        "tools": stage(TOOLING, "us-east-1"),
        "dev": stage(DEV),
        "prod": stage(PROD, models_from="dev"),
    }
    config = {"stages": stages, "pipeline": pipeline}
    plan = build_plan(parse_config(yaml.safe_dump(config), "c.yaml"), "c.yaml")
    announced = {s.name: s.announces for s in plan.stages}
    assert announced["tools"] is None  # the pipeline's own bus: its rule sees the event
    assert announced["prod"] is None  # follows dev: registers nothing followed
    assert (announced["dev"].groups, announced["dev"].to_account) == (
        ("dev-xgboost-models",),
        TOOLING,
    )
    assert plan.pipeline.approvals_from == (
        (DEV, ("dev-xgboost-models",)),
        (TOOLING, ("tools-xgboost-models",)),
    )
    assert [(r.account, r.region) for r in plan.pipeline.lookup_roles] == [
        (DEV, "eu-west-1"),
        (TOOLING, "us-east-1"),
    ]


@pytest.mark.synth
def test_the_app_reads_the_record_from_the_context_the_cli_passes(tmp_path: Path):
    # The CDK CLI hands cdk.context.json to the app in CDK_CONTEXT_JSON.
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT, cdk_context

    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(XGBOOST_ONLY))
    context = cdk_context(config=str(path), **approved_everywhere(str(path), version=4))
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={**os.environ, "CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(out)},
        check=True,
        capture_output=True,
    )
    (template,) = out.glob("assembly-dev/devXgboost*.template.json")
    served = {
        r["Properties"]["PrimaryContainer"]["ModelPackageName"]
        for r in json.loads(template.read_text())["Resources"].values()
        if r["Type"] == "AWS::SageMaker::Model"
    }
    assert served == {"arn:aws:sagemaker:us-east-1:123456789012:model-package/dev-xgboost-models/4"}


def test_the_first_package_is_registered_for_the_endpoint_it_waits_for():
    config = {
        "stages": {
            "dev": {
                "algorithms": {
                    "image-classification": {"endpoint": {"instance_type": "ml.g4dn.xlarge"}}
                }
            }
        }
    }
    plan = build_plan(parse_config(yaml.safe_dump(config), "c.yaml"), "c.yaml")
    (algorithm,) = plan.stages[0].algorithms
    assert algorithm.endpoint.reason == (
        "waiting for an approved model in dev-image-classification-models"
    )
    registration = algorithm.registration
    # A GPU package lists GPU types only: not the catalog's CPU default beside them.
    assert (registration.processor.value, registration.instance_types) == (
        "gpu",
        ("ml.g4dn.xlarge",),
    )
