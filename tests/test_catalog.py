"""Catalog facts, checked for every algorithm against the facts file."""

from __future__ import annotations

import pytest

from infra.catalog import ALGORITHM_NAMES, CATALOG
from infra.catalog.instances import Use, is_offered, parse
from infra.catalog.model import (
    Algorithm,
    HostingSpec,
    InputMode,
    MonitoringSpec,
    NotSupported,
    Processor,
    RegistryGroup,
    S3Distribution,
)
from infra.catalog.tuning import CategoricalRange, TuningSpec
from infra.images import is_published

ALGORITHMS = list(CATALOG.values())
BUILT_INS = [a for a in ALGORITHMS if a.built_in]
ids = [a.name for a in ALGORITHMS]


def test_catalog_has_the_17_built_ins_and_reinforcement_learning() -> None:
    assert ALGORITHM_NAMES == (
        "linear-learner",
        "xgboost",
        "seq2seq",
        "forecasting-deepar",
        "blazingtext",
        "object2vec",
        "object-detection",
        "image-classification",
        "semantic-segmentation",
        "randomcutforest",
        "ntm",
        "lda",
        "knn",
        "kmeans",
        "pca",
        "factorization-machines",
        "ipinsights",
        "reinforcement-learning",
    )
    assert [a.name for a in ALGORITHMS if not a.built_in] == ["reinforcement-learning"]


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=ids)
def test_default_training_instance_is_offered_and_allowed(algorithm: Algorithm) -> None:
    spec = algorithm.training
    instance = parse(spec.default_instance_type)
    assert instance is not None
    assert is_offered(spec.default_instance_type, Use.TRAINING)
    assert instance.processor in spec.processors
    if instance.processor is Processor.GPU:
        assert instance.family in spec.gpu_families


@pytest.mark.parametrize("algorithm", [a for a in ALGORITHMS if isinstance(a.hosting, HostingSpec)])
def test_default_hosting_instance_is_offered_and_allowed(algorithm: Algorithm) -> None:
    hosting = algorithm.hosting
    assert isinstance(hosting, HostingSpec)
    instance = parse(hosting.default_instance_type)
    assert instance is not None
    assert is_offered(hosting.default_instance_type, Use.HOSTING)
    assert instance.processor in hosting.processors
    families = hosting.gpu_families if instance.processor is Processor.GPU else hosting.cpu_families
    assert not families or instance.family in families


@pytest.mark.parametrize("algorithm", BUILT_INS, ids=[a.name for a in BUILT_INS])
def test_built_ins_have_a_required_train_channel_and_formats(algorithm: Algorithm) -> None:
    train = next(c for c in algorithm.training.channels if c.name == "train")
    assert train.required
    assert algorithm.training.formats
    for training_format in algorithm.training.formats:
        assert training_format.input_modes
        assert InputMode.FAST_FILE not in training_format.input_modes  # UNCONFIRMED for 1P


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=ids)
def test_image_is_pinned_and_published_in_us_east_1(algorithm: Algorithm) -> None:
    image = algorithm.image
    assert image.tag not in (None, "latest")
    assert is_published(image, "us-east-1")
    if algorithm.name == "xgboost":
        assert image.tag == "1.7-1"  # a framework version, never `:1`
        assert image.registry_group is RegistryGroup.XGBOOST


