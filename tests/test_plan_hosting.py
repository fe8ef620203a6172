"""Plan decisions for hosting, streaming and retention (pure Python, no CDK)."""

from __future__ import annotations

import yaml

from infra.config import parse_config
from infra.plan import StagePlan
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
