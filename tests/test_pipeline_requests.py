"""Pipeline definitions from plans, checked against SageMaker's API shapes (no CDK)."""

from __future__ import annotations

import json

import pytest
import yaml

from infra.catalog.model import InputMode
from infra.cli import load_plan
from infra.config import parse_config
from infra.pipelines import (
    Baseline,
    FsxMount,
    JobResources,
    ModelRegistry,
    training_pipeline,
    tuning_pipeline,
)
from infra.plan import AlgorithmPlan, build_plan
from infra.plan.tuning import TuningPlan
from tests.api_shapes import step_errors
from tests.pipeline_evaluate import step_requests

RESOURCES = JobResources(
    region="eu-west-1",
    job_role_arn="arn:aws:iam::123456789012:role/job",
    training_image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/algorithm:1",
    data_bucket="data-bucket",
    artifacts_bucket="artifacts-bucket",
    kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/abc",
    subnet_ids=("subnet-a", "subnet-b"),
    security_group_ids=("sg-1",),
    fsx=FsxMount(
        file_system_id="fs-0123456789abcdef0", mount_name="abcdefgh", subnet_id="subnet-a"
    ),
    registry=ModelRegistry(
        group="dev-algorithm-models",
        inference_image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/algorithm:1",
    ),
    baseline=Baseline(
        analyzer_image="156813124566.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer",
        drift_image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/cdk-assets:drift",
    ),
)
DEFAULT = load_plan("config/default.yaml").stages[0].algorithms


def plan_for(name: str, body: dict | None = None, **stage: object) -> AlgorithmPlan:
    text = yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body or {}}, **stage}}})
    (algorithm,) = build_plan(parse_config(text, "t.yaml"), "t.yaml").stages[0].algorithms
    return algorithm


def definitions(plan: AlgorithmPlan) -> list[dict]:
    out = [training_pipeline(plan, RESOURCES)]
    if isinstance(plan.tuning, TuningPlan):
        out.append(tuning_pipeline(plan, plan.tuning, RESOURCES))
    return out


def assert_valid(definition: dict) -> None:
    json.dumps(definition)  # serializable as the pipeline body
    for name, step_type, arguments in step_requests(definition):
        assert step_errors(step_type, arguments) == "", f"{name}: {step_type}"


@pytest.mark.parametrize("plan", DEFAULT, ids=[p.name for p in DEFAULT])
def test_default_requests_match_the_api(plan: AlgorithmPlan) -> None:
    for definition in definitions(plan):
        assert_valid(definition)


VARIANTS = {
    "fsx images": ("semantic-segmentation", {}),
    "incremental": (
        "image-classification",
        {"training": {"incremental_from": "s3://artifacts/models/ic/old/model.tar.gz"}},
    ),
    "distributed spot": ("xgboost", {"training": {"instance_count": 3}}),
    "grid search": (
        "kmeans",
        {
            "tuning": {
                "strategy": "Grid",
                "ranges": {"init_method": {"values": ["kmeans++", "random"]}},
            }
        },
    ),
    "warm start": ("ntm", {"tuning": {"warm_start_from": ["ntm-parent-1"]}}),
    "rl with metrics": (
        "reinforcement-learning",
        {
            "training": {"instance_type": "ml.g4dn.xlarge"},
            "tuning": {
                "objective": "episode_reward_mean",
                "direction": "Maximize",
                "metric_definitions": {"episode_reward_mean": "episode_reward_mean: ([-0-9.]+)"},
                "ranges": {"lr": {"min": 0.0001, "max": 0.01}},
            },
        },
    ),
}


@pytest.mark.parametrize(("name", "body"), VARIANTS.values(), ids=VARIANTS.keys())
def test_variant_requests_match_the_api(name: str, body: dict) -> None:
    for definition in definitions(plan_for(name, body)):
        assert_valid(definition)


def _train(plan: AlgorithmPlan) -> dict:
    ((_, _, request), *_) = step_requests(training_pipeline(plan, RESOURCES))
    return request


def test_channels_modes_and_content_types_follow_the_plan() -> None:
    request = _train(plan_for("randomcutforest", {"training": {"content_type": "text/csv"}}))
    assert request["AlgorithmSpecification"]["TrainingInputMode"] == "Pipe"
    (train,) = request["InputDataConfig"]
    assert train["ContentType"] == "text/csv"
    assert train["DataSource"]["S3DataSource"] == {
        "S3DataType": "S3Prefix",
        "S3Uri": "s3://data-bucket/training/randomcutforest/train/",
        "S3DataDistributionType": "ShardedByS3Key",
    }
    tune = step_requests(
        tuning_pipeline(plan_for("randomcutforest"), plan_for("randomcutforest").tuning, RESOURCES)
    )  # type: ignore[arg-type]
    inputs = {c["ChannelName"]: c for c in tune[0][2]["TrainingJobDefinition"]["InputDataConfig"]}
    assert inputs["test"]["DataSource"]["S3DataSource"]["S3DataDistributionType"] == (
        "FullyReplicated"
    )


