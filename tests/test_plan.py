"""Plan decisions for the default config and for overrides (pure Python, no CDK)."""

from __future__ import annotations

import yaml

from infra.catalog import ALGORITHM_NAMES
from infra.catalog.model import Direction, InputMode, NotSupported, ProblemType, S3Distribution
from infra.cli import load_plan
from infra.config import parse_config
from infra.plan import AlgorithmPlan, build_plan
from infra.plan.channels import DataSource
from infra.plan.endpoint import EndpointPlan
from infra.plan.job_options import SpotPlan
from infra.plan.monitoring import ModelQualityPlan, MonitorPlan
from infra.plan.serverless import ServerlessPlan
from infra.plan.skipped import DISABLED
from infra.plan.tuning import TuningPlan
from tests.recorded_models import plan_approved


def plan_for(name: str, body: dict | None = None, **stage: object) -> AlgorithmPlan:
    text = yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body or {}}, **stage}}})
    (algorithm,) = plan_approved(parse_config(text, "t.yaml"), "t.yaml").stages[0].algorithms
    return algorithm


def test_default_config_enables_every_algorithm_environment_agnostic() -> None:
    plan = load_plan("config/default.yaml")
    (stage,) = plan.stages
    assert (stage.account, stage.region) == (None, None)
    assert tuple(a.name for a in stage.algorithms) == ALGORITHM_NAMES


def test_pipe_mode_with_recordio_protobuf_where_supported() -> None:
    kmeans = plan_for("kmeans").training
    assert (kmeans.content_type, kmeans.input_mode) == (
        "application/x-recordio-protobuf",
        InputMode.PIPE,
    )
    csv = plan_for("kmeans", {"training": {"content_type": "text/csv"}}).training
    assert csv.input_mode is InputMode.PIPE
    assert plan_for("lda", {"training": {"content_type": "text/csv"}}).training.input_mode is (
        InputMode.FILE
    )
    assert plan_for("ipinsights").training.input_mode is InputMode.FILE


def test_config_can_choose_file_mode() -> None:
    training = plan_for("pca", {"training": {"input_mode": "File"}}).training
    assert training.input_mode is InputMode.FILE
    assert {c.input_mode for c in training.channels} == {InputMode.FILE}


def test_hyperparameters_merge_defaults_and_overrides_as_strings() -> None:
    training = plan_for(
        "xgboost", {"training": {"hyperparameters": {"num_round": 250, "eta": 0.2}}}
    ).training
    assert training.hyperparameter_map == {
        "eta": "0.2",
        "eval_metric": "rmse",
        "num_round": "250",
        "objective": "reg:squarederror",
    }
    flag = plan_for("linear-learner", {"training": {"hyperparameters": {"use_bias": False}}})
    assert flag.training.hyperparameter_map["use_bias"] == "false"


def test_channels_follow_the_catalog() -> None:
    plan = plan_for("randomcutforest")
    assert [c.name for c in plan.training.channels] == ["train"]
    assert isinstance(plan.tuning, TuningPlan)  # test:f1 needs the labelled test channel
    rcf = {c.name: c for c in plan.tuning.channels}
    assert rcf["train"].distribution is S3Distribution.SHARDED_BY_S3_KEY
    assert rcf["test"].distribution is S3Distribution.FULLY_REPLICATED
    csv = plan_for("randomcutforest", {"training": {"content_type": "text/csv"}}).tuning
    assert isinstance(csv, TuningPlan)
    assert {c.name: c for c in csv.channels}["test"].content_type == "text/csv;label_size=1"
    images = plan_for("object-detection", {"training": {"content_type": "image/jpeg"}})
    assert [c.name for c in images.training.channels] == [
        "train",
        "validation",
        "train_annotation",
        "validation_annotation",
    ]
    recordio = plan_for("object-detection")
    assert [c.name for c in recordio.training.channels] == ["train", "validation"]
    vocab = {c.name: c for c in plan_for("seq2seq").training.channels}["vocab"]
    assert (vocab.content_type, vocab.input_mode) == (None, InputMode.FILE)


