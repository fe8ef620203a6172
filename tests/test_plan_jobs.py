"""Plan decisions the training, tuning, registration and Model Monitor renderers
take as they are (pure Python, no CDK)."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from infra.catalog.model import Processor
from infra.config import parse_config
from infra.plan import AlgorithmPlan
from infra.plan.monitoring import ModelQualityPlan, MonitorPlan, job_definition_identity
from infra.plan.tuning import TuningPlan
from infra.prefixes import ArtifactsPrefix, Purpose
from tests.recorded_models import plan_approved


def plan_for(name: str, body: dict | None = None, **stage: object) -> AlgorithmPlan:
    text = yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body or {}}, **stage}}})
    (algorithm,) = plan_approved(parse_config(text, "t.yaml"), "t.yaml").stages[0].algorithms
    return algorithm


# Hashes of job definition names as they were when the names were introduced
# (sha256 of `repr((kind, monitor, digest))` at the time): live definitions keep them.
JOB_DEFINITION_NAMES = {
    "model quality with alarm": (
        "linear-learner",
        {
            "monitoring": {
                "engine": "model-monitor",  # drift checks read labels from the stage bucket
                "schedule": "hourly",
                "baseline_ready": True,
                "sampling_percent": 50,
                "model_quality": {
                    "probability_threshold": 0.5,
                    "alarm_metric": "f1",
                    "alarm_threshold": 0.8,
                    "ground_truth_uri": "s3://labels/ll/",
                },
            }
        },
        ("88338c9f", "bc802bbd"),
    ),
    "unsupervised, local storage": (
        "kmeans",
        {
            "training": {"content_type": "text/csv"},
            "monitoring": {"baseline_ready": True, "instance_type": "ml.r5d.large"},
        },
        ("011ec753", "01cb0ac6"),
    ),
    "model quality off": (
        "xgboost",
        {
            "monitoring": {
                "baseline_ready": True,
                "baseline_uri": "s3://baseline-bucket/base/",
                "model_quality": {"enabled": False},
            }
        },
        ("44f52c80", "0d48e521"),
    ),
}


@pytest.mark.parametrize(
    ("name", "body", "hashes"), JOB_DEFINITION_NAMES.values(), ids=JOB_DEFINITION_NAMES.keys()
)
def test_job_definition_names_stay(name: str, body: dict, hashes: tuple[str, str]) -> None:
    monitor = plan_for(name, body).monitor
    assert isinstance(monitor, MonitorPlan)
    assert (
        tuple(
            hashlib.sha256(job_definition_identity(kind, monitor, "d1g3st").encode()).hexdigest()[
                :8
            ]
            for kind in ("dq", "mq")
        )
        == hashes
    )


def test_volume_encryption_follows_local_storage() -> None:
    assert plan_for("pca").training.encrypt_volume is True  # ml.m5.xlarge: EBS
    assert plan_for("ntm").training.encrypt_volume is False  # ml.g4dn.xlarge: local NVMe
    ebs = plan_for("kmeans").monitor
    local = plan_for("kmeans", {"monitoring": {"instance_type": "ml.r5d.large"}}).monitor
    assert isinstance(ebs, MonitorPlan)
    assert isinstance(local, MonitorPlan)
    assert (ebs.encrypt_volume, local.encrypt_volume) == (True, False)


def test_ground_truth_where_the_config_says_or_under_the_convention() -> None:
    default = plan_for("linear-learner").monitor
    labels = {"ground_truth_uri": "s3://labels/ll/"}
    chosen = plan_for(
        "linear-learner", {"monitoring": {"engine": "model-monitor", "model_quality": labels}}
    ).monitor
    assert isinstance(default, MonitorPlan)
    assert isinstance(chosen, MonitorPlan)
    assert isinstance(default.model_quality, ModelQualityPlan)
    assert isinstance(chosen.model_quality, ModelQualityPlan)
    assert default.model_quality.ground_truth == ArtifactsPrefix(
        Purpose.MONITORING, "linear-learner", ("ground-truth",)
    )
    assert default.model_quality.ground_truth.uri("bucket") == (
        "s3://bucket/monitoring/linear-learner/ground-truth/"
    )
    assert chosen.model_quality.ground_truth == "s3://labels/ll/"


def test_inter_container_encryption_where_the_algorithm_can_run_on_several_instances() -> None:
    # xgboost may be given more instances at run time; lda trains on one.
    assert plan_for("xgboost").training.inter_container_encryption is True
    assert plan_for("lda").training.inter_container_encryption is False


def test_jobs_reading_fsx_run_in_the_file_system_subnet() -> None:
    assert plan_for("semantic-segmentation").training.in_file_system_subnet is True
    on_s3 = plan_for("semantic-segmentation", {"training": {"data_source": "s3"}})
    assert on_s3.training.in_file_system_subnet is False
    assert plan_for("xgboost").training.in_file_system_subnet is False


def test_grid_search_runs_every_combination() -> None:
    grid = plan_for(
        "kmeans",
        {"tuning": {"strategy": "Grid", "ranges": {"init_method": {"values": ["random"]}}}},
    ).tuning
    bayesian = plan_for("kmeans").tuning
    assert isinstance(grid, TuningPlan)
    assert isinstance(bayesian, TuningPlan)
    assert (grid.stops_at_max_jobs, bayesian.stops_at_max_jobs) == (False, True)


def test_registration_of_hostable_algorithms() -> None:
    xgboost = plan_for("xgboost", {"endpoint": {"instance_type": "ml.c5.xlarge"}})
    registration = xgboost.registration
    assert registration is not None
    assert xgboost.model_package_group == registration.group == "dev-xgboost-models"
    assert registration.description == "XGBoost, trained by this stage's pipeline"
    assert registration.processor is Processor.CPU
    assert registration.instance_types == ("ml.c5.xlarge", "ml.m5.xlarge")
    assert registration.content_types == (
        "text/csv",
        "text/libsvm",
        "application/x-recordio-protobuf",
    )
    assert registration.environment == ()
    object2vec = plan_for("object2vec").registration
    assert object2vec is not None
    assert object2vec.environment == (("INFERENCE_PREFERRED_MODE", "classification"),)


def test_registration_serves_on_the_endpoint_processor() -> None:
    gpu = plan_for("image-classification", {"endpoint": {"instance_type": "ml.g4dn.xlarge"}})
    assert gpu.registration is not None
    assert gpu.registration.processor is Processor.GPU
    # A GPU package lists GPU types only, not the catalog's CPU default beside them.
    assert gpu.registration.instance_types == ("ml.g4dn.xlarge",)
    # Serverless only: no real-time endpoint, CPU and the catalog's default type.
    serverless = plan_for("xgboost", {"endpoint": {"enabled": False}})
    assert serverless.registration is not None
    assert (serverless.registration.processor, serverless.registration.instance_types) == (
        Processor.CPU,
        ("ml.m5.xlarge",),
    )


def test_nothing_to_register_without_hosting() -> None:
    plan = plan_for("reinforcement-learning")
    assert (plan.registration, plan.model_package_group) == (None, None)