def test_gzip_compression_on_streamed_channels() -> None:
    request = _train(plan_for("linear-learner", {"training": {"compression": "Gzip"}}))
    (train,) = request["InputDataConfig"]
    assert (train["InputMode"], train["CompressionType"]) == ("Pipe", "Gzip")
    assert step_errors("Training", request) == ""


def test_fsx_channels_use_file_mode_the_mount_name_and_the_fsx_subnet() -> None:
    request = _train(plan_for("semantic-segmentation"))
    assert request["AlgorithmSpecification"]["TrainingInputMode"] == InputMode.FILE.value
    assert request["VpcConfig"]["Subnets"] == ["subnet-a"]
    sources = [c["DataSource"]["FileSystemDataSource"] for c in request["InputDataConfig"]]
    assert {s["DirectoryPath"] for s in sources} == {
        f"/abcdefgh/semantic-segmentation/{c}"
        for c in ("train", "validation", "train_annotation", "validation_annotation")
    }
    assert {(s["FileSystemType"], s["FileSystemAccessMode"]) for s in sources} == {
        ("FSxLustre", "ro")
    }


def test_security_settings_on_every_job() -> None:
    isolated = {}
    for plan in DEFAULT:
        request = _train(plan)
        isolated[plan.name] = request["EnableNetworkIsolation"]
        if plan.training.encrypt_volume:
            assert request["ResourceConfig"]["VolumeKmsKeyId"] == RESOURCES.kms_key_arn
        else:  # local NVMe storage: the API refuses a key
            assert "VolumeKmsKeyId" not in request["ResourceConfig"]
        assert request["OutputDataConfig"]["KmsKeyId"] == RESOURCES.kms_key_arn
        assert request["OutputDataConfig"]["S3OutputPath"] == (
            f"s3://artifacts-bucket/models/{plan.name}/"
        )
        assert request["VpcConfig"]["SecurityGroupIds"] == ["sg-1"]
        assert request["EnableInterContainerTrafficEncryption"] is (
            plan.training.inter_container_encryption
        )
    # Every built-in trains isolated; the RL containers need S3 from inside (catalog).
    assert {name for name, on in isolated.items() if not on} == {"reinforcement-learning"}


def test_no_volume_key_on_local_storage_instances() -> None:
    ntm = _train(plan_for("ntm"))  # ml.g4dn.xlarge: local NVMe
    assert "VolumeKmsKeyId" not in ntm["ResourceConfig"]
    pca = _train(plan_for("pca"))  # ml.m5.xlarge: EBS
    assert pca["ResourceConfig"]["VolumeKmsKeyId"] == RESOURCES.kms_key_arn


def test_spot_and_checkpoints() -> None:
    xgboost = _train(plan_for("xgboost"))
    assert xgboost["EnableManagedSpotTraining"] is True
    assert xgboost["CheckpointConfig"] == {"S3Uri": "s3://artifacts-bucket/checkpoints/xgboost/"}
    stopping = xgboost["StoppingCondition"]
    assert stopping["MaxWaitTimeInSeconds"] > stopping["MaxRuntimeInSeconds"]
    kmeans = _train(plan_for("kmeans", {"training": {"spot": True, "max_runtime_seconds": 1800}}))
    assert kmeans["StoppingCondition"] == {
        "MaxRuntimeInSeconds": 1800,
        "MaxWaitTimeInSeconds": 3600,
    }
    assert "CheckpointConfig" not in kmeans


def test_run_time_parameters() -> None:
    definition = training_pipeline(plan_for("kmeans"), RESOURCES)
    names = {p["Name"]: p["DefaultValue"] for p in definition["Parameters"]}
    assert names == {
        "TrainDataUri": "s3://data-bucket/training/kmeans/train/",
        "Hyperparameter-feature_dim": "784",
        "TrainingInstanceType": "ml.m5.xlarge",
        "TrainingInstanceCount": 1,
        "BaselineDataUri": "s3://data-bucket/training/kmeans/baseline/",
        "ModelApprovalStatus": "PendingManualApproval",
    }
    (train, _baseline, register) = definition["Steps"]
    assert train["Arguments"]["ResourceConfig"]["InstanceType"] == {
        "Get": "Parameters.TrainingInstanceType"
    }
    assert register["Arguments"]["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] == {
        "Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"
    }


