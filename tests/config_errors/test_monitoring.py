"""Bad configs, monitoring: capture, schedules, engines, drift alarms, model quality, analyzer.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

import yaml

from tests.config_errors import P, algorithm, errors_for, one_line_each

CASES = [
    (
        "monitoring more often than hourly",
        algorithm("kmeans", {"monitoring": {"schedule": "every-5-minutes"}}),
        f"{P}.algorithms.kmeans.monitoring.schedule: every-5-minutes — not a valid choice "
        "(allowed: 'hourly' or 'daily')",
    ),
    (
        "Model Monitor on a serverless-only algorithm",
        algorithm("kmeans", {"endpoint": {"enabled": False}, "monitoring": {"enabled": True}}),
        f"{P}.algorithms.kmeans.monitoring.enabled: true — kmeans cannot have Model Monitor: "
        "monitors real-time endpoints only, and this one is off",
    ),
    (
        "model quality for an unsupervised algorithm",
        algorithm("kmeans", {"monitoring": {"model_quality": {"enabled": True}}}),
        f"{P}.algorithms.kmeans.monitoring.model_quality.enabled: true — kmeans has no model "
        "quality: unsupervised: cluster assignments have no ground truth",
    ),
    (
        "a model-quality alarm on a metric of another problem type",
        algorithm(
            "xgboost",
            {"monitoring": {"model_quality": {"alarm_metric": "f1", "alarm_threshold": 0.8}}},
        ),
        f"{P}.algorithms.xgboost.monitoring.model_quality.alarm_metric: f1 — not a Regression "
        "model-quality metric (allowed: mae, mse, rmse, r2)",
    ),
    (
        "a model-quality alarm without a threshold",
        algorithm("linear-learner", {"monitoring": {"model_quality": {"alarm_metric": "f1"}}}),
        f"{P}.algorithms.linear-learner.monitoring.model_quality.alarm_threshold — required "
        "with alarm_metric",
    ),
    (
        "Model Monitor jobs on a GPU",
        algorithm("kmeans", {"monitoring": {"instance_type": "ml.g4dn.xlarge"}}),
        f"{P}.algorithms.kmeans.monitoring.instance_type: ml.g4dn.xlarge — Model Monitor runs "
        "on CPU only (allowed: CPU instance types)",
    ),
    (
        "no capture at all",
        algorithm("kmeans", {"monitoring": {"sampling_percent": 0}}),
        f"{P}.algorithms.kmeans.monitoring.sampling_percent: 0 — must be at least 1",
    ),
    (
        "monitoring a non-tabular algorithm",
        algorithm("image-classification", {"monitoring": {"enabled": True}}),
        f"{P}.algorithms.image-classification.monitoring.enabled: true — image-classification "
        "cannot have Model Monitor: inference input is images, not tabular data",
    ),
    (
        "Model Monitor where its analyzer is not published",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "region": "ap-south-2",
                        "algorithms": {"kmeans": {"monitoring": {"engine": "model-monitor"}}},
                    }
                }
            }
        ),
        f"{P}.algorithms.kmeans.monitoring.enabled — the Model Monitor analyzer is not published "
        "in ap-south-2; set it to false",
    ),
    (
        "an engine that does not exist",
        algorithm("kmeans", {"monitoring": {"engine": "evidently"}}),
        f"{P}.algorithms.kmeans.monitoring.engine: evidently — not a valid choice "
        "(allowed: 'drift-checks' or 'model-monitor')",
    ),
    (
        "a drift share that is not a share",
        algorithm("kmeans", {"monitoring": {"drift_share": 1.5}}),
        f"{P}.algorithms.kmeans.monitoring.drift_share: 1.5 — a share of features "
        "(allowed: above 0, below 1)",
    ),
    (
        "more no-data runs than CloudWatch evaluates",
        algorithm("kmeans", {"monitoring": {"no_data_runs": 8}}),
        f"{P}.algorithms.kmeans.monitoring.no_data_runs: 8 — CloudWatch evaluates at most 7 "
        "days of daily runs (allowed: 1 to 7)",
    ),
    (
        "no no-data alarm at all",
        algorithm("kmeans", {"monitoring": {"schedule": "hourly", "no_data_runs": 0}}),
        f"{P}.algorithms.kmeans.monitoring.no_data_runs: 0 — CloudWatch evaluates at most 7 "
        "days of hourly runs (allowed: 1 to 168)",
    ),
    (
        "labels outside the stage's bucket for drift checks",
        algorithm(
            "linear-learner",
            {"monitoring": {"model_quality": {"ground_truth_uri": "s3://labels/ll/"}}},
        ),
        f"{P}.algorithms.linear-learner.monitoring.model_quality.ground_truth_uri: "
        "s3://labels/ll/ — drift checks read ground truth from the stage's artifacts bucket, "
        "under monitoring/<algorithm>/ground-truth/ (allowed: unset, or engine model-monitor)",
    ),
    (
        "a drift alarm setting with Model Monitor",
        algorithm("kmeans", {"monitoring": {"engine": "model-monitor", "drift_share": 0.2}}),
        f"{P}.algorithms.kmeans.monitoring.drift_share: 0.2 — read by engine drift-checks only "
        "(allowed: unset with model-monitor)",
    ),
]


def test_drift_checks_need_no_model_monitor_in_the_region() -> None:
    """The default engine runs where Model Monitor's analyzer is not published."""
    text = yaml.safe_dump(
        {"stages": {"dev": {"region": "ap-south-2", "algorithms": {"kmeans": {}}}}}
    )
    assert errors_for(text) == []


@one_line_each(CASES)
def test_bad_monitoring_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]
