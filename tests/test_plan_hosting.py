"""Plan decisions for hosting, streaming and retention (pure Python, no CDK)."""

from __future__ import annotations

import yaml

from infra.catalog.model import Processor
from infra.config import parse_config
from infra.plan import StagePlan
from infra.plan.model import EndpointPlan
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
