"""Bad configs, hyperparameter names: a name the algorithm does not take fails its
training job, so the plan refuses it with the names it takes (catalog:
`TrainingSpec.hyperparameter_names`, each list sourced in its algorithm's module)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra.catalog import CATALOG
from tests.config_errors import P, algorithm, errors_for, one_line_each

KMEANS_NAMES = (
    "epochs, eval_metrics, extra_center_factor, feature_dim, half_life_time_size, "
    "init_method, k, local_lloyd_init_method, local_lloyd_max_iter, local_lloyd_num_trials, "
    "local_lloyd_tol, mini_batch_size"
)

CASES = [
    (
        "a misspelt training hyperparameter",
        algorithm("kmeans", {"training": {"hyperparameters": {"epoch": 3}}}),
        f"{P}.algorithms.kmeans.training.hyperparameters.epoch — not a kmeans hyperparameter "
        f"(allowed: {KMEANS_NAMES})",
    ),
    (
        "another algorithm's hyperparameter",
        algorithm("pca", {"training": {"hyperparameters": {"k": 3}}}),
        f"{P}.algorithms.pca.training.hyperparameters.k — not a pca hyperparameter (allowed: "
        "algorithm_mode, extra_components, feature_dim, mini_batch_size, num_components, "
        "subtract_mean)",
    ),
    (
        "a tuning range for a name the algorithm lacks",
        algorithm("kmeans", {"tuning": {"ranges": {"epoch": {"min": 1, "max": 5}}}}),
        f"{P}.algorithms.kmeans.tuning.ranges.epoch — not a kmeans hyperparameter (allowed: "
        "epochs, extra_center_factor, init_method, mini_batch_size)",
    ),
    (
        "a tuning range for a name it has but does not tune",
        algorithm("kmeans", {"tuning": {"ranges": {"k": {"min": 1, "max": 5}}}}),
        f"{P}.algorithms.kmeans.tuning.ranges.k — kmeans documents no tuning range for it "
        "(allowed: epochs, extra_center_factor, init_method, mini_batch_size)",
    ),
]


@one_line_each(CASES)
def test_unknown_hyperparameter_names_give_one_line_with_the_names_allowed(
    text: str, expected: str
) -> None:
    assert errors_for(text) == [expected]


def test_xgboost_names_are_the_pinned_containers() -> None:
    """The developer guide still lists single_precision_histogram; 1.7-1 refuses it."""
    text = algorithm(
        "xgboost", {"training": {"hyperparameters": {"single_precision_histogram": True}}}
    )
    [line] = errors_for(text)
    assert line.startswith(
        f"{P}.algorithms.xgboost.training.hyperparameters.single_precision_histogram — not a "
        "xgboost hyperparameter (allowed: _kfold, _num_cv_round, aft_loss_distribution, "
    )
    assert ", reg_alpha, reg_lambda, " in line
    assert "single_precision_histogram," not in line


def test_every_name_the_catalog_lists_is_accepted() -> None:
    for name, spec in CATALOG.items():
        known = spec.training.hyperparameter_names
        if known is None or name == "reinforcement-learning":
            continue
        # Names that select modes need values that make sense together: set each alone
        # over the catalog's defaults, with a value of the right kind when one is known.
        for hyperparameter in known:
            lines = errors_for(
                algorithm(name, {"training": {"hyperparameters": {hyperparameter: "1"}}})
            )
            assert not any("hyperparameter (allowed" in line for line in lines), lines


def test_reinforcement_learning_takes_the_entry_points_own_names() -> None:
    text = algorithm(
        "reinforcement-learning",
        {
            "training": {
                "entry_point": "train.py",
                "source_uri": "s3://bucket/src/sourcedir.tar.gz",
                "hyperparameters": {"rl.training.config.lr": 0.001, "anything_at_all": 1},
            },
            "tuning": {"enabled": False},
        },
    )
    assert errors_for(text) == []


BUILT_INS = sorted(n for n, a in CATALOG.items() if a.training.hyperparameter_names)
names = st.from_regex(r"[a-z_][a-z0-9_]{0,24}", fullmatch=True)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.sampled_from(BUILT_INS), names)
def test_any_name_is_refused_exactly_when_the_algorithm_lacks_it(name: str, key: str) -> None:
    known = CATALOG[name].training.hyperparameter_names or ()
    lines = errors_for(algorithm(name, {"training": {"hyperparameters": {key: "1"}}}))
    refused = [line for line in lines if f".hyperparameters.{key} — not a" in line]
    assert bool(refused) == (key not in known)
    for line in refused:
        assert "\n" not in line
        assert line.endswith(")")


@pytest.mark.parametrize("name", BUILT_INS)
def test_the_catalogs_own_defaults_pass_the_name_check(name: str) -> None:
    lines = errors_for(algorithm(name, {}))
    assert not any("hyperparameter (allowed" in line for line in lines), lines