def test_blazingtext_validation_channel_only_in_supervised_mode() -> None:
    supervised = plan_for("blazingtext")
    assert [c.name for c in supervised.training.channels] == ["train"]
    assert isinstance(supervised.tuning, TuningPlan)
    assert [c.name for c in supervised.tuning.channels] == ["train", "validation"]
    pinned = plan_for("blazingtext", {"training": {"channels": ["train", "validation"]}})
    assert [c.name for c in pinned.training.channels] == ["train", "validation"]
    word2vec = plan_for("blazingtext", {"training": {"hyperparameters": {"mode": "skipgram"}}})
    assert isinstance(word2vec.tuning, TuningPlan)
    assert word2vec.tuning.objective.name == "train:mean_rho"
    assert [c.name for c in word2vec.tuning.channels] == ["train"]


def test_image_data_is_read_from_fsx_in_file_mode() -> None:
    segmentation = plan_for("semantic-segmentation").training  # image/jpeg, File only
    assert segmentation.data_source is DataSource.FSX
    assert all(c.from_file_system for c in segmentation.channels)
    recordio = plan_for("image-classification").training  # RecordIO streams from S3
    assert (recordio.data_source, recordio.input_mode) == (DataSource.S3, InputMode.PIPE)
    forced = plan_for("kmeans", {"training": {"data_source": "fsx"}}).training
    assert (forced.data_source, forced.input_mode) == (DataSource.FSX, InputMode.FILE)
    no_fsx = plan_for("semantic-segmentation", fsx={"enabled": False}).training
    assert no_fsx.data_source is DataSource.S3


def test_spot_follows_checkpointing() -> None:
    xgboost = plan_for("xgboost", {"training": {"max_runtime_seconds": 7200}}).training
    assert xgboost.spot == SpotPlan(max_wait_seconds=14400, checkpoints=True)
    assert plan_for("kmeans").training.spot is None
    short = plan_for("kmeans", {"training": {"spot": True, "max_runtime_seconds": 1800}})
    assert short.training.spot == SpotPlan(max_wait_seconds=3600, checkpoints=False)


def test_incremental_training_adds_the_model_channel() -> None:
    uri = "s3://my-bucket/models/image-classification/old/output/model.tar.gz"
    plan = plan_for("image-classification", {"training": {"incremental_from": uri}}).training
    model = plan.channels[-1]
    assert (model.name, model.content_type, model.input_mode, model.incremental) == (
        "model",
        "application/x-sagemaker-model",
        InputMode.FILE,
        True,
    )
    assert plan.incremental_from == uri


def test_early_stopping_needs_the_strategy_and_a_per_epoch_objective() -> None:
    def stops(name: str, tuning: dict | None = None) -> bool:
        plan = plan_for(name, {"tuning": tuning or {}}).tuning
        assert isinstance(plan, TuningPlan)
        return plan.early_stopping

    assert stops("xgboost")
    assert not stops("xgboost", {"strategy": "Hyperband"})
    # k-means reports its objective once, at the end: nothing to stop on.
    assert not stops("kmeans")
    # Linear learner emits only objective_loss per epoch.
    assert stops("linear-learner", {"objective": "validation:objective_loss"})
    assert not stops("linear-learner", {"objective": "validation:binary_f_beta"})


def test_default_objective_follows_the_predictor_type() -> None:
    regressor = plan_for(
        "factorization-machines",
        {"training": {"hyperparameters": {"predictor_type": "regressor"}}},
    )
    assert isinstance(regressor.tuning, TuningPlan)
    assert regressor.tuning.objective.name == "test:rmse"
    assert regressor.tuning.objective.direction is Direction.MINIMIZE