def test_xgboost_tuning_emits_its_objective() -> None:
    plan = plan_for("xgboost", {"tuning": {"objective": "validation:auc"}})
    assert isinstance(plan.tuning, TuningPlan)
    ((_, _, request), *_) = step_requests(tuning_pipeline(plan, plan.tuning, RESOURCES))
    static = request["TrainingJobDefinition"]["StaticHyperParameters"]
    assert static["eval_metric"] == "auc"  # xgboost emits only its eval_metric
    assert plan.training.hyperparameter_map["eval_metric"] == "rmse"  # training unchanged


def test_tuning_registers_the_best_model() -> None:
    plan = plan_for("xgboost")
    assert isinstance(plan.tuning, TuningPlan)
    (tune, register) = tuning_pipeline(plan, plan.tuning, RESOURCES)["Steps"]
    config = tune["Arguments"]["HyperParameterTuningJobConfig"]
    assert config["HyperParameterTuningJobObjective"] == {
        "Type": "Minimize",
        "MetricName": "validation:rmse",
    }
    assert config["TrainingJobEarlyStoppingType"] == "Auto"
    assert "eta" not in tune["Arguments"]["TrainingJobDefinition"]["StaticHyperParameters"]
    model = register["Arguments"]["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
    assert model["Std:Join"]["Values"][1] == {
        "Get": "Steps.Tune.TrainingJobSummaries[0].TrainingJobName"
    }


def test_reinforcement_learning_framework_picks_the_image() -> None:
    plan = plan_for("reinforcement-learning", {"training": {"framework": "tensorflow"}})
    assert plan.training.framework is not None
    assert plan.training.framework.image.tag_for(plan.training.processor) == (
        "ray-1.6.0-tf-cpu-py37"
    )


def test_reinforcement_learning_ships_its_code_in_a_channel() -> None:
    request = _train(plan_for("reinforcement-learning"))
    channels = {c["ChannelName"]: c for c in request["InputDataConfig"]}
    assert channels["code"]["DataSource"]["S3DataSource"]["S3Uri"] == (
        "s3://data-bucket/training/reinforcement-learning/code/sourcedir.tar.gz"
    )
    assert request["HyperParameters"]["sagemaker_program"] == '"train.py"'
    assert request["HyperParameters"]["sagemaker_submit_directory"] == (
        '"/opt/ml/input/data/code/sourcedir.tar.gz"'
    )
    steps = training_pipeline(plan_for("reinforcement-learning"), RESOURCES)["Steps"]
    assert [s["Type"] for s in steps] == ["Training"]  # nothing to register: no hosting


MODEL_MONITOR = {"monitoring": {"engine": "model-monitor"}}


def test_baseline_step_writes_where_the_schedules_read() -> None:
    steps = step_requests(training_pipeline(plan_for("kmeans", MODEL_MONITOR), RESOURCES))
    ((_, kind, baseline),) = [s for s in steps if s[0] == "Baseline"]
    assert kind == "Processing"
    assert step_errors(kind, baseline) == ""
    assert RESOURCES.baseline is not None
    assert baseline["AppSpecification"]["ImageUri"] == RESOURCES.baseline.analyzer_image
    assert baseline["Environment"]["dataset_format"] == '{"csv": {"header": false}}'
    (output,) = baseline["ProcessingOutputConfig"]["Outputs"]
    assert output["S3Output"]["S3Uri"] == "s3://artifacts-bucket/baselines/kmeans/"
    assert baseline["NetworkConfig"]["EnableNetworkIsolation"] is True
    # Unsupervised and trained on CSV: the training data itself is the baseline.
    csv = step_requests(
        training_pipeline(
            plan_for("kmeans", {"training": {"content_type": "text/csv"}, **MODEL_MONITOR}),
            RESOURCES,
        )
    )
    ((_, _, from_train),) = [s for s in csv if s[0] == "Baseline"]
    assert from_train["ProcessingInputs"][0]["S3Input"]["S3Uri"] == (
        "s3://data-bucket/training/kmeans/train/"
    )
    # No baseline for what cannot be monitored.
    assert "Baseline" not in [
        s[0] for s in step_requests(training_pipeline(plan_for("seq2seq"), RESOURCES))
    ]


def test_grid_search_sets_no_job_limit() -> None:
    for name, body in (VARIANTS["grid search"], ("kmeans", {})):
        plan = plan_for(name, body)
        assert isinstance(plan.tuning, TuningPlan)
        ((_, _, request), *_) = step_requests(tuning_pipeline(plan, plan.tuning, RESOURCES))
        limits = request["HyperParameterTuningJobConfig"]["ResourceLimits"]
        assert ("MaxNumberOfTrainingJobs" in limits) is plan.tuning.stops_at_max_jobs
