"""Batch transform: plan decisions, CreateTransformJob requests against botocore's shape,
the rendered pipeline, model and roles (three-stage example), and the rule pack's
transform rules failing on minimal edits."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from infra.catalog import CATALOG
from infra.catalog.model import HostingSpec
from infra.catalog.transform import TRANSFORM, SplitType, split_type
from infra.config import parse_config
from infra.guardrails.rules import transform_encryption, transform_isolation
from infra.guardrails.template import Template, text
from infra.pipelines.transform import TransformResources, transform_pipeline
from infra.plan import AlgorithmPlan, build_plan
from infra.plan.models import Waiting
from infra.plan.skipped import Disabled
from infra.plan.summary import transform_lines
from infra.plan.transform import TransformPlan
from tests.api_shapes import step_errors
from tests.cfn_values import pipeline_definitions
from tests.conftest import Assembly
from tests.pipeline_evaluate import step_requests

PINNED = "s3://models-bucket/models/model.tar.gz"
RESOURCES = TransformResources(
    model_name="dev-model",
    data_bucket="data-bucket",
    artifacts_bucket="artifacts-bucket",
    kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/abc",
)
HOSTABLE = [n for n, a in CATALOG.items() if isinstance(a.hosting, HostingSpec)]


def plan_for(name: str, transform: dict | None = None, pinned: bool = True) -> AlgorithmPlan:
    body: dict = {"transform": {"enabled": True, **(transform or {})}}
    if pinned:
        body["endpoint"] = {"model_uri": PINNED}
    text_ = yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body}}}})
    (algorithm,) = build_plan(parse_config(text_, "t.yaml"), "t.yaml").stages[0].algorithms
    return algorithm


def request(plan: AlgorithmPlan) -> dict:
    assert isinstance(plan.transform, TransformPlan)
    definition = transform_pipeline(plan.name, plan.transform, RESOURCES)
    json.dumps(definition)
    ((_, step_type, arguments),) = step_requests(definition)
    assert step_type == "Transform"
    return arguments


def test_the_catalog_covers_exactly_the_hostable_algorithms() -> None:
    assert sorted(TRANSFORM) == sorted(HOSTABLE)
    for name, spec in TRANSFORM.items():
        assert spec.sources, name
        assert all(split_type(c) for c in spec.content_types)


def test_off_unless_enabled_and_waiting_without_a_model() -> None:
    text_ = yaml.safe_dump({"stages": {"dev": {"algorithms": {"kmeans": None}}}})
    (kmeans,) = build_plan(parse_config(text_, "t.yaml"), "t.yaml").stages[0].algorithms
    assert isinstance(kmeans.transform, Disabled)
    waiting = plan_for("kmeans", pinned=False).transform
    assert isinstance(waiting, Waiting)
    assert waiting.reason == "waiting for an approved model in dev-kmeans-models"
    assert isinstance(waiting.planned, TransformPlan)  # checked now, rendered later


@pytest.mark.parametrize("name", HOSTABLE)
def test_every_default_request_matches_the_api(name: str) -> None:
    arguments = request(plan_for(name))
    assert step_errors("Transform", arguments) == ""
    assert arguments["TransformOutput"]["KmsKeyId"] == RESOURCES.kms_key_arn
    assert arguments["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] == (
        "s3://data-bucket/transform/" + name + "/input/"
    )


def test_csv_is_split_by_line_and_joined_with_its_ids() -> None:
    arguments = request(plan_for("kmeans"))
    assert arguments["TransformInput"]["ContentType"] == "text/csv"
    assert arguments["TransformInput"]["SplitType"] == "Line"
    assert arguments["BatchStrategy"] == "MultiRecord"
    assert arguments["TransformOutput"]["Accept"] == "application/jsonlines"  # facts §5
    assert arguments["TransformOutput"]["AssembleWith"] == "Line"
    assert arguments["DataProcessing"] == {
        "JoinSource": "Input",
        "InputFilter": "$[1:]",
        "OutputFilter": "$[0,-1]",
    }
    # XGBoost writes CSV: a joined CSV row stays CSV.
    assert request(plan_for("xgboost"))["TransformOutput"]["Accept"] == "text/csv"


def test_json_lines_keep_the_id_attribute_and_deepar_one_record_per_request() -> None:
    arguments = request(plan_for("forecasting-deepar"))
    assert arguments["BatchStrategy"] == "SingleRecord"
    assert arguments["TransformInput"]["SplitType"] == "Line"
    assert arguments["DataProcessing"]["OutputFilter"] == "$['id','SageMakerOutput']"


def test_images_are_sent_whole_unjoined_and_local_storage_takes_no_volume_key() -> None:
    arguments = request(plan_for("image-classification", {"instance_type": "ml.g5.xlarge"}))
    assert arguments["TransformInput"]["SplitType"] == "None"
    assert "BatchStrategy" not in arguments
    assert "DataProcessing" not in arguments
    assert "VolumeKmsKeyId" not in arguments["TransformResources"]
    assert "VolumeKmsKeyId" in request(plan_for("kmeans"))["TransformResources"]


def test_recordio_is_split_by_record_and_assembled_as_binary() -> None:
    recordio = "application/x-recordio-protobuf"
    plan = plan_for("pca", {"content_type": recordio, "accept": recordio})
    arguments = request(plan)
    assert arguments["TransformInput"]["SplitType"] == SplitType.RECORDIO.value
    assert arguments["TransformOutput"]["AssembleWith"] == "None"  # binary results
    assert split_type("application/jsonlines") is SplitType.LINE


def test_run_time_parameters_and_limits() -> None:
    plan = plan_for("kmeans", {"max_payload_mb": 10, "max_concurrent_transforms": 10})
    definition = transform_pipeline("kmeans", plan.transform, RESOURCES)  # type: ignore[arg-type]
    parameters = {p["Name"]: p["DefaultValue"] for p in definition["Parameters"]}
    assert parameters == {
        "TransformInputUri": "s3://data-bucket/transform/kmeans/input/",
        "TransformOutputUri": "s3://artifacts-bucket/transform/kmeans/output/",
        "TransformInstanceCount": 1,
    }
    arguments = definition["Steps"][0]["Arguments"]
    assert arguments["TransformOutput"]["S3OutputPath"]["Std:Join"]["Values"][1] == {
        "Get": "Execution.PipelineExecutionId"
    }
    assert (arguments["MaxPayloadInMB"], arguments["MaxConcurrentTransforms"]) == (10, 10)


def test_the_summary_shows_the_pipeline_or_its_wait() -> None:
    text_ = yaml.safe_dump(
        {
            "stages": {
                "dev": {
                    "algorithms": {
                        "kmeans": {"transform": {"enabled": True}},
                        "pca": {
                            "endpoint": {"model_uri": PINNED},
                            "transform": {"enabled": True, "schedule": "rate(1 day)"},
                        },
                    }
                }
            }
        }
    )
    (stage,) = build_plan(parse_config(text_, "t.yaml"), "t.yaml").stages
    assert transform_lines(stage) == [
        "- dev-kmeans-transform: waiting for an approved model in dev-kmeans-models",
        "- dev-pca-transform: ml.m5.xlarge ×1, text/csv split Line MultiRecord → "  # noqa: RUF001
        f"application/jsonlines, ids joined ($[0,-1]), rate(1 day), serves {PINNED}",
    ]


# The rendered stacks: the three-stage example scores k-means in dev and, nightly, in prod.


@pytest.fixture(scope="module")
def templates(three_stage_assembly: Assembly) -> dict[str, dict]:
    return three_stage_assembly.templates()


def resources(template: dict, kind: str, prefix: str = "Transform") -> dict[str, dict]:
    return {
        lid: r["Properties"]
        for lid, r in template["Resources"].items()
        if r["Type"] == kind and lid.startswith(prefix)
    }


@pytest.mark.synth
def test_the_model_is_the_served_one_isolated_in_the_vpc(templates: dict) -> None:
    """The example's k-means endpoints run a featurizer before k-means: the transform
    scores through the very same containers, in sequence, on the approved package's
    artifact (dev's, in prod too: models_from: dev)."""
    for stage in ("dev", "prod"):
        template = templates[f"{stage}/Kmeans"]
        (model,) = resources(template, "AWS::SageMaker::Model").values()
        assert model["EnableNetworkIsolation"] is True
        assert model["VpcConfig"]["Subnets"]
        assert model["VpcConfig"]["SecurityGroupIds"]
        assert model["InferenceExecutionConfig"] == {"Mode": "Serial"}
        served = [
            m
            for lid, m in resources(template, "AWS::SageMaker::Model", "").items()
            if not lid.startswith("Transform")
        ]
        assert served, f"{stage}: no endpoint model"
        assert all(m["Containers"] == model["Containers"] for m in served)
        hostnames = [c["ContainerHostname"] for c in model["Containers"]]
        assert hostnames[0] == "featurizer"
        # the recorded approved package's artifact, in dev's bucket for prod too
        assert model["Containers"][-1]["ModelDataUrl"] == (
            "s3://dev-artifacts-111111111111/models/kmeans/pipelines-run1/output/model.tar.gz"
        )


@pytest.mark.synth
def test_the_pipeline_role_only_runs_transform_jobs(templates: dict) -> None:
    policies = resources(templates["dev/Kmeans"], "AWS::IAM::Policy", "TransformPipelineRole")
    (policy,) = policies.values()
    statements = {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}
    assert set(statements) == {"RunTransformJobs", "UseStageKey", "GrantsForAwsResources"}
    assert sorted(statements["RunTransformJobs"]["Action"]) == [
        "sagemaker:AddTags",
        "sagemaker:CreateTransformJob",
        "sagemaker:DescribeTransformJob",
        "sagemaker:StopTransformJob",
    ]
    assert text(statements["RunTransformJobs"]["Resource"]).endswith(":transform-job/pipelines-*")


@pytest.mark.synth
def test_the_model_role_reads_and_writes_only_the_transform_prefixes(templates: dict) -> None:
    foundation = templates["dev/Foundation"]
    (access,) = resources(foundation, "AWS::IAM::ManagedPolicy", "KmeansTransformAccess").values()
    statements = {s["Sid"]: s for s in access["PolicyDocument"]["Statement"]}
    assert text(statements["ReadTransformInput"]["Resource"]).endswith("/transform/kmeans/*")
    assert text(statements["WriteTransformOutput"]["Resource"]).endswith("/transform/kmeans/*")
    assert statements["ListTransformInput"]["Condition"] == {
        "StringLike": {"s3:prefix": ["transform/kmeans/*"]}
    }
    # Only stages whose transform is planned get the policy.
    staging = templates["staging/Foundation"]
    assert not resources(staging, "AWS::IAM::ManagedPolicy", "KmeansTransform")


@pytest.mark.synth
def test_a_schedule_only_where_configured(templates: dict) -> None:
    assert not resources(templates["dev/Kmeans"], "AWS::Scheduler::Schedule")
    (schedule,) = resources(templates["prod/Kmeans"], "AWS::Scheduler::Schedule").values()
    assert schedule["ScheduleExpression"] == "cron(0 3 * * ? *)"
    assert text(schedule["Target"]["Arn"]).endswith(":pipeline/prod-kmeans-transform")


@pytest.mark.synth
def test_every_rendered_transform_request_matches_the_api(templates: dict) -> None:
    checked = 0
    for name in ("dev/Kmeans", "prod/Kmeans"):
        for definition in pipeline_definitions(templates[name]).values():
            for _, step_type, arguments in step_requests(definition):
                if step_type == "Transform":
                    assert step_errors(step_type, arguments) == "", name
                    checked += 1
    assert checked == 2


def findings(rule, body: dict) -> list[str]:
    return [f.message for f in rule.RULE.findings(Template.parse(body))]


def edit_step(body: dict, edit) -> dict:
    body = copy.deepcopy(body)
    (pipeline,) = [
        r
        for lid, r in body["Resources"].items()
        if lid.startswith("TransformPipeline") and r["Type"] == "AWS::SageMaker::Pipeline"
    ]
    definition_property = pipeline["Properties"]["PipelineDefinition"]
    definition = json.loads(text(definition_property["PipelineDefinitionBody"]))
    edit(definition["Steps"][0]["Arguments"])
    definition_property["PipelineDefinitionBody"] = json.dumps(definition)
    return body


@pytest.mark.synth
def test_the_transform_rules_pass_on_the_example(templates: dict) -> None:
    for name, body in templates.items():
        assert findings(transform_encryption, body) == [], name
        assert findings(transform_isolation, body) == [], name


@pytest.mark.synth
def test_transform_encryption_fails_without_keys(templates: dict) -> None:
    body = templates["dev/Kmeans"]
    no_output_key = edit_step(body, lambda a: a["TransformOutput"].pop("KmsKeyId"))
    assert findings(transform_encryption, no_output_key) == [
        "pipeline step 'Transform': results are not encrypted with our key"
    ]
    no_volume_key = edit_step(body, lambda a: a["TransformResources"].pop("VolumeKmsKeyId"))
    assert findings(transform_encryption, no_volume_key) == [
        "pipeline step 'Transform': the volumes of ml.m5.xlarge are not encrypted with our key"
    ]
    local = edit_step(body, lambda a: a["TransformResources"].update(InstanceType="ml.g5.xlarge"))
    assert "refuses a key" in findings(transform_encryption, local)[0]


@pytest.mark.synth
def test_transform_isolation_fails_on_an_open_model(templates: dict) -> None:
    body = copy.deepcopy(templates["dev/Kmeans"])
    (model,) = [
        r
        for lid, r in body["Resources"].items()
        if lid.startswith("TransformModel") and r["Type"] == "AWS::SageMaker::Model"
    ]
    model["Properties"]["EnableNetworkIsolation"] = False
    del model["Properties"]["VpcConfig"]
    assert findings(transform_isolation, body) == [
        "the model pipeline step 'Transform' runs is outside the VPC",
        "the model pipeline step 'Transform' runs is not network-isolated",
    ]
    elsewhere = edit_step(templates["dev/Kmeans"], lambda a: a.update(ModelName="someone-elses"))
    assert "does not define" in findings(transform_isolation, elsewhere)[0]


def test_the_registered_package_declares_where_and_how_its_transform_runs() -> None:
    seq2seq = plan_for("seq2seq", pinned=False)
    assert seq2seq.registration is not None
    assert seq2seq.registration.transform_instance_types == ("ml.g4dn.xlarge",)
    # Batch seq2seq reads and writes JSON Lines, which real-time serving does not list.
    assert "application/jsonlines" in seq2seq.registration.content_types
    assert "application/jsonlines" in seq2seq.registration.response_types
    text_ = yaml.safe_dump({"stages": {"dev": {"algorithms": {"seq2seq": None}}}})
    (plain,) = build_plan(parse_config(text_, "t.yaml"), "t.yaml").stages[0].algorithms
    assert plain.registration is not None
    assert plain.registration.transform_instance_types == ()


def test_the_example_waits_for_approval_before_any_transform() -> None:
    from infra.cli import load_plan

    plan = load_plan("config/examples/three-stages.yaml", records={})
    transforms = {
        (stage.name, a.name): a.transform for stage in plan.stages for a in stage.algorithms
    }
    assert {k for k, t in transforms.items() if not isinstance(t, Disabled)} == {
        ("dev", "kmeans"),
        ("prod", "kmeans"),
    }
    assert all(
        isinstance(t, Waiting) and t.reason == "waiting for an approved model in dev-kmeans-models"
        for k, t in transforms.items()
        if k[1] == "kmeans" and k[0] != "staging"
    )


@pytest.mark.synth
def test_the_lifecycle_walk_flags_a_transform_model_without_a_record(
    three_stage_assembly: Assembly,
) -> None:
    from tests.deploy_order import deploy_order, premature
    from tests.recorded_models import approved_everywhere

    records = approved_everywhere("config/examples/three-stages.yaml")
    given = {v for r in records.values() for v in r.values() if isinstance(v, str)}  # type: ignore[union-attr]
    kmeans = {v for v in given if "dev-kmeans-models" in v}
    pinned = {"s3://example-models/onnx/model.tar.gz"}
    found = premature(deploy_order(three_stage_assembly.directory), given - kmeans | pinned, set())
    assert any("dev/Kmeans/TransformModel" in p for p in found), found
    assert any("prod/Kmeans/TransformModel" in p for p in found), found


@pytest.mark.synth
def test_cfn_lint_passes_the_stacks_with_transform_pipelines(
    three_stage_assembly: Assembly,
) -> None:
    # The default app (linted whole in test_synth) has no transform: it is opt-in. Only
    # the stacks that render one here, to keep the suite fast.
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import ROOT

    directory = three_stage_assembly.directory
    stacks = sorted(str(p) for p in directory.glob("assembly-*/*Kmeans*.template.json"))
    assert len(stacks) == 3  # dev, staging, prod; staging's has no transform
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "cfn-lint"),
            "--config-file",
            str(ROOT / ".cfnlintrc.yaml"),
            *stacks,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