@pytest.mark.parametrize(
    "algorithm", [a for a in ALGORITHMS if isinstance(a.tuning, TuningSpec)], ids=lambda a: a.name
)
def test_tuning_defaults_are_consistent(algorithm: Algorithm) -> None:
    tuning = algorithm.tuning
    assert isinstance(tuning, TuningSpec)
    if tuning.user_metric_definitions:
        assert not tuning.metrics
        return
    objective = tuning.metric(tuning.default_objective)
    assert objective is not None
    channels = {c.name for c in algorithm.training.channels}
    for metric in tuning.metrics:
        assert metric.channel is None or metric.channel in channels, metric.name
    for name in tuning.default_ranges:
        assert tuning.ranges_named(name), name
    for parameter_range in tuning.ranges:
        if isinstance(parameter_range, CategoricalRange):
            assert 1 <= len(parameter_range.values) <= 30
        else:
            assert parameter_range.min_value < parameter_range.max_value


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=ids)
def test_required_hyperparameters_have_defaults_within_allowed_values(
    algorithm: Algorithm,
) -> None:
    for hyperparameter in algorithm.training.hyperparameters:
        if hyperparameter.allowed:
            assert str(hyperparameter.default) in hyperparameter.allowed


def _names(predicate) -> set[str]:
    return {a.name for a in ALGORITHMS if predicate(a)}


def test_gpu_only_and_cpu_only_training() -> None:
    assert _names(lambda a: a.training.processors == {Processor.GPU}) == {
        "seq2seq",
        "object-detection",
        "image-classification",
        "semantic-segmentation",
    }
    assert _names(lambda a: a.training.processors == {Processor.CPU}) == {
        "lda",
        "randomcutforest",
    }


def test_single_instance_training() -> None:
    # LDA, seq2seq, semantic segmentation and object2vec are documented single
    # machine; k-means and BlazingText are CONFLICTs resolved conservatively.
    assert _names(lambda a: not a.training.multi_instance) == {
        "lda",
        "seq2seq",
        "semantic-segmentation",
        "object2vec",
        "kmeans",
        "blazingtext",
    }


def test_incremental_training_and_checkpointing() -> None:
    image_algorithms = {"object-detection", "image-classification", "semantic-segmentation"}
    assert _names(lambda a: a.training.incremental) == image_algorithms
    assert _names(lambda a: a.training.checkpointing) == image_algorithms | {"xgboost"}


def test_input_mode_facts() -> None:
    lda = CATALOG["lda"].training
    assert lda.format_for("text/csv").input_modes == (InputMode.FILE,)
    assert InputMode.PIPE in lda.format_for("application/x-recordio-protobuf").input_modes
    assert CATALOG["factorization-machines"].training.content_types == (
        "application/x-recordio-protobuf",
    )
    assert CATALOG["ipinsights"].training.format_for("text/csv").input_modes == (InputMode.FILE,)
    assert CATALOG["xgboost"].training.format_for("text/libsvm").input_modes == (InputMode.FILE,)


def test_random_cut_forest_channel_distribution() -> None:
    train, test = CATALOG["randomcutforest"].training.channels
    assert (train.distribution, train.distribution_fixed) == (
        S3Distribution.SHARDED_BY_S3_KEY,
        True,
    )
    assert (test.distribution, test.distribution_fixed) == (S3Distribution.FULLY_REPLICATED, True)
    assert test.content_type_given("text/csv") == "text/csv;label_size=1"


def test_seq2seq_requires_train_validation_and_vocab() -> None:
    channels = CATALOG["seq2seq"].training.channels
    assert {c.name for c in channels if c.required} == {"train", "validation", "vocab"}


def test_hosting_facts() -> None:
    hosting = {a.name: a.hosting for a in ALGORITHMS}
    assert isinstance(hosting["reinforcement-learning"], NotSupported)
    assert hosting["forecasting-deepar"].processors == {Processor.CPU}  # type: ignore[union-attr]
    assert "text/csv" not in hosting["factorization-machines"].request_content_types  # type: ignore[union-attr]
    assert dict(hosting["object2vec"].environment) == {  # type: ignore[union-attr]
        "INFERENCE_PREFERRED_MODE": "classification"
    }


def test_serverless_only_where_inference_runs_on_cpu() -> None:
    for algorithm in ALGORITHMS:
        hosting = algorithm.hosting
        if isinstance(hosting, HostingSpec) and hosting.serverless is None:
            assert Processor.CPU in hosting.processors, algorithm.name
    assert _names(
        lambda a: isinstance(a.hosting, HostingSpec) and a.hosting.serverless is not None
    ) == {"seq2seq", "object2vec"}


