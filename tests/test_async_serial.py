"""Asynchronous endpoints and inference pipelines: what the plan decides, and what the
three-stage example (image classification async in dev, k-means behind a featurizer
everywhere) synthesizes: request shapes, scaling to zero and back, least-privilege grants."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from infra.config import parse_config
from infra.guardrails.rules import async_outputs, async_scale_to_zero
from infra.guardrails.template import Template
from infra.plan import build_plan
from infra.plan.async_inference import AsyncPlan
from infra.plan.endpoint import EndpointPlan
from infra.plan.models import Waiting
from infra.plan.monitoring import MonitorPlan
from infra.plan.serial_monitoring import WAITING_FOR_PIPELINE_BASELINE
from infra.plan.skipped import DISABLED
from infra.plan.summary import COLUMNS, stage_rows
from tests.api_shapes import RESOURCE_OPERATIONS, resource_errors, validation_errors
from tests.cfn_values import resolve
from tests.conftest import Assembly
from tests.recorded_models import approved_everywhere, plan_approved

FEATURIZER_URI = "s3://example-models/kmeans-featurizer/model.tar.gz"  # the example's
FEATURIZER = {
    "name": "featurizer",
    "framework": "sklearn",
    "version": "1.2-1",
    "model_uri": "s3://models/featurizer/model.tar.gz",
    "content_types": ["text/csv"],
    "emits": "text/csv",
}


def plan_of(algorithms: dict, *, approved: bool = False):
    config = parse_config(yaml.safe_dump({"stages": {"dev": {"algorithms": algorithms}}}), "c")
    plan = plan_approved(config, "c") if approved else build_plan(config, "c")
    return {a.name: a for a in plan.stages[0].algorithms}, plan.stages[0]


# Plan --------------------------------------------------------------------------------


def test_async_is_off_unless_asked_for():
    (plans, _) = plan_of({"kmeans": None})
    assert plans["kmeans"].async_endpoint == DISABLED


def test_an_async_only_algorithm_runs_the_pipeline_on_its_async_endpoint():
    plans, _ = plan_of(
        {
            "kmeans": {
                "endpoint": {"enabled": False, "pipeline": [FEATURIZER, "algorithm"]},
                "async": {"enabled": True},
                "monitoring": {"enabled": False},
            }
        },
        approved=True,
    )
    assert plans["kmeans"].endpoint == DISABLED
    assert plans["kmeans"].async_endpoint.pipeline.describe() == "featurizer → kmeans"
    assert "s3://models/featurizer/model.tar.gz" in plans["kmeans"].model_access.objects


def test_async_follows_the_real_time_model_and_waits_for_it():
    waiting, _ = plan_of({"kmeans": {"async": {"enabled": True}}})
    assert isinstance(waiting["kmeans"].async_endpoint, Waiting)
    assert waiting["kmeans"].async_endpoint.reason == (
        "waiting for an approved model in dev-kmeans-models"
    )
    approved, _ = plan_of({"kmeans": {"async": {"enabled": True}}}, approved=True)
    realtime, asynchronous = approved["kmeans"].endpoint, approved["kmeans"].async_endpoint
    assert isinstance(realtime, EndpointPlan)
    assert isinstance(asynchronous, AsyncPlan)
    assert asynchronous.source == realtime.main.source
    assert asynchronous.source.label == "dev-kmeans-models v1"
    pinned, _ = plan_of(
        {
            "kmeans": {
                "endpoint": {"model_uri": "s3://models/k/model.tar.gz"},
                "async": {"enabled": True},
            }
        }
    )
    assert pinned["kmeans"].async_endpoint.source.model_uri == "s3://models/k/model.tar.gz"


def test_async_scales_to_zero_by_default_and_starts_with_one_instance():
    plans, _ = plan_of({"kmeans": {"async": {"enabled": True}}}, approved=True)
    asynchronous = plans["kmeans"].async_endpoint
    assert asynchronous.scaling.scales_to_zero
    assert asynchronous.initial_instances == 1
    assert asynchronous.instance_type == "ml.m5.xlarge"  # the real-time endpoint's
    assert asynchronous.output.key == "async/kmeans/output/"
    assert asynchronous.failures.key == "async/kmeans/failures/"


def test_the_registered_package_may_be_deployed_on_the_async_instance_type():
    plans, _ = plan_of({"kmeans": {"async": {"enabled": True, "instance_type": "ml.g4dn.xlarge"}}})
    assert plans["kmeans"].registration.instance_types == ("ml.g4dn.xlarge", "ml.m5.xlarge")


def test_a_pipeline_serves_the_approved_packages_artifact_behind_its_preprocessor():
    plans, _ = plan_of(
        {"kmeans": {"endpoint": {"pipeline": [FEATURIZER, "algorithm"]}}}, approved=True
    )
    endpoint = plans["kmeans"].endpoint
    assert isinstance(endpoint, EndpointPlan)
    assert endpoint.pipeline.describe() == "featurizer → kmeans"
    source = endpoint.main.source
    assert source.model_package_arn is None
    assert source.model_uri.endswith("/models/kmeans/pipelines-run1/output/model.tar.gz")
    assert source.label == "dev-kmeans-models v1"  # the approval gate still applies
    # The role reads the featurizer's artifact; serverless cannot run a pipeline.
    assert "s3://models/featurizer/model.tar.gz" in plans["kmeans"].model_access.objects
    assert plans["kmeans"].serverless.reason == "inference pipelines cannot run serverless"


def test_monitoring_a_pipeline_waits_for_a_baseline_of_its_own_input():
    monitored = {"endpoint": {"pipeline": [FEATURIZER, "algorithm"]}}
    plans, _ = plan_of({"kmeans": monitored}, approved=True)
    monitor = plans["kmeans"].monitor
    assert isinstance(monitor, MonitorPlan)
    assert monitor.schedules == WAITING_FOR_PIPELINE_BASELINE
    assert not monitor.baseline_from_train_channel  # the training data is not its input
    ready = {
        **monitored,
        "monitoring": {"baseline_uri": "s3://data-bucket/raw/", "baseline_ready": True},
    }
    plans, _ = plan_of({"kmeans": ready}, approved=True)
    assert plans["kmeans"].monitor.schedules is None


def test_the_summary_shows_async_and_the_pipeline():
    _, stage = plan_of(
        {
            "kmeans": {
                "endpoint": {"pipeline": [FEATURIZER, "algorithm"]},
                "async": {"enabled": True, "max_instances": 3},
            }
        },
        approved=True,
    )
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in stage_rows(stage)}
    assert rows["kmeans"]["async"] == (
        "ml.m5.xlarge 0\u20133, scales to zero, pipeline featurizer → kmeans, "
        "serves dev-kmeans-models v1"
    )
    assert "pipeline featurizer → kmeans" in rows["kmeans"]["real-time endpoint"]


# Synthesized (the three-stage example) -----------------------------------------------


@pytest.fixture(scope="module")
def templates(three_stage_assembly: Assembly) -> dict[str, dict]:
    return three_stage_assembly.templates()


def resources(template: dict, kind: str, contains: str = "") -> dict[str, dict]:
    return {
        lid: r for lid, r in template["Resources"].items() if r["Type"] == kind and contains in lid
    }


def one(template: dict, kind: str, contains: str) -> dict[str, Any]:
    (found,) = resources(template, kind, contains).values()
    return found["Properties"]


@pytest.mark.synth
def test_async_endpoint_config_is_a_valid_request_with_encrypted_outputs_and_topics(
    templates: dict[str, dict],
):
    template = templates["dev/ImageClassification"]
    config = one(template, "AWS::SageMaker::EndpointConfig", "HostingAsync")
    request = {"EndpointConfigName": "dev-image-classification-async", **resolve(config, template)}
    assert validation_errors("CreateEndpointConfig", request) == ""
    output = config["AsyncInferenceConfig"]["OutputConfig"]
    assert "KmsKeyId" in output
    assert resolve(output["S3OutputPath"], template).endswith("/async/image-classification/output/")
    assert resolve(output["S3FailurePath"], template).endswith(
        "/async/image-classification/failures/"
    )
    topics = resources(template, "AWS::SNS::Topic", "HostingAsync")
    assert len(topics) == 2
    assert all("KmsMasterKeyId" in t["Properties"] for t in topics.values())
    notified = {v["Ref"] for v in output["NotificationConfig"].values()}
    assert notified == set(topics)
    # Blue/green with rollback alarms, as the real-time endpoints have.
    endpoint = one(template, "AWS::SageMaker::Endpoint", "HostingAsync")
    assert endpoint["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"][
        "Type"
    ] == ("CANARY")
    assert len(endpoint["DeploymentConfig"]["AutoRollbackConfiguration"]["Alarms"]) == 2


@pytest.mark.synth
def test_async_scales_to_zero_and_back_out_on_the_backlog(templates: dict[str, dict]):
    template = templates["dev/ImageClassification"]
    target = one(template, "AWS::ApplicationAutoScaling::ScalableTarget", "HostingAsync")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (0, 2)
    name = target["ResourceId"].split("/")[1]
    policies = {
        p["Properties"]["PolicyType"]: p["Properties"]
        for p in resources(template, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
    }
    tracking = policies["TargetTrackingScaling"]["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["CustomizedMetricSpecification"] == {
        "MetricName": "ApproximateBacklogSizePerInstance",
        "Namespace": "AWS/SageMaker",
        "Statistic": "Average",
        "Dimensions": [{"Name": "EndpointName", "Value": name}],
    }
    step = policies["StepScaling"]["StepScalingPolicyConfiguration"]
    assert step["StepAdjustments"] == [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]
    alarm = one(template, "AWS::CloudWatch::Alarm", "BacklogWithoutCapacity")
    assert alarm["MetricName"] == "HasBacklogWithoutCapacity"
    assert alarm["Dimensions"] == [{"Name": "EndpointName", "Value": name}]


@pytest.mark.synth
def test_the_model_role_publishes_to_its_own_topics_only(templates: dict[str, dict]):
    template = templates["dev/ImageClassification"]
    statements = [
        s
        for policy in resources(template, "AWS::IAM::Policy", "HostingModelRole").values()
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    (publish,) = [s for s in statements if s.get("Sid") == "PublishAsyncOutcomes"]
    topics = set(resources(template, "AWS::SNS::Topic", "HostingAsync"))
    assert publish["Action"] == "sns:Publish"
    assert {r["Ref"] for r in publish["Resource"]} == topics
    # Its S3 prefixes: the foundation's hosting policy of this algorithm only.
    foundation = templates["dev/Foundation"]
    access = one(foundation, "AWS::IAM::ManagedPolicy", "ImageClassificationHostingAccess")
    sids = {s["Sid"]: s for s in access["PolicyDocument"]["Statement"]}
    assert sids["ReadAsyncRequests"]["Action"] == "s3:GetObject"
    written = [resolve(r, foundation) for r in sids["WriteAsyncResults"]["Resource"]]
    assert sorted(w.split("/", 1)[1] for w in written) == [
        "async/image-classification/failures/*",
        "async/image-classification/output/*",
    ]
    kmeans = one(foundation, "AWS::IAM::ManagedPolicy", "KmeansHostingAccess")
    assert "ReadAsyncRequests" not in {s["Sid"] for s in kmeans["PolicyDocument"]["Statement"]}


@pytest.mark.synth
@pytest.mark.parametrize("stage", ["dev", "staging", "prod"])
def test_the_pipeline_model_runs_the_featurizer_then_kmeans_serially(
    templates: dict[str, dict], stage: str
):
    template = templates[f"{stage}/Kmeans"]
    (model,) = [
        r["Properties"]
        for r in resources(template, "AWS::SageMaker::Model").values()
        if "Containers" in r["Properties"]
    ]
    request = {"ModelName": "dev-kmeans-pipeline", **resolve(model, template)}
    assert validation_errors("CreateModel", request) == ""
    assert model["InferenceExecutionConfig"] == {"Mode": "Serial"}
    assert model["EnableNetworkIsolation"] is True
    featurizer, kmeans = request["Containers"]
    assert featurizer["ContainerHostname"] == "featurizer"
    assert featurizer["Image"].endswith("/sagemaker-scikit-learn:1.2-1-cpu-py3")
    assert featurizer["ModelDataUrl"] == "s3://example-models/kmeans-featurizer/model.tar.gz"
    assert kmeans["ContainerHostname"] == "kmeans"
    assert kmeans["Image"].endswith("/kmeans:1")
    # dev's approved artifact, in every stage (staging and prod through dev's sharing).
    assert "/models/kmeans/" in kmeans["ModelDataUrl"]
    records = approved_everywhere("config/examples/three-stages.yaml")
    assert kmeans["ModelDataUrl"] in {r["modelDataUrl"] for r in records.values()}  # type: ignore[index]


def test_the_api_takes_what_the_first_container_reads():
    plans, _ = plan_of(
        {
            "kmeans": {
                "endpoint": {
                    "pipeline": [{**FEATURIZER, "content_types": ["text/csv"]}, "algorithm"],
                    "api": {"enabled": True},
                },
                "monitoring": {"enabled": False},
            }
        },
        approved=True,
    )
    assert plans["kmeans"].endpoint.api.request_content_types == ("text/csv",)


@pytest.mark.synth
def test_every_model_and_endpoint_config_of_the_example_is_a_valid_request(
    templates: dict[str, dict],
):
    # Pipelines (Containers + InferenceExecutionConfig) and async configs among them.
    checked = 0
    for name, template in templates.items():
        for kind in RESOURCE_OPERATIONS:
            for logical_id, resource in resources(template, kind).items():
                properties = resolve(resource["Properties"], template)
                assert resource_errors(kind, properties) == "", f"{name}/{logical_id}"
                checked += 1
    assert checked > 20


# The rule pack's async rules fail on minimal edits of the example -------------------


@pytest.mark.synth
def test_async_rules_pass_on_the_example_and_fail_on_a_minimal_edit(templates: dict[str, dict]):
    body = templates["dev/ImageClassification"]
    for rule in (async_outputs.RULE, async_scale_to_zero.RULE):
        assert rule.findings(Template.parse(body)) == []
    unkeyed = copy.deepcopy(body)
    one(unkeyed, "AWS::SageMaker::EndpointConfig", "HostingAsync")["AsyncInferenceConfig"][
        "OutputConfig"
    ].pop("KmsKeyId")
    assert [f.message for f in async_outputs.RULE.findings(Template.parse(unkeyed))] == [
        "asynchronous results are not encrypted with our key"
    ]
    stranded = copy.deepcopy(body)
    (alarm,) = list(resources(stranded, "AWS::CloudWatch::Alarm", "BacklogWithoutCapacity"))
    del stranded["Resources"][alarm]
    found = [f.message for f in async_scale_to_zero.RULE.findings(Template.parse(stranded))]
    assert len(found) == 1
    assert found[0].endswith(
        "scales to zero but no step policy on HasBacklogWithoutCapacity scales it back out"
    )


@pytest.mark.synth
def test_the_deploy_order_walk_covers_the_async_endpoint(
    three_stage_assembly: Assembly, templates: dict[str, dict]
):
    from tests.deploy_order import Stack, deploy_order, premature

    records = approved_everywhere("config/examples/three-stages.yaml")
    given = {v for r in records.values() for v in r.values() if isinstance(v, str)}  # type: ignore[union-attr]
    given |= {"s3://example-models/onnx/model.tar.gz", FEATURIZER_URI}
    assert premature(deploy_order(three_stage_assembly.directory), given, set()) == []
    # Its scalable target registered before the endpoint exists: found.
    body = copy.deepcopy(templates["dev/ImageClassification"])
    (target,) = resources(body, "AWS::ApplicationAutoScaling::ScalableTarget", "HostingAsync")
    body["Resources"][target].pop("DependsOn")
    found = premature([Stack("dev/ImageClassification", body)], given, set())
    assert found == [
        f"dev/ImageClassification/{target}: created before endpoint "
        f"{body['Resources'][target]['Properties']['ResourceId'].split('/')[1]} of its own stack"
    ]
    # The async model's artifact must be one a record names.
    assert premature([Stack("dev/ImageClassification", body)], set(), set())


@pytest.mark.synth
def test_the_review_reads_the_algorithms_container_of_a_pipeline_and_the_async_endpoint(
    templates: dict[str, dict],
):
    from infra.review.endpoints import capacities

    kmeans = capacities("dev/Kmeans", templates["dev/Kmeans"])
    assert kmeans
    assert all("/models/kmeans/" in c.model for c in kmeans), kmeans
    (asynchronous,) = capacities("dev/ImageClassification", templates["dev/ImageClassification"])
    assert asynchronous.name.startswith("dev-image-classification-async-")
    assert asynchronous.scaling == "0-2"
    assert asynchronous.model == "dev-image-classification-models v1"
