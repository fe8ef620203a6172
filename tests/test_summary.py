"""The summary table printed by `make synth`."""

from __future__ import annotations

import yaml

from infra.catalog import ALGORITHM_NAMES
from infra.cli import load_plan
from infra.config import parse_config
from infra.plan import build_plan
from infra.plan.summary import COLUMNS, render_summary, stage_rows
from tests.recorded_models import approved_everywhere


def test_default_summary_has_a_row_per_catalog_algorithm() -> None:
    (stage,) = load_plan("config/default.yaml").stages
    rows = stage_rows(stage)
    assert [r[0] for r in rows] == list(ALGORITHM_NAMES)
    assert all(len(r) == len(COLUMNS) for r in rows)


def test_cells_show_decisions_and_reasons() -> None:
    records = approved_everywhere("config/default.yaml", version=3)
    (stage,) = load_plan("config/default.yaml", records=records).stages
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in stage_rows(stage)}
    assert rows["xgboost"]["training"] == "ml.m5.2xlarge ×1, Pipe text/csv, spot"
    assert rows["semantic-segmentation"]["training"] == (
        "ml.p3.2xlarge ×1, File image/jpeg from FSx, spot"
    )
    assert rows["xgboost"]["tuning"] == "validation:rmse ↓, Bayesian ×10, early stopping"
    assert rows["kmeans"]["tuning"] == "test:msd ↓, Bayesian ×10"  # reported once, at the end
    assert rows["xgboost"]["real-time endpoint"] == (
        "ml.m5.xlarge 1–2, canary, serves dev-xgboost-models v3"
    )
    assert rows["xgboost"]["serverless"] == "2048 MB, ≤10, serves dev-xgboost-models v3"
    assert rows["xgboost"]["monitor"] == (
        "drift-checks: data + model (Regression), daily, waiting for the baseline: set "
        "monitoring.baseline_ready once the training pipeline's Baseline step has run"
    )
    assert rows["pca"]["tuning"] == "n/a (PCA emits no documented objective metric)"
    assert rows["seq2seq"]["serverless"].startswith("n/a (inference runs on GPU only")
    assert rows["image-classification"]["monitor"] == (
        "n/a (inference input is images, not tabular data)"
    )
    assert rows["randomcutforest"]["streaming"] == "Kinesis → Lambda → ml.c5.xlarge"
    assert rows["kmeans"]["streaming"] == "n/a (only randomcutforest scores streams)"
    assert rows["reinforcement-learning"]["training"] == "ml.c5.2xlarge ×1, pytorch entry point"
    assert rows["reinforcement-learning"]["real-time endpoint"].startswith(
        "n/a (Ray RLlib models have no SageMaker deployment path"
    )


def test_before_any_approval_each_hosted_capability_says_what_it_waits_for() -> None:
    (stage,) = load_plan("config/default.yaml", records={}).stages
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in stage_rows(stage)}
    waiting = "waiting for an approved model in dev-randomcutforest-models"
    assert rows["randomcutforest"] == {
        "algorithm": "randomcutforest",
        "training": "ml.c5.xlarge ×1, Pipe application/x-recordio-protobuf",
        "tuning": "test:f1 ↑, Bayesian ×10",
        "real-time endpoint": waiting,
        "serverless": waiting,
        "monitor": f"drift-checks: data, daily, {waiting}",
        "streaming": waiting,
    }
    assert rows["seq2seq"]["serverless"].startswith("n/a (inference runs on GPU only")


def test_algorithms_not_in_a_stage_still_have_a_row() -> None:
    text = yaml.safe_dump(
        {
            "stages": {
                "prod": {
                    "account": "123456789012",
                    "region": "eu-west-1",
                    "algorithms": {"kmeans": {"tuning": {"enabled": False}}},
                }
            }
        }
    )
    summary = render_summary(build_plan(parse_config(text, "t.yaml"), "t.yaml"))
    assert summary.startswith("Stage prod (account 123456789012, region eu-west-1)\n")
    assert "| pca " in summary
    assert "not enabled in this stage" in summary
    assert "off (config)" in summary