def test_monitorable_algorithms_are_the_tabular_ones() -> None:
    # Facts §12 (DERIVED): invoked with text/csv, captured unencoded.
    monitorable = _names(
        lambda a: (
            isinstance(a.hosting, HostingSpec) and isinstance(a.hosting.monitoring, MonitoringSpec)
        )
    )
    assert monitorable == {
        "linear-learner",
        "xgboost",
        "kmeans",
        "knn",
        "pca",
        "randomcutforest",
        "ntm",
        "lda",
        "ipinsights",
    }
    for name in monitorable:
        hosting = CATALOG[name].hosting
        assert isinstance(hosting, HostingSpec)
        assert isinstance(hosting.monitoring, MonitoringSpec)
        assert hosting.monitoring.capture_content_type in hosting.request_content_types


def test_model_quality_only_for_supervised_algorithms() -> None:
    supervised = _names(
        lambda a: (
            isinstance(a.hosting, HostingSpec)
            and isinstance(a.hosting.monitoring, MonitoringSpec)
            and not isinstance(a.hosting.monitoring.model_quality, NotSupported)
        )
    )
    assert supervised == {"linear-learner", "xgboost", "knn"}


def test_pca_has_no_objective_metric() -> None:
    assert isinstance(CATALOG["pca"].tuning, NotSupported)


def test_lda_is_published_in_16_regions_only() -> None:
    lda = CATALOG["lda"].image
    assert is_published(lda, "us-east-1")
    assert not is_published(lda, "sa-east-1")
    assert not is_published(lda, "eu-north-1")


def test_only_random_cut_forest_scores_streams() -> None:
    assert _names(lambda a: isinstance(a.hosting, HostingSpec) and a.hosting.stream_scoring) == {
        "randomcutforest"
    }


def _names_the_catalog_sets(algorithm: Algorithm) -> set[str]:
    """Every hyperparameter name the catalog itself sets, tests or tunes."""
    training = algorithm.training
    names = {h.name for h in training.hyperparameters}
    names |= {r.name for r in training.conditional_requirements}
    names |= {r.when.hyperparameter for r in training.conditional_requirements if r.when}
    names |= {c.when.hyperparameter for c in training.channels if c.when}
    if isinstance(algorithm.tuning, TuningSpec):
        names |= {r.name for r in algorithm.tuning.ranges}
        names |= {r.when.hyperparameter for r in algorithm.tuning.ranges if r.when}
        names |= {m.when.hyperparameter for m in algorithm.tuning.metrics if m.when}
        if algorithm.tuning.objective_hyperparameter:
            names.add(algorithm.tuning.objective_hyperparameter)
    if isinstance(algorithm.hosting, HostingSpec):
        if algorithm.hosting.feature_count_hyperparameter:
            names.add(algorithm.hosting.feature_count_hyperparameter)
        monitoring = algorithm.hosting.monitoring
        if isinstance(monitoring, MonitoringSpec) and not isinstance(
            monitoring.model_quality, NotSupported
        ):
            names.add(monitoring.model_quality.hyperparameter)
    return names


@pytest.mark.parametrize("algorithm", BUILT_INS, ids=[a.name for a in BUILT_INS])
def test_every_built_in_lists_its_hyperparameters_and_the_catalog_stays_inside(
    algorithm: Algorithm,
) -> None:
    known = algorithm.training.hyperparameter_names
    assert known is not None
    assert list(known) == sorted(set(known))
    assert _names_the_catalog_sets(algorithm) <= set(known)


def test_reinforcement_learning_hyperparameters_are_the_users_own() -> None:
    assert CATALOG["reinforcement-learning"].training.hyperparameter_names is None