def test_tuning_ranges_default_and_narrowed() -> None:
    default = plan_for("kmeans").tuning
    assert isinstance(default, TuningPlan)
    assert [r.name for r in default.ranges] == [
        "epochs",
        "extra_center_factor",
        "init_method",
        "mini_batch_size",
    ]
    narrowed = plan_for(
        "xgboost",
        {
            "tuning": {
                "ranges": {"eta": {"min": 0.1, "max": 0.3}, "max_depth": {"min": 3, "max": 8}}
            }
        },
    ).tuning
    assert isinstance(narrowed, TuningPlan)
    bounds = {r.name: (r.min_value, r.max_value) for r in narrowed.ranges}  # type: ignore[union-attr]
    assert bounds == {"eta": (0.1, 0.3), "max_depth": (3, 8)}


def test_reinforcement_learning_tunes_on_user_metrics() -> None:
    rl = plan_for("reinforcement-learning")
    assert isinstance(rl.tuning, NotSupported)
    assert isinstance(rl.endpoint, NotSupported)
    tuned = plan_for(
        "reinforcement-learning",
        {
            "tuning": {
                "objective": "episode_reward_mean",
                "direction": "Maximize",
                "metric_definitions": {"episode_reward_mean": r"episode_reward_mean: ([-0-9.]+)"},
                "ranges": {"lr": {"min": 0.0001, "max": 0.01}},
            }
        },
    ).tuning
    assert isinstance(tuned, TuningPlan)
    assert tuned.objective.direction is Direction.MAXIMIZE


def test_hosting_and_monitoring_decisions() -> None:
    ll = plan_for("linear-learner")
    assert isinstance(ll.endpoint, EndpointPlan)
    assert isinstance(ll.serverless, ServerlessPlan)
    assert isinstance(ll.monitor, MonitorPlan)
    assert isinstance(ll.monitor.model_quality, ModelQualityPlan)
    assert ll.monitor.model_quality.problem_type is ProblemType.BINARY
    assert ll.monitor.model_quality.inference_attribute == "predicted_label"
    assert ll.monitor.model_quality.probability_attribute == "score"
    regression = plan_for(
        "xgboost", {"training": {"hyperparameters": {"objective": "rank:pairwise"}}}
    ).monitor
    assert isinstance(regression, MonitorPlan)
    assert regression.model_quality == NotSupported(
        "objective rank:pairwise has no model-quality problem type"
    )
    assert isinstance(plan_for("seq2seq").serverless, NotSupported)
    no_endpoint = plan_for("kmeans", {"endpoint": {"enabled": False}})
    assert no_endpoint.endpoint is DISABLED
    assert isinstance(no_endpoint.monitor, NotSupported)


def test_config_switches_capabilities_off() -> None:
    off = plan_for(
        "kmeans",
        {
            "tuning": {"enabled": False},
            "serverless": {"enabled": False},
            "monitoring": {"enabled": False},
        },
    )
    assert (off.tuning, off.serverless, off.monitor) == (DISABLED, DISABLED, DISABLED)


def test_disabled_algorithm_is_left_out_of_the_stage() -> None:
    text = yaml.safe_dump(
        {"stages": {"dev": {"algorithms": {"kmeans": {}, "pca": {"enabled": False}}}}}
    )
    (stage,) = build_plan(parse_config(text, "t.yaml"), "t.yaml").stages
    assert [a.name for a in stage.algorithms] == ["kmeans"]


def test_concrete_region_and_account_are_kept() -> None:
    text = yaml.safe_dump(
        {
            "stages": {
                "prod": {
                    "account": "012345678901",
                    "region": "eu-west-1",
                    "algorithms": {"lda": {}},
                }
            }
        }
    )
    (stage,) = build_plan(parse_config(text, "t.yaml"), "t.yaml").stages
    assert (stage.name, stage.account, stage.region) == ("prod", "012345678901", "eu-west-1")
