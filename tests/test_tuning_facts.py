"""Tuning facts that only a training job would otherwise reveal: the hyperparameter
names a range may tune, and what makes an algorithm emit its objective."""

from __future__ import annotations

import pytest
import yaml

from infra.config import parse_config
from infra.errors import ConfigError
from infra.plan import build_plan
from infra.plan.tuning import TuningPlan


def tuning(algorithm: str, tuning: dict) -> TuningPlan | str:
    config = {"stages": {"dev": {"algorithms": {algorithm: {"tuning": tuning}}}}}
    try:
        plan = build_plan(parse_config(yaml.safe_dump(config), "c.yaml"), "c.yaml")
    except ConfigError as error:
        return str(error)
    (planned,) = plan.stages[0].algorithms
    assert isinstance(planned.tuning, TuningPlan)
    return planned.tuning


@pytest.mark.parametrize(
    ("objective", "emitted"),
    [("test:msd", '["msd"]'), ("test:ssd", '["ssd"]')],
)
def test_kmeans_is_asked_to_report_its_objective(objective: str, emitted: str):
    # k-means reports only what eval_metrics names (default ["msd"]).
    planned = tuning("kmeans", {"objective": objective})
    assert isinstance(planned, TuningPlan)
    assert planned.hyperparameter_overrides == (("eval_metrics", emitted),)


def test_xgboost_is_asked_to_report_its_objective():
    planned = tuning("xgboost", {"objective": "validation:auc"})
    assert isinstance(planned, TuningPlan)
    assert planned.hyperparameter_overrides == (("eval_metric", "auc"),)


def test_factorization_machines_tune_epochs_not_the_documented_typo():
    planned = tuning("factorization-machines", {"ranges": {"epochs": {"min": 1, "max": 50}}})
    assert isinstance(planned, TuningPlan)
    assert [r.name for r in planned.ranges] == ["epochs"]
    refused = tuning("factorization-machines", {"ranges": {"epoch": {"min": 1, "max": 50}}})
    assert isinstance(refused, str)
    assert "stages.dev.algorithms.factorization-machines.tuning.ranges.epoch" in refused
