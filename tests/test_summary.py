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
        "drift-checks: data + model (Regression), daily, waiting for the drift reference "
        "profile: set monitoring.baseline_ready once the training pipeline's Baseline step has "
        "run with engine drift-checks (it writes baselines/<algorithm>/drift/; a Model Monitor "
        "baseline is not one)"
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
        "async": "off (config)",
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


def _floor_block(summary: str, stage: str) -> list[str]:
    """The idle cost floor lines under one stage's table, up to its Total line."""
    start = summary.index("Idle cost floor (", summary.index(f"Stage {stage} ("))
    lines = summary[start:].splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Total: "))
    return lines[: end + 1]


def test_each_stage_prints_its_idle_cost_floor_at_sourced_prices_only() -> None:
    config = "config/default.yaml"
    summary = render_summary(load_plan(config, records=approved_everywhere(config)))
    lines = _floor_block(summary, "dev")
    # Environment-agnostic: priced in each region the table covers.
    assert lines[0] == (
        "Idle cost floor (environment-agnostic: at us-east-1 and eu-west-1 on-demand prices; "
        "endpoint instances × 730 h; real-time endpoints keep at least 1 instance, serverless "
        "and async scale to 0)"
    )
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in lines[4:-2]
    }
    assert rows["xgboost"] == [
        "ml.m5.xlarge ×1",
        "$167.90/month",
        "$187.61/month",  # 730 h x $0.23 in us-east-1, x $0.257 in eu-west-1
        "serverless (on), async",
    ]
    assert rows["seq2seq"][1:3] == [
        "unknown (no sourced price for ml.g4dn.xlarge)",
        "$599.33/month",
    ]
    assert rows["seq2seq"][3] == "async"
    assert rows["reinforcement-learning"] == [
        "none",
        "$0.00/month",
        "$0.00/month",
        "n/a (not hostable)",
    ]
    assert lines[-1] == (
        "Total: us-east-1: $1,679.00/month + unknown (no sourced price for ml.c5.xlarge, "
        "ml.g4dn.xlarge) now; eu-west-1: $3,074.76/month + unknown (no sourced price for "
        "ml.c5.xlarge) now"
    )


def test_an_off_hours_schedule_lowers_the_floor_and_waiting_endpoints_count_once_serving() -> None:
    summary = render_summary(load_plan("config/examples/three-stages.yaml", records={}))
    lines = _floor_block(summary, "staging")
    assert lines[0].startswith("Idle cost floor (eu-west-1 on-demand prices;")
    (xgboost,) = [line for line in lines if line.startswith("| xgboost ")]
    # 2 instances 07:00-20:00 on weekdays, 1 otherwise: 1.39 on average over 2026.
    assert "ml.m5.xlarge ×1.39 (scheduled, yearly average)" in xgboost
    assert "$260.28/month once serving" in xgboost
    assert lines[-1] == (
        "Total: eu-west-1: $0.00/month now, $447.89/month + unknown (no sourced price for "
        "ml.c5.xlarge) once every endpoint serves"
    )
