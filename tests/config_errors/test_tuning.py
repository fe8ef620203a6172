"""Bad configs, tuning: objectives, ranges, strategies, budget, warm start.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

from tests.config_errors import P, algorithm, errors_for, one_line_each

CASES = [
    (
        "tuning budget above 750 jobs",
        algorithm("kmeans", {"tuning": {"max_jobs": 1000}}),
        f"{P}.algorithms.kmeans.tuning.max_jobs: 1000 — Bayesian search runs at most 750 "
        "training jobs; only Random search goes further, up to 10000 with a raised quota",
    ),
    (
        "tuning objective the algorithm does not emit",
        algorithm("kmeans", {"tuning": {"objective": "validation:accuracy"}}),
        f"{P}.algorithms.kmeans.tuning.objective: validation:accuracy — kmeans does not emit "
        "this metric (allowed: test:msd, test:ssd)",
    ),
    (
        "objective for another predictor type",
        algorithm("linear-learner", {"tuning": {"objective": "validation:rmse"}}),
        f"{P}.algorithms.linear-learner.tuning.objective: validation:rmse — linear-learner "
        "emits it only when predictor_type is regressor",
    ),
    (
        "tuning an algorithm without objective metrics",
        algorithm("pca", {"tuning": {"enabled": True}}),
        f"{P}.algorithms.pca.tuning.enabled: true — pca cannot be tuned: PCA emits no "
        "documented objective metric",
    ),
    (
        "tuning range outside the documented one",
        algorithm("xgboost", {"tuning": {"ranges": {"eta": {"min": 0.01, "max": 0.9}}}}),
        f'{P}.algorithms.xgboost.tuning.ranges.eta: {{"max": 0.9, "min": 0.01}} — outside the '
        "documented range [0.1, 0.5]",
    ),
    (
        "tuning a hyperparameter without a documented range",
        algorithm("kmeans", {"tuning": {"ranges": {"k": {"min": 2, "max": 20}}}}),
        f"{P}.algorithms.kmeans.tuning.ranges.k — kmeans documents no tuning range for it "
        "(allowed: epochs, extra_center_factor, init_method, mini_batch_size)",
    ),
    (
        "grid search over a numeric range",
        algorithm("kmeans", {"tuning": {"strategy": "Grid"}}),
        f"{P}.algorithms.kmeans.tuning.strategy: Grid — Grid search takes categorical ranges "
        "only (numeric here: epochs, extra_center_factor, mini_batch_size)",
    ),
    (
        "more parallel tuning jobs than jobs",
        algorithm("kmeans", {"tuning": {"max_jobs": 4, "max_parallel_jobs": 8}}),
        f"{P}.algorithms.kmeans.tuning.max_parallel_jobs: 8 — more parallel jobs than max_jobs (4)",
    ),
    (
        "test metric without a test channel",
        algorithm("kmeans", {"training": {"channels": ["train"]}}),
        f"{P}.algorithms.kmeans.tuning.objective: test:msd — is computed on the test channel: "
        "add test to training.channels",
    ),
    (
        "validation metric without a validation channel",
        algorithm(
            "linear-learner",
            {
                "training": {
                    "channels": ["train", "test"],
                    "hyperparameters": {"predictor_type": "regressor"},
                },
                "tuning": {"objective": "validation:mse"},
            },
        ),
        f"{P}.algorithms.linear-learner.tuning.objective: validation:mse — is computed on the "
        "validation channel: add validation to training.channels",
    ),
    (
        "warm start for a grid search",
        algorithm(
            "kmeans",
            {
                "tuning": {
                    "strategy": "Grid",
                    "ranges": {"init_method": {"values": ["random"]}},
                    "warm_start_from": ["parent-1"],
                }
            },
        ),
        f'{P}.algorithms.kmeans.tuning.warm_start_from: ["parent-1"] — warm start is for '
        "Bayesian and Random searches, not Grid",
    ),
]


@one_line_each(CASES)
def test_bad_tuning_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]
