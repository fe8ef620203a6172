"""Drift checks (engine drift-checks): plan, pipeline definition against SageMaker's API
shapes, the window/publish Lambda with botocore's Stubber, and the default synth."""

from __future__ import annotations

import io
import json
import re

import boto3
import pytest
import yaml
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from infra.catalog import drift as facts
from infra.catalog.model_monitor import MODEL_QUALITY_METRICS
from infra.config import parse_config
from infra.pipelines.drift import (
    CHECK,
    PUBLISH,
    WINDOW,
    WINDOW_OUTPUTS,
    DriftResources,
    drift_pipeline,
)
from infra.plan import AlgorithmPlan, build_plan
from infra.plan.monitoring import MonitorPlan
from tests.api_shapes import step_errors
from tests.conftest import Assembly
from tests.pipeline_evaluate import step_requests

RESOURCES = DriftResources(
    function_arn="arn:aws:lambda:eu-west-1:123456789012:function:drift",
    job_role_arn="arn:aws:iam::123456789012:role/drift-job",
    image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/cdk-assets:drift",
    artifacts_bucket="artifacts-bucket",
    kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/abc",
    subnet_ids=("subnet-a", "subnet-b"),
    security_group_ids=("sg-1",),
    endpoint_name="dev-linear-learner-rt-abcdef",
)
MONITORED = (
    "ipinsights",
    "kmeans",
    "knn",
    "lda",
    "linear-learner",
    "ntm",
    "pca",
    "randomcutforest",
    "xgboost",
)


def plan_for(name: str, monitoring: dict | None = None) -> AlgorithmPlan:
    body = {"monitoring": {"baseline_ready": True, **(monitoring or {})}}
    text = yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body}}}})
    (algorithm,) = build_plan(parse_config(text, "t.yaml"), "t.yaml").stages[0].algorithms
    return algorithm


def monitor_of(plan: AlgorithmPlan) -> MonitorPlan:
    assert isinstance(plan.monitor, MonitorPlan)
    return plan.monitor


# --- plan -------------------------------------------------------------------------


def test_drift_checks_are_the_default_engine_with_the_default_alarms() -> None:
    monitor = monitor_of(plan_for("kmeans"))
    assert monitor.drift_checks
    assert monitor.drift is not None
    assert (monitor.drift.drift_share, monitor.drift.no_data_runs) == (0.3, 3)
    assert monitor.drift.period_seconds == 86400
    hourly = monitor_of(plan_for("kmeans", {"schedule": "hourly", "no_data_runs": 6}))
    assert hourly.drift is not None
    assert (hourly.drift.period_seconds, hourly.drift.no_data_runs) == (3600, 6)
    old = monitor_of(plan_for("kmeans", {"engine": "model-monitor"}))
    assert (old.drift_checks, old.drift) == (False, None)


# --- pipeline definition ----------------------------------------------------------


