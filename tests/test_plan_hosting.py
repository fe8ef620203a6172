"""Plan decisions for hosting, streaming and retention (pure Python, no CDK)."""

from __future__ import annotations

import yaml

from infra.catalog import CATALOG
from infra.catalog.model import NotSupported, Processor
from infra.catalog.servers import MODEL_SERVERS
from infra.config import parse_config
from infra.plan import StagePlan, build_plan
from infra.plan.endpoint import ApiPlan, EndpointPlan
from infra.plan.hosting import HostingImage
from infra.plan.models import Waiting
from infra.plan.serverless import ServerlessPlan
from infra.plan.streaming import StreamingPlan, StreamingStagePlan, UnscoredStream
from tests.recorded_models import plan_approved


def stage_for(body: dict) -> StagePlan:
    text = yaml.safe_dump({"stages": {"dev": body}})
    (stage,) = plan_approved(parse_config(text, "t.yaml"), "t.yaml").stages
    return stage


def test_one_retention_for_every_log_group() -> None:
    # The config key is `flow_logs_days`; the plan names what it sets: every log group.
    assert stage_for({"algorithms": {"kmeans": {}}}).retention.logs_days == 90
    custom = stage_for({"algorithms": {"kmeans": {}}, "retention": {"flow_logs_days": 30}})
    assert custom.retention.logs_days == 30


def test_endpoint_instance_type_and_counts_have_one_source() -> None:
    stage = stage_for(
        {
            "algorithms": {
                "xgboost": {
                    "endpoint": {
                        "instance_type": "ml.c5.2xlarge",
                        "min_instances": 2,
                        "max_instances": 5,
                    }
                }
            }
        }
    )
    (xgboost,) = stage.algorithms
    endpoint = xgboost.endpoint
    assert isinstance(endpoint, EndpointPlan)
    # The main variant holds the instance type, the scaling plan the counts.
    assert (endpoint.main.instance_type, endpoint.main.processor) == (
        "ml.c5.2xlarge",
        Processor.CPU,
    )
    assert (endpoint.scaling.min_instances, endpoint.scaling.max_instances) == (2, 5)
    assert (endpoint.instance_type, endpoint.min_instances, endpoint.max_instances) == (
        "ml.c5.2xlarge",
        2,
        5,
    )
    assert endpoint.deployment.traffic == "CANARY"


def test_the_plan_names_each_models_image_and_the_apis_content_types() -> None:
    stage = stage_for(
        {
            "algorithms": {"image-classification": {"endpoint": {"api": {"enabled": True}}}},
            "model_servers": {
                "custom-onnx": {
                    "endpoint": {
                        "model_uri": "s3://models/onnx.tar.gz",
                        "instance_type": "ml.g5.xlarge",
                        "api": {"enabled": True},
                    }
                }
            },
        }
    )
    (images,) = stage.algorithms
    assert isinstance(images.endpoint, EndpointPlan)
    assert isinstance(images.serverless, ServerlessPlan)
    assert images.serverless.image == images.endpoint.image
    assert images.endpoint.image == HostingImage(catalog=CATALOG["image-classification"].image)
    assert images.endpoint.api == ApiPlan(
        throttle_rate_per_second=100,
        throttle_burst=200,
        request_content_types=("image/png", "image/jpeg", "application/x-image"),
    )
    (onnx,) = stage.model_servers
    assert onnx.server is MODEL_SERVERS["custom-onnx"]
    server_image = HostingImage(catalog=None, environment=(("MODEL_BACKEND", "onnx"),))
    assert isinstance(onnx.endpoint, EndpointPlan)
    assert isinstance(onnx.serverless, ServerlessPlan)
    assert (onnx.endpoint.image, onnx.serverless.image) == (server_image, server_image)
    assert onnx.endpoint.api is not None
    assert onnx.endpoint.api.request_content_types == (
        "text/csv",
        "application/json",
        "application/x-npy",
    )
    # GPU variants and the CPU image of the serverless endpoint: both assets, sorted.
    assert onnx.image_assets == (Processor.CPU, Processor.GPU)
    (cpu_only,) = stage_for(
        {
            "algorithms": {"kmeans": {}},
            "model_servers": {
                "custom-onnx": {
                    "endpoint": {"model_uri": "s3://models/onnx.tar.gz"},
                    "serverless": {"enabled": False},
                }
            },
        }
    ).model_servers
    assert cpu_only.image_assets == (Processor.CPU,)


def test_the_stage_carries_its_stream_and_the_scorer() -> None:
    stage = stage_for({"algorithms": {"kmeans": {}, "randomcutforest": {}}})
    (rcf,) = [a for a in stage.algorithms if a.name == "randomcutforest"]
    assert isinstance(rcf.endpoint, EndpointPlan)
    assert stage.streaming == StreamingStagePlan(
        scorer="randomcutforest",
        endpoint_digest=rcf.endpoint.name_digest,
        plan=StreamingPlan(endpoint_instance_type="ml.c5.xlarge"),
    )
    assert stage.unscored is None
    off = stage_for({"algorithms": {"randomcutforest": {}}, "streaming": {"enabled": False}})
    assert off.streaming is None
    assert off.unscored == UnscoredStream(
        "randomcutforest", NotSupported("streaming is off for this stage")
    )
    none = stage_for({"algorithms": {"kmeans": {}}})
    assert (none.streaming, none.unscored) == (None, None)


def test_the_stream_waits_for_its_scorers_model() -> None:
    text = yaml.safe_dump({"stages": {"dev": {"algorithms": {"randomcutforest": {}}}}})
    (stage,) = build_plan(parse_config(text, "t.yaml"), "t.yaml").stages  # nothing recorded
    assert stage.streaming is None
    assert stage.unscored is not None
    assert stage.unscored.scorer == "randomcutforest"
    assert isinstance(stage.unscored.reason, Waiting)
    assert isinstance(stage.unscored.reason.planned, StreamingStagePlan)