def test_the_drift_pipeline_is_window_check_publish_in_the_sdks_json() -> None:
    plan = plan_for(
        "linear-learner", {"model_quality": {"alarm_metric": "f1", "alarm_threshold": 0.8}}
    )
    definition = drift_pipeline(plan, monitor_of(plan), RESOURCES)
    window, check, publish = definition["Steps"]
    assert [s["Name"] for s in definition["Steps"]] == [WINDOW, CHECK, PUBLISH]
    # LambdaStep.to_request: Name, Type, Arguments, FunctionArn, OutputParameters.
    for step in (window, publish):
        assert set(step) == {"Name", "Type", "Arguments", "FunctionArn", "OutputParameters"}
        assert step["Type"] == "Lambda"
        assert step["FunctionArn"] == RESOURCES.function_arn
    assert [o["OutputName"] for o in window["OutputParameters"]] == list(WINDOW_OUTPUTS)
    assert window["Arguments"]["capture_prefix"] == (
        "capture/linear-learner/dev-linear-learner-rt-abcdef/"
    )
    assert window["Arguments"]["ground_truth_uri"] == (
        "s3://artifacts-bucket/monitoring/linear-learner/ground-truth/"
    )
    assert window["Arguments"]["started"] == {"Get": "Execution.StartDateTime"}
    # The check reads the window's manifests and writes where the window says.
    inputs = {i["InputName"]: i["S3Input"] for i in check["Arguments"]["ProcessingInputs"]}
    assert inputs["capture"]["S3DataType"] == "ManifestFile"
    assert inputs["capture"]["S3Uri"] == {
        "Get": f"Steps.{WINDOW}.OutputParameters['capture_manifest']"
    }
    assert inputs["ground_truth"]["S3DataType"] == "ManifestFile"
    assert inputs["reference"]["S3Uri"] == "s3://artifacts-bucket/baselines/linear-learner/drift/"
    (output,) = check["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    assert output["S3Output"]["S3Uri"] == {"Get": f"Steps.{WINDOW}.OutputParameters['output_uri']"}
    # Publish reads a property of the check, so it runs after it.
    assert publish["Arguments"]["report_uri"] == {
        "Get": f"Steps.{CHECK}.ProcessingOutputConfig.Outputs['report'].S3Output.S3Uri"
    }
    arguments = check["Arguments"]["AppSpecification"]["ContainerArguments"]
    assert arguments[0] == "check"
    assert arguments[arguments.index("--problem-type") + 1] == "BinaryClassification"
    assert arguments[arguments.index("--drift-share") + 1] == "0.3"
    assert arguments[arguments.index("--probability-attribute") + 1] == "score"


@pytest.mark.parametrize("name", MONITORED)
def test_every_check_step_is_a_valid_isolated_encrypted_processing_job(name: str) -> None:
    plan = plan_for(name)
    requests = step_requests(drift_pipeline(plan, monitor_of(plan), RESOURCES))
    ((_, kind, check),) = [r for r in requests if r[0] == CHECK]
    assert step_errors(kind, check) == ""
    assert check["NetworkConfig"]["EnableNetworkIsolation"] is True
    assert check["NetworkConfig"]["VpcConfig"]["Subnets"] == ["subnet-a", "subnet-b"]
    assert check["ProcessingOutputConfig"]["KmsKeyId"] == RESOURCES.kms_key_arn
    assert check["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"] == (
        RESOURCES.kms_key_arn
    )
    supervised = "--problem-type" in check["AppSpecification"]["ContainerArguments"]
    assert supervised is (name in {"linear-learner", "xgboost", "knn"})
    assert len(check["ProcessingInputs"]) == (3 if supervised else 2)


def test_metric_names_are_the_contracts_and_model_quality_keeps_model_monitors() -> None:
    assert facts.JOB_METRICS == (
        "RowsAnalysed",
        "RowsRejected",
        "DriftedFeatureShare",
        "DatasetDrift",
        "FeatureDriftScore",
    )
    assert not facts.NAMESPACE.startswith("AWS/")
    assert {"accuracy", "f1", "auc", "rmse", "mae"} <= {
        m for metrics in MODEL_QUALITY_METRICS.values() for m in metrics
    }


# --- the Lambda steps -------------------------------------------------------------


def _s3() -> tuple[object, Stubber]:
    client = boto3.client(
        "s3", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return client, Stubber(client)


def _listing(keys: list[str]) -> dict:
    return {"Contents": [{"Key": k} for k in keys], "IsTruncated": False}


WINDOW_EVENT = {
    "action": "window",
    "bucket": "artifacts",
    "capture_prefix": "capture/kmeans/ep/",
    "ground_truth_uri": "",
    "runs_prefix": "monitoring/kmeans/",
    "schedule": "hourly",
    "started": "2026-12-01T10:05:12.345Z",
    "execution": "abc123",
    "window_end": "latest",
}


def test_window_lists_every_variant_for_the_previous_hour_and_writes_manifests() -> None:
    from drift_run.window import run_window

    s3, stub = _s3()
    stub.add_response(
        "list_objects_v2",
        {
            "CommonPrefixes": [
                {"Prefix": "capture/kmeans/ep/AllTraffic/"},
                {"Prefix": "capture/kmeans/ep/Shadow/"},
            ],
            "IsTruncated": False,
        },
        {"Bucket": "artifacts", "Prefix": "capture/kmeans/ep/", "Delimiter": "/"},
    )
    for variant, keys in (("AllTraffic", ["a.jsonl", "b.jsonl"]), ("Shadow", ["c.jsonl"])):
        prefix = f"capture/kmeans/ep/{variant}/2026/12/01/09/"
        stub.add_response(
            "list_objects_v2",
            _listing([prefix + k for k in keys]),
            {"Bucket": "artifacts", "Prefix": prefix},
        )
    run = "2026-12-01T1000Z-abc123"
    bodies: dict[str, bytes] = {}
    for name in ("window.json", "capture.manifest", "ground-truth.manifest"):
        key = f"monitoring/kmeans/{run}/inputs/{name}"
        expected = {"Bucket": "artifacts", "Key": key, "Body": ANY}
        if name != "window.json":
            expected["ContentType"] = "application/json"
        stub.add_response("put_object", {}, expected)
    with stub:
        original = s3.put_object  # type: ignore[attr-defined]

        def capture(**kwargs: object) -> object:
            bodies[str(kwargs["Key"]).rsplit("/", 1)[1]] = kwargs["Body"]  # type: ignore[assignment]
            return original(**kwargs)

        s3.put_object = capture  # type: ignore[attr-defined]
        result = run_window(s3, WINDOW_EVENT)
        stub.assert_no_pending_responses()
    assert result == {
        "capture_manifest": f"s3://artifacts/monitoring/kmeans/{run}/inputs/capture.manifest",
        "ground_truth_manifest": (
            f"s3://artifacts/monitoring/kmeans/{run}/inputs/ground-truth.manifest"
        ),
        "output_uri": f"s3://artifacts/monitoring/kmeans/{run}/",
        "run": run,
    }
    window = json.loads(bodies["window.json"])
    assert (window["start"], window["end"]) == (
        "2026-12-01T09:00:00+00:00",
        "2026-12-01T10:00:00+00:00",
    )
    marker = f"monitoring/kmeans/{run}/inputs/window.json"
    manifest = json.loads(bodies["capture.manifest"])
    assert manifest[0] == {"prefix": "s3://artifacts/"}
    assert manifest[1:] == [
        "capture/kmeans/ep/AllTraffic/2026/12/01/09/a.jsonl",
        "capture/kmeans/ep/AllTraffic/2026/12/01/09/b.jsonl",
        "capture/kmeans/ep/Shadow/2026/12/01/09/c.jsonl",
        marker,
    ]
    # No labels: the ground-truth input still names one object, the marker.
    assert json.loads(bodies["ground-truth.manifest"]) == [{"prefix": "s3://artifacts/"}, marker]


def test_a_window_of_more_than_one_listing_page_reads_every_page() -> None:
    """S3 lists at most 1,000 keys a call: a busy hour's capture spans pages."""
    from drift_run.window import Window, capture_keys, parse_time

    s3, stub = _s3()
    stub.add_response(
        "list_objects_v2",
        {"CommonPrefixes": [{"Prefix": "capture/kmeans/ep/AllTraffic/"}], "IsTruncated": False},
        {"Bucket": "artifacts", "Prefix": "capture/kmeans/ep/", "Delimiter": "/"},
    )
    prefix = "capture/kmeans/ep/AllTraffic/2026/12/01/09/"
    first = {**_listing([f"{prefix}{i:04}.jsonl" for i in range(1000)])}
    first.update(IsTruncated=True, NextContinuationToken="page-2")
    stub.add_response("list_objects_v2", first, {"Bucket": "artifacts", "Prefix": prefix})
    stub.add_response(
        "list_objects_v2",
        _listing([f"{prefix}1000.jsonl"]),
        {"Bucket": "artifacts", "Prefix": prefix, "ContinuationToken": "page-2"},
    )
    window = Window(parse_time("2026-12-01T09:00Z"), parse_time("2026-12-01T10:00Z"))
    with stub:
        keys = capture_keys(s3, "artifacts", "capture/kmeans/ep/", window)
        stub.assert_no_pending_responses()
    assert len(keys) == 1001
    assert keys[-1] == f"{prefix}1000.jsonl"


def test_an_empty_window_still_gives_non_empty_inputs_and_daily_windows_are_days() -> None:
    from drift_run.window import manifest, window_of

    daily = window_of("daily", "2026-12-01T00:03:00Z")
    assert (daily.start.isoformat(), daily.end.isoformat()) == (
        "2026-11-30T00:00:00+00:00",
        "2026-12-01T00:00:00+00:00",
    )
    assert len(daily.hours()) == 24
    again = window_of("hourly", "2026-12-01T10:05:00Z", "2026-11-30T07:30:00+00:00")
    assert again.end.isoformat() == "2026-11-30T07:00:00+00:00"
    assert json.loads(manifest("b", ["m/window.json"])) == [{"prefix": "s3://b/"}, "m/window.json"]


def test_ground_truth_is_read_from_the_window_start_until_the_run() -> None:
    from drift_run.window import ground_truth_keys, parse_time, window_of

    s3, stub = _s3()
    window = window_of("hourly", "2026-12-01T10:05:00Z")
    for hour in ("09", "10"):
        prefix = f"gt/2026/12/01/{hour}/"
        stub.add_response(
            "list_objects_v2",
            _listing([f"{prefix}labels.jsonl"]),
            {"Bucket": "labels", "Prefix": prefix},
        )
    with stub:
        keys = ground_truth_keys(s3, "s3://labels/gt", window, parse_time("2026-12-01T10:05:00Z"))
    assert keys == ["gt/2026/12/01/09/labels.jsonl", "gt/2026/12/01/10/labels.jsonl"]


def test_publish_adds_endpoint_and_algorithm_and_keeps_the_namespace() -> None:
    from drift_run.publish import publish

    s3, s3_stub = _s3()
    metrics = [
        {"MetricName": "RowsAnalysed", "Value": 120, "Unit": "Count"},
        {
            "MetricName": "FeatureDriftScore",
            "Value": 0.4,
            "Unit": "None",
            "Dimensions": [{"Name": "Feature", "Value": "f3"}],
        },
    ]
    body = json.dumps(metrics).encode()
    s3_stub.add_response(
        "get_object",
        {"Body": StreamingBody(io.BytesIO(body), len(body))},
        {"Bucket": "artifacts", "Key": "monitoring/kmeans/run/metrics.json"},
    )
    cloudwatch = boto3.client(
        "cloudwatch", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    cw_stub = Stubber(cloudwatch)
    base = [{"Name": "Endpoint", "Value": "ep"}, {"Name": "Algorithm", "Value": "kmeans"}]
    cw_stub.add_response(
        "put_metric_data",
        {},
        {
            "Namespace": facts.NAMESPACE,
            "MetricData": [
                {**metrics[0], "Dimensions": base},
                {**metrics[1], "Dimensions": [*base, {"Name": "Feature", "Value": "f3"}]},
            ],
        },
    )
    event = {
        "action": "publish",
        "report_uri": "s3://artifacts/monitoring/kmeans/run/",
        "endpoint": "ep",
        "algorithm": "kmeans",
    }
    with s3_stub, cw_stub:
        assert publish(s3, cloudwatch, facts.NAMESPACE, event) == {"published": "2"}
        cw_stub.assert_no_pending_responses()


# --- synth ------------------------------------------------------------------------


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


MODEL_MONITOR_TYPES = (
    "AWS::SageMaker::MonitoringSchedule",
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
)


@pytest.mark.synth
def test_default_config_creates_no_model_monitor_resources(
    default_assembly: Assembly, empty_account_assembly: Assembly
) -> None:
    for assembly in (default_assembly, empty_account_assembly):
        for name, template in assembly.templates().items():
            for kind in MODEL_MONITOR_TYPES:
                assert not resources(template, kind), (name, kind)


def _stack(name: str) -> str:
    return f"dev/{''.join(p.capitalize() for p in name.split('-'))}"


def _flat(value: object) -> str:
    return json.dumps(value)


@pytest.mark.synth
def test_drift_pipeline_schedule_alarms_and_iam_per_monitored_algorithm(
    default_assembly: Assembly,
) -> None:
    templates = default_assembly.templates()
    for name in MONITORED:
        template = templates[_stack(name)]
        pipelines = {
            r["Properties"]["PipelineName"]: (k, r)
            for k, r in resources(template, "AWS::SageMaker::Pipeline").items()
        }
        assert f"dev-{name}-drift" in pipelines, name
        pipeline_id, pipeline = pipelines[f"dev-{name}-drift"]
        body = _flat(pipeline["Properties"]["PipelineDefinition"])
        assert '\\"EnableNetworkIsolation\\":true' in body
        assert f"/baselines/{name}/drift/" in body
        ((_schedule_id, schedule),) = resources(template, "AWS::Scheduler::Schedule").items()
        assert pipeline_id in schedule["DependsOn"]
        assert "KmsKeyArn" in schedule["Properties"]
        assert schedule["Properties"]["ScheduleExpression"] == "cron(15 0 ? * * *)"
        # The schedule's role may start this pipeline and nothing else.
        role_id = schedule["Properties"]["Target"]["RoleArn"]["Fn::GetAtt"][0]
        statements = [
            s
            for p in resources(template, "AWS::IAM::Policy").values()
            if {"Ref": role_id} in p["Properties"]["Roles"]
            for s in p["Properties"]["PolicyDocument"]["Statement"]
        ]
        assert {_flat(s["Action"]) for s in statements} == {
            '"sagemaker:StartPipelineExecution"',
            '"kms:Decrypt"',
        }
        (start,) = [s for s in statements if s["Action"] == "sagemaker:StartPipelineExecution"]
        assert _flat(start["Resource"]).endswith(f':pipeline/dev-{name}-drift"]]}}')
        # PutMetricData only into the drift namespace.
        puts = [
            s
            for p in resources(template, "AWS::IAM::Policy").values()
            for s in p["Properties"]["PolicyDocument"]["Statement"]
            if "cloudwatch:PutMetricData" in _flat(s["Action"])
            and facts.NAMESPACE in _flat(s.get("Condition"))
        ]
        assert [p["Condition"] for p in puts] == [
            {"StringEquals": {"cloudwatch:namespace": facts.NAMESPACE}}
        ]
        alarms = resources(template, "AWS::CloudWatch::Alarm").values()
        by_metric = {a["Properties"].get("MetricName"): a["Properties"] for a in alarms}
        share = by_metric["DriftedFeatureShare"]
        assert (share["Namespace"], share["Threshold"]) == (facts.NAMESPACE, 0.3)
        no_data = by_metric["RowsAnalysed"]
        assert (no_data["TreatMissingData"], no_data["EvaluationPeriods"]) == ("breaching", 3)
        assert no_data["ComparisonOperator"] == "LessThanThreshold"
        failed = by_metric["ExecutionFailed"]
        assert failed["Namespace"] == "AWS/Sagemaker/ModelBuildingPipeline"
        assert failed["Dimensions"] == [{"Name": "PipelineName", "Value": f"dev-{name}-drift"}]
        for alarm in (share, no_data, failed):
            assert alarm["AlarmActions"], name


@pytest.mark.synth
def test_the_baseline_step_profiles_with_the_drift_image(default_assembly: Assembly) -> None:
    template = default_assembly.templates()["dev/Kmeans"]
    pipelines = {
        r["Properties"]["PipelineName"]: _flat(r["Properties"]["PipelineDefinition"])
        for r in resources(template, "AWS::SageMaker::Pipeline").values()
    }
    training = pipelines["dev-kmeans-training"]
    assert '\\"ContainerArguments\\":[\\"profile\\"' in training
    assert "/baselines/kmeans/drift/" in training
    assert "model-monitor-analyzer" not in training
    assert re.search(r"container-assets", training)


@pytest.mark.synth
def test_the_deploy_order_walk_covers_drift_pipelines_and_schedules(
    default_assembly: Assembly,
) -> None:
    from tests.deploy_order import deploy_order, premature
    from tests.recorded_models import approved_everywhere

    def given(records: dict) -> set[str]:
        return {v for r in records.values() for v in r.values() if isinstance(v, str)}

    stacks = deploy_order(default_assembly.directory)
    records = approved_everywhere("config/default.yaml")
    ready = set(MONITORED)
    assert premature(stacks, given(records), ready) == []
    # Without kmeans' baseline, its drift pipeline is premature (its training pipeline,
    # which writes the baseline, is not).
    missing = premature(stacks, given(records), ready - {"kmeans"})
    assert any(
        "dev/Kmeans/DriftChecksPipeline" in p and "reads the kmeans baseline" in p for p in missing
    ), missing
    assert not any("PipelinesTrainingPipeline" in p for p in missing), missing
    # A schedule that does not wait for its pipeline is found.
    kmeans = next(s for s in stacks if s.name == "dev/Kmeans")
    (schedule,) = resources(kmeans.template, "AWS::Scheduler::Schedule").values()
    schedule["DependsOn"] = [d for d in schedule["DependsOn"] if "Pipeline" not in d]
    found = premature(stacks, given(records), ready)
    assert any("starts pipeline dev-kmeans-drift before it exists" in p for p in found), found


@pytest.mark.synth
def test_hourly_drift_checks_with_a_model_quality_alarm(tmp_path) -> None:
    from tests.conftest import cfn_lint, synth_dict

    monitoring = {
        "schedule": "hourly",
        "baseline_ready": True,
        "drift_share": 0.2,
        "no_data_runs": 6,
        "model_quality": {"alarm_metric": "f1", "alarm_threshold": 0.8},
    }
    assembly = synth_dict(
        {"stages": {"dev": {"algorithms": {"linear-learner": {"monitoring": monitoring}}}}},
        tmp_path,
    )
    assert assembly.violations == []
    assert cfn_lint(assembly.directory) == ""
    template = assembly.templates()["dev/LinearLearner"]
    for kind in MODEL_MONITOR_TYPES:
        assert not resources(template, kind)
    ((_, schedule),) = resources(template, "AWS::Scheduler::Schedule").items()
    assert schedule["Properties"]["ScheduleExpression"] == "cron(15 * ? * * *)"
    alarms = {
        a["Properties"]["MetricName"]: a["Properties"]
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == facts.NAMESPACE
    }
    assert alarms["f1"]["ComparisonOperator"] == "LessThanThreshold"
    assert (alarms["f1"]["Threshold"], alarms["f1"]["Period"]) == (0.8, 3600)
    assert alarms["DriftedFeatureShare"]["Threshold"] == 0.2
    assert alarms["RowsAnalysed"]["EvaluationPeriods"] == 6
    assert {d["Name"] for d in alarms["f1"]["Dimensions"]} == {"Endpoint", "Algorithm"}


@pytest.mark.parametrize("name", ["linear-learner", "xgboost", "knn", "kmeans"])
def test_the_drift_job_accepts_the_pipelines_container_arguments(name: str) -> None:
    """The Check and Baseline steps' ContainerArguments parse with the job's own CLI."""
    from drift_checks.cli import parser

    from infra.pipelines import Baseline, JobResources, ModelRegistry, training_pipeline

    plan = plan_for(
        name,
        {"model_quality": {"probability_threshold": 0.4}} if name == "linear-learner" else None,
    )
    (check,) = [
        s for s in drift_pipeline(plan, monitor_of(plan), RESOURCES)["Steps"] if s["Name"] == CHECK
    ]
    args = parser().parse_args(check["Arguments"]["AppSpecification"]["ContainerArguments"])
    assert (args.command, args.drift_share) == ("check", 0.3)
    if name == "linear-learner":
        assert (args.problem_type, args.probability_threshold) == ("BinaryClassification", 0.4)
    job = JobResources(
        region="eu-west-1",
        job_role_arn="arn:aws:iam::123456789012:role/job",
        training_image="i",
        data_bucket="data",
        artifacts_bucket="artifacts",
        kms_key_arn=RESOURCES.kms_key_arn,
        subnet_ids=("subnet-a",),
        security_group_ids=("sg-1",),
        baseline=Baseline(drift_image=RESOURCES.image),
        registry=ModelRegistry(group="dev-models", inference_image="i"),
    )
    steps = training_pipeline(plan, job)["Steps"]
    (baseline,) = [s for s in steps if s["Name"] == "Baseline"]
    profile = parser().parse_args(baseline["Arguments"]["AppSpecification"]["ContainerArguments"])
    assert profile.command == "profile"


@pytest.mark.synth
def test_each_drift_principal_reaches_only_what_it_touches(default_assembly: Assembly) -> None:
    """The Check job lists the reference profile's prefix (an S3Prefix input is listed
    with the job's role) and reads capture; the Lambda steps never read a captured
    payload; neither may overwrite the ground truth a run is judged against."""
    foundation = default_assembly.templates()["dev/Foundation"]

    def statements(kind: str) -> dict[str, dict]:
        (policy,) = [
            r["Properties"]["PolicyDocument"]["Statement"]
            for lid, r in foundation["Resources"].items()
            if lid.startswith(f"KmeansDrift{kind}Access")
        ]
        return {s["Sid"]: s for s in policy}

    job, steps = statements("Job"), statements("Step")
    listed = job["List"]["Condition"]["StringLike"]["s3:prefix"]
    assert listed == ["capture/kmeans/*", "monitoring/kmeans/*", "baselines/kmeans/*"]
    assert steps["List"]["Condition"]["StringLike"]["s3:prefix"] == [
        "capture/kmeans/*",
        "monitoring/kmeans/*",
    ]
    assert "capture/kmeans/*" in json.dumps(job["Read"]["Resource"])
    assert "capture/" not in json.dumps(steps["Read"]["Resource"])
    for policy in (job, steps):
        deny = policy["KeepGroundTruth"]
        assert deny["Effect"] == "Deny"
        assert "monitoring/kmeans/ground-truth/*" in json.dumps(deny["Resource"])
