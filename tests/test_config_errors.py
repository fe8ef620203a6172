"""Bad configs: each gives exactly the one-line message a user should read."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from infra.cli import load_plan
from infra.config import parse_config
from infra.errors import ConfigError
from infra.plan import build_plan

SOURCE = "config/bad.yaml"


def errors_for(text: str) -> list[str]:
    try:
        build_plan(parse_config(textwrap.dedent(text), SOURCE), SOURCE)
    except ConfigError as error:
        return error.lines
    return []


def algorithm(name: str, body: dict) -> str:
    return yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body}}}})


def stage(body: dict) -> str:
    return yaml.safe_dump({"stages": {"dev": {"algorithms": {"kmeans": None}, **body}}})


P = f"{SOURCE}: stages.dev"
NAMED_DEV = {"account": "111111111111", "region": "eu-west-1", "algorithms": {"kmeans": None}}
PIPELINE = {
    "account": "444444444444",
    "region": "eu-west-1",
    "connection_arn": "arn:aws:codeconnections:eu-west-1:444444444444:"
    "connection/0f2a6c1e-8b7d-4e52-9a3b-1c2d3e4f5a6b",
    "repository": "org/repo",
}


def with_pipeline(stages: dict, **pipeline: object) -> str:
    """A config with these stages and a delivery pipeline (`pipeline` overrides its keys)."""
    return yaml.safe_dump({"stages": stages, "pipeline": {**PIPELINE, **pipeline}})


CASES = [
    # --- structure, from the schema ---------------------------------------------
    (
        "unknown top-level key",
        "stages: {dev: {algorithms: {kmeans: }}}\nstage: {}\n",
        f"{SOURCE}: stage — unknown key (allowed: pipeline, stages)",
    ),
    (
        "unknown stage key",
        stage({"regoin": "eu-west-1"}),
        f"{P}.regoin — unknown key (allowed: account, algorithms, bootstrap_qualifier, "
        "ephemeral, fsx, model_servers, models_from, namespace, network, production, region, "
        "retention, streaming, termination_protection)",
    ),
    (
        "unknown training key",
        algorithm("kmeans", {"training": {"instance_typ": "ml.m5.xlarge"}}),
        f"{P}.algorithms.kmeans.training.instance_typ — unknown key (allowed: channels, "
        "compression, content_type, data_source, entry_point, framework, hyperparameters, "
        "incremental_from, input_mode, "
        "instance_count, instance_type, max_runtime_seconds, max_wait_seconds, schedule, "
        "source_uri, spot, volume_size_gb)",
    ),
    (
        "count as a string",
        algorithm("kmeans", {"training": {"instance_count": "2"}}),
        f'{P}.algorithms.kmeans.training.instance_count: "2" — must be an integer',
    ),
    (
        "zero instances",
        algorithm("kmeans", {"training": {"instance_count": 0}}),
        f"{P}.algorithms.kmeans.training.instance_count: 0 — must be at least 1",
    ),
    (
        "unquoted account id",
        stage({"account": 123456789012}),
        f"{P}.account: 123456789012 — must be a string (quote it)",
    ),
    (
        "short account id",
        stage({"account": "12345"}),
        f'{P}.account: "12345" — must be a 12-digit AWS account id, quoted so leading zeros '
        "survive",
    ),
    (
        "input mode that does not exist",
        algorithm("kmeans", {"training": {"input_mode": "Stream"}}),
        f"{P}.algorithms.kmeans.training.input_mode: Stream — not a valid choice "
        "(allowed: 'File', 'Pipe' or 'FastFile')",
    ),
    (
        "monitoring more often than hourly",
        algorithm("kmeans", {"monitoring": {"schedule": "every-5-minutes"}}),
        f"{P}.algorithms.kmeans.monitoring.schedule: every-5-minutes — not a valid choice "
        "(allowed: 'hourly' or 'daily')",
    ),
    (
        "serverless memory not in 1 GB steps",
        algorithm("kmeans", {"serverless": {"memory_mb": 1500}}),
        f"{P}.algorithms.kmeans.serverless.memory_mb: 1500 — not a valid choice "
        "(allowed: 1024, 2048, 3072, 4096, 5120 or 6144)",
    ),
    (
        "serverless concurrency above 200",
        algorithm("kmeans", {"serverless": {"max_concurrency": 500}}),
        f"{P}.algorithms.kmeans.serverless.max_concurrency: 500 — must be at most 200",
    ),
    (
        "tuning budget above 750 jobs",
        algorithm("kmeans", {"tuning": {"max_jobs": 1000}}),
        f"{P}.algorithms.kmeans.tuning.max_jobs: 1000 — must be at most 750",
    ),
    (
        "duplicate stage names",
        "stages:\n  dev: {algorithms: {kmeans: }}\n  dev: {algorithms: {pca: }}\n",
        f"{SOURCE}: line 3 — duplicate key 'dev' (first at line 2)",
    ),
    (
        "stage name with invalid characters",
        "stages: {dev_1: {algorithms: {kmeans: }}}\n",
        f"{SOURCE}: stages.dev_1: dev_1 — stage names start with a letter and use letters, "
        "digits and hyphens (at most 20 characters)",
    ),
    (
        "not a mapping",
        "- dev\n",
        f"{SOURCE} — the file must be a mapping with a top-level `stages:` key",
    ),
    # --- catalog rules, from the plan ----------------------------------------------
    (
        "algorithm that does not exist",
        algorithm("xgboos", {}),
        f"{P}.algorithms.xgboos — unknown algorithm (allowed: linear-learner, xgboost, seq2seq, "
        "forecasting-deepar, blazingtext, object2vec, object-detection, image-classification, "
        "semantic-segmentation, randomcutforest, ntm, lda, knn, kmeans, pca, "
        "factorization-machines, ipinsights, reinforcement-learning)",
    ),
    (
        "seq2seq on a CPU",
        algorithm("seq2seq", {"training": {"instance_type": "ml.m5.xlarge"}}),
        f"{P}.algorithms.seq2seq.training.instance_type: ml.m5.xlarge — seq2seq trains on GPU "
        "only (allowed: ml.p2.*, ml.p3.*, ml.g4dn.*, ml.g5.*)",
    ),
    (
        "semantic segmentation on a CPU",
        algorithm("semantic-segmentation", {"training": {"instance_type": "ml.c5.4xlarge"}}),
        f"{P}.algorithms.semantic-segmentation.training.instance_type: ml.c5.4xlarge — "
        "semantic-segmentation trains on GPU only (allowed: ml.p2.*, ml.p3.*, ml.g4dn.*, "
        "ml.g5.*)",
    ),
    (
        "LDA on a GPU",
        algorithm("lda", {"training": {"instance_type": "ml.p3.2xlarge"}}),
        f"{P}.algorithms.lda.training.instance_type: ml.p3.2xlarge — lda trains on CPU only "
        "(allowed: CPU instance types)",
    ),
    (
        "LDA on two instances",
        algorithm("lda", {"training": {"instance_count": 2}}),
        f"{P}.algorithms.lda.training.instance_count: 2 — lda trains on a single instance "
        "(allowed: 1)",
    ),
    (
        "seq2seq on two instances",
        algorithm("seq2seq", {"training": {"instance_count": 2}}),
        f"{P}.algorithms.seq2seq.training.instance_count: 2 — seq2seq trains on a single "
        "instance (allowed: 1)",
    ),
    (
        "semantic segmentation on two instances",
        algorithm("semantic-segmentation", {"training": {"instance_count": 3}}),
        f"{P}.algorithms.semantic-segmentation.training.instance_count: 3 — "
        "semantic-segmentation trains on a single instance (allowed: 1)",
    ),
    (
        "object2vec on two instances",
        algorithm("object2vec", {"training": {"instance_count": 2}}),
        f"{P}.algorithms.object2vec.training.instance_count: 2 — object2vec trains on a single "
        "instance (allowed: 1)",
    ),
    (
        "LDA with CSV in Pipe mode",
        algorithm("lda", {"training": {"content_type": "text/csv", "input_mode": "Pipe"}}),
        f"{P}.algorithms.lda.training.input_mode: Pipe — lda takes text/csv in File mode only "
        "(allowed: File)",
    ),
    (
        "factorization machines with CSV",
        algorithm("factorization-machines", {"training": {"content_type": "text/csv"}}),
        f"{P}.algorithms.factorization-machines.training.content_type: text/csv — "
        "factorization-machines does not train on this content type "
        "(allowed: application/x-recordio-protobuf)",
    ),
    (
        "IP Insights in Pipe mode",
        algorithm("ipinsights", {"training": {"input_mode": "Pipe"}}),
        f"{P}.algorithms.ipinsights.training.input_mode: Pipe — ipinsights takes text/csv in "
        "File mode only (allowed: File)",
    ),
    (
        "content type the algorithm does not take",
        algorithm("kmeans", {"training": {"content_type": "application/jsonlines"}}),
        f"{P}.algorithms.kmeans.training.content_type: application/jsonlines — kmeans does not "
        "train on this content type (allowed: application/x-recordio-protobuf, text/csv)",
    ),
    (
        "XGBoost libsvm in Pipe mode",
        algorithm("xgboost", {"training": {"content_type": "text/libsvm", "input_mode": "Pipe"}}),
        f"{P}.algorithms.xgboost.training.input_mode: Pipe — xgboost takes text/libsvm in "
        "File mode only (allowed: File)",
    ),
    (
        "FastFile where it is not documented",
        algorithm("pca", {"training": {"input_mode": "FastFile"}}),
        f"{P}.algorithms.pca.training.input_mode: FastFile — pca takes "
        "application/x-recordio-protobuf in Pipe or File mode only (allowed: Pipe, File)",
    ),
    (
        "instance type that does not exist",
        algorithm("linear-learner", {"training": {"instance_type": "ml.p3.xlarge"}}),
        f"{P}.algorithms.linear-learner.training.instance_type: ml.p3.xlarge — not a SageMaker "
        "training instance type (e.g. ml.m5.xlarge)",
    ),
    (
        "GPU family the algorithm does not document",
        algorithm("object-detection", {"training": {"instance_type": "ml.p4d.24xlarge"}}),
        f"{P}.algorithms.object-detection.training.instance_type: ml.p4d.24xlarge — "
        "object-detection trains on GPU families it documents only "
        "(allowed: ml.p2.*, ml.p3.*, ml.g4dn.*, ml.g5.*)",
    ),
    (
        "Graviton instance for an x86 image",
        algorithm("kmeans", {"endpoint": {"instance_type": "ml.m6g.large"}}),
        f"{P}.algorithms.kmeans.endpoint.instance_type: ml.m6g.large — kmeans's image needs an "
        "x86 CPU or NVIDIA GPU instance, not Graviton (arm64)",
    ),
    (
        "DeepAR hosted on a GPU",
        algorithm("forecasting-deepar", {"endpoint": {"instance_type": "ml.g4dn.xlarge"}}),
        f"{P}.algorithms.forecasting-deepar.endpoint.instance_type: ml.g4dn.xlarge — "
        "forecasting-deepar hosts on CPU only (allowed: CPU instance types)",
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
        "multiclass linear learner without num_classes",
        algorithm(
            "linear-learner",
            {"training": {"hyperparameters": {"predictor_type": "multiclass_classifier"}}},
        ),
        f"{P}.algorithms.linear-learner.training.hyperparameters.num_classes — linear-learner "
        "requires it when predictor_type is multiclass_classifier",
    ),
    (
        "predictor type the algorithm does not know",
        algorithm("knn", {"training": {"hyperparameters": {"predictor_type": "ranker"}}}),
        f"{P}.algorithms.knn.training.hyperparameters.predictor_type: ranker — not a knn "
        "predictor_type (allowed: classifier, regressor)",
    ),
    (
        "serverless for a GPU-only algorithm",
        algorithm("seq2seq", {"serverless": {"enabled": True}}),
        f"{P}.algorithms.seq2seq.serverless.enabled: true — seq2seq cannot have a serverless "
        "endpoint: inference runs on GPU only; serverless has no GPU",
    ),
    (
        "provisioned above max concurrency",
        algorithm("kmeans", {"serverless": {"max_concurrency": 5, "provisioned_concurrency": 10}}),
        f"{P}.algorithms.kmeans.serverless.provisioned_concurrency: 10 — greater than "
        "max_concurrency (5)",
    ),
    (
        "autoscaling minimum above maximum",
        algorithm("kmeans", {"endpoint": {"min_instances": 4, "max_instances": 2}}),
        f"{P}.algorithms.kmeans.endpoint.min_instances: 4 — greater than max_instances (2)",
    ),
    (
        "two model sources",
        algorithm(
            "kmeans",
            {
                "endpoint": {
                    "model_uri": "s3://models/kmeans/model.tar.gz",
                    "model_package_arn": (
                        "arn:aws:sagemaker:eu-west-1:123456789012:model-package/km/3"
                    ),
                }
            },
        ),
        f"{P}.algorithms.kmeans.endpoint.model_package_arn: "
        "arn:aws:sagemaker:eu-west-1:123456789012:model-package/km/3 — give model_uri or "
        "model_package_arn, not both",
    ),
    (
        "a model package ARN of the wrong form",
        algorithm("kmeans", {"endpoint": {"model_package_arn": "km/3"}}),
        f"{P}.algorithms.kmeans.endpoint.model_package_arn: km/3 — must be a model package ARN "
        "(arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)",
    ),
    (
        "an A/B variant without a model",
        algorithm("kmeans", {"endpoint": {"variants": [{"name": "challenger"}]}}),
        f"{P}.algorithms.kmeans.endpoint.variants.0 — needs model_uri or model_package_arn",
    ),
    (
        "a variant named like the main one",
        algorithm(
            "kmeans",
            {
                "endpoint": {
                    "variants": [{"name": "AllTraffic", "model_uri": "s3://models/k/model.tar.gz"}]
                }
            },
        ),
        f"{P}.algorithms.kmeans.endpoint.variants.0.name: AllTraffic — variant names must be "
        "unique",
    ),
    (
        "an A/B variant on a GPU for a CPU-only host",
        algorithm(
            "lda",
            {
                "endpoint": {
                    "variants": [
                        {
                            "name": "gpu",
                            "model_uri": "s3://models/lda/model.tar.gz",
                            "instance_type": "ml.g4dn.xlarge",
                        }
                    ]
                }
            },
        ),
        f"{P}.algorithms.lda.endpoint.variants.0.instance_type: ml.g4dn.xlarge — lda hosts on "
        "CPU only (allowed: CPU instance types)",
    ),
    (
        "a scaling target given twice",
        algorithm(
            "kmeans",
            {"endpoint": {"target_invocations_per_instance": 600, "max_rps_per_instance": 20}},
        ),
        f"{P}.algorithms.kmeans.endpoint.max_rps_per_instance: 20 — give "
        "target_invocations_per_instance or max_rps_per_instance, not both",
    ),
    (
        "scale-in no slower than scale-out",
        algorithm(
            "kmeans",
            {"endpoint": {"scale_in_cooldown_seconds": 60, "scale_out_cooldown_seconds": 300}},
        ),
        f"{P}.algorithms.kmeans.endpoint.scale_in_cooldown_seconds: 60 — scale in more slowly "
        "than out: must be longer than scale_out_cooldown_seconds (300)",
    ),
    (
        "a canary beyond half the fleet",
        algorithm("kmeans", {"endpoint": {"deployment": {"canary_percent": 60}}}),
        f"{P}.algorithms.kmeans.endpoint.deployment.canary_percent: 60 — must be at most 50",
    ),
    (
        "a deployment timeout shorter than its waits",
        algorithm(
            "kmeans",
            {
                "endpoint": {
                    "deployment": {
                        "traffic": "LINEAR",
                        "linear_step_percent": 10,
                        "baking_seconds": 600,
                        "max_execution_seconds": 3600,
                    }
                }
            },
        ),
        f"{P}.algorithms.kmeans.endpoint.deployment.max_execution_seconds: 3600 — must exceed "
        "the deployment's waits (6300 s of baking and termination)",
    ),
    (
        "an API without the endpoint",
        algorithm("kmeans", {"endpoint": {"enabled": False, "api": {"enabled": True}}}),
        f"{P}.algorithms.kmeans.endpoint.api.enabled: true — needs the real-time endpoint "
        "(enabled: true)",
    ),
    (
        "serverless on an instance type",
        algorithm("kmeans", {"serverless": {"instance_type": "ml.g4dn.xlarge"}}),
        f"{P}.algorithms.kmeans.serverless.instance_type — unknown key (allowed: enabled, "
        "max_concurrency, memory_mb, model_package_arn, model_uri, provisioned_concurrency)",
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
        "an endpoint for reinforcement learning",
        algorithm("reinforcement-learning", {"endpoint": {"enabled": True}}),
        f"{P}.algorithms.reinforcement-learning.endpoint.enabled: true — reinforcement-learning "
        "cannot have an endpoint: Ray RLlib models have no SageMaker deployment path "
        "(RLEstimator.create_model raises)",
    ),
    (
        "region that does not exist",
        stage({"region": "eu-middle-1"}),
        f"{P}.region: eu-middle-1 — not a region where SageMaker runs",
    ),
    (
        "LDA in a region where it is not published",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "region": "sa-east-1",
                        "algorithms": {"lda": {"monitoring": {"enabled": False}}},
                    }
                }
            }
        ),
        f"{P}.region: sa-east-1 — lda is not published in this region (published in 16: "
        "ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1, ap-southeast-2, "
        "ca-central-1, eu-central-1, eu-west-1, eu-west-2, us-east-1, us-east-2, us-gov-west-1, "
        "us-iso-east-1, us-isob-east-1, us-west-1, us-west-2)",
    ),
    (
        "Model Monitor where its analyzer is not published",
        yaml.safe_dump({"stages": {"dev": {"region": "ap-south-2", "algorithms": {"kmeans": {}}}}}),
        f"{P}.algorithms.kmeans.monitoring.enabled — the Model Monitor analyzer is not published "
        "in ap-south-2; set it to false",
    ),
    (
        "FSx capacity not allowed for the deployment type",
        stage({"fsx": {"storage_capacity_gib": 3000}}),
        f"{P}.fsx.storage_capacity_gib: 3000 — SCRATCH_2 takes 1200, 2400 or a multiple of "
        "2400 GiB",
    ),
    (
        "FSx throughput not offered for PERSISTENT_2",
        stage({"fsx": {"deployment_type": "PERSISTENT_2", "per_unit_storage_throughput": 200}}),
        f"{P}.fsx.per_unit_storage_throughput: 200 — not a PERSISTENT_2 throughput in "
        "MB/s/TiB (allowed: 125, 250, 500, 1000)",
    ),
    (
        "FSx throughput on a scratch file system",
        stage({"fsx": {"per_unit_storage_throughput": 125}}),
        f"{P}.fsx.per_unit_storage_throughput — SCRATCH_2 has no per-unit throughput "
        "setting; remove it",
    ),
    (
        "negative retention",
        stage({"retention": {"capture_days": -1}}),
        f"{P}.retention.capture_days: -1 — must be at least 1",
    ),
    (
        "imported VPC with one subnet",
        stage(
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "endpoints": False,
                    "subnets": [
                        {"id": "subnet-0aaaaaaaaaaaaaaaa", "availability_zone": "eu-west-1a"}
                    ],
                }
            }
        ),
        f'{P}.network.subnets: ["subnet-0aaaaaaaaaaaaaaaa"] — an imported VPC needs private '
        "subnets in at least two availability zones",
    ),
    (
        "FSx subnet that is not one of the VPC's",
        stage(
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "endpoints": False,
                    "subnets": [
                        {"id": "subnet-0aaaaaaaaaaaaaaaa", "availability_zone": "eu-west-1a"},
                        {"id": "subnet-0bbbbbbbbbbbbbbbb", "availability_zone": "eu-west-1b"},
                    ],
                },
                "fsx": {"subnet_id": "subnet-0cccccccccccccccc"},
            }
        ),
        f"{P}.fsx.subnet_id: subnet-0cccccccccccccccc — not one of the VPC's subnets "
        "(allowed: subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb)",
    ),
    (
        "FSx subnet with a created VPC",
        stage({"fsx": {"subnet_id": "subnet-0cccccccccccccccc"}}),
        f"{P}.fsx.subnet_id: subnet-0cccccccccccccccc — only with an imported VPC "
        "(network.vpc_id); a created VPC places FSx itself",
    ),
    (
        "imported subnet outside the stage's region",
        stage(
            {
                "region": "us-east-1",
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "endpoints": False,
                    "subnets": [
                        {"id": "subnet-0aaaaaaaaaaaaaaaa", "availability_zone": "us-east-1a"},
                        {"id": "subnet-0bbbbbbbbbbbbbbbb", "availability_zone": "eu-west-1b"},
                    ],
                },
            }
        ),
        f"{P}.network.subnets.1.availability_zone: eu-west-1b — not an availability zone of "
        "the stage's region us-east-1",
    ),
    (
        "endpoints without route tables",
        stage(
            {
                "network": {
                    "vpc_id": "vpc-0123456789abcdef0",
                    "cidr": "10.1.0.0/16",
                    "subnets": [
                        {
                            "id": "subnet-0aaaaaaaaaaaaaaaa",
                            "availability_zone": "eu-west-1a",
                            "route_table_id": "rtb-0aaaaaaaaaaaaaaaa",
                        },
                        {"id": "subnet-0bbbbbbbbbbbbbbbb", "availability_zone": "eu-west-1b"},
                    ],
                },
            }
        ),
        f"{P}.network.subnets.1.route_table_id — required to attach the S3 gateway endpoint "
        "(or set endpoints: false)",
    ),
    (
        "VPC id of the wrong form",
        stage({"network": {"vpc_id": "vpc-xyz", "cidr": "10.1.0.0/16", "subnets": []}}),
        f"{P}.network.vpc_id: vpc-xyz — must be a VPC id like vpc-0123456789abcdef0",
    ),
    (
        "FSx data in Pipe mode",
        algorithm("kmeans", {"training": {"data_source": "fsx", "input_mode": "Pipe"}}),
        f"{P}.algorithms.kmeans.training.input_mode: Pipe — FSx for Lustre channels must use "
        "File mode (allowed: File)",
    ),
    (
        "compression in File mode",
        algorithm("ipinsights", {"training": {"compression": "Gzip"}}),
        f"{P}.algorithms.ipinsights.training.compression: Gzip — compression applies to Pipe "
        "mode only; this job reads File mode (allowed: None)",
    ),
    (
        "FSx data without a file system",
        stage(
            {"fsx": {"enabled": False}, "algorithms": {"pca": {"training": {"data_source": "fsx"}}}}
        ),
        f"{P}.algorithms.pca.training.data_source: fsx — the stage has no FSx for Lustre file "
        "system (fsx.enabled is false)",
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
        "a channel the algorithm does not have",
        algorithm("kmeans", {"training": {"channels": ["train", "validation"]}}),
        f"{P}.algorithms.kmeans.training.channels: validation — not a kmeans channel here "
        "(allowed: train, test)",
    ),
    (
        "incremental training for an algorithm that has none",
        algorithm("xgboost", {"training": {"incremental_from": "s3://bucket/old/model.tar.gz"}}),
        f"{P}.algorithms.xgboost.training.incremental_from: s3://bucket/old/model.tar.gz — "
        "xgboost has no incremental training (offered for object-detection, "
        "image-classification, semantic-segmentation)",
    ),
    (
        "spot without checkpointing beyond 3600 s",
        algorithm("linear-learner", {"training": {"spot": True}}),
        f"{P}.algorithms.linear-learner.training.max_runtime_seconds: 86400 — linear-learner "
        "does not checkpoint: spot training must finish within its 3600 s wait (set "
        "max_runtime_seconds below 3600, or spot: false)",
    ),
    (
        "spot wait beyond 3600 s without checkpointing",
        algorithm("pca", {"training": {"spot": True, "max_wait_seconds": 7200}}),
        f"{P}.algorithms.pca.training.max_wait_seconds: 7200 — pca does not checkpoint, so "
        "spot training waits at most 3600 s",
    ),
    (
        "spot wait not above the runtime",
        algorithm("xgboost", {"training": {"max_runtime_seconds": 7200, "max_wait_seconds": 7200}}),
        f"{P}.algorithms.xgboost.training.max_wait_seconds: 7200 — must be greater than "
        "max_runtime_seconds (7200)",
    ),
    (
        "spot wait without spot",
        algorithm("kmeans", {"training": {"max_wait_seconds": 600}}),
        f"{P}.algorithms.kmeans.training.max_wait_seconds: 600 — only with spot: true",
    ),
    (
        "entry point for a built-in algorithm",
        algorithm("kmeans", {"training": {"entry_point": "train.py"}}),
        f"{P}.algorithms.kmeans.training.entry_point: train.py — kmeans is a built-in "
        "algorithm; entry points are for frameworks",
    ),
    (
        "reinforcement learning framework that is not offered",
        algorithm("reinforcement-learning", {"training": {"framework": "mxnet"}}),
        f"{P}.algorithms.reinforcement-learning.training.framework: mxnet — not a "
        "reinforcement-learning framework (allowed: pytorch, tensorflow)",
    ),
    (
        "schedule that is not a Scheduler expression",
        algorithm("kmeans", {"training": {"schedule": "daily"}}),
        f"{P}.algorithms.kmeans.training.schedule: daily — must be an EventBridge Scheduler "
        "expression: rate(7 days) or cron(minutes hours day-of-month month day-of-week year)",
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
    (
        "stream features that do not match the model",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"features": {"fields": ["latency", "bytes"]}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f"{P}.streaming.features — 2 feature(s) per record, but randomcutforest is trained with "
        "feature_dim 1",
    ),
    (
        "shards on an on-demand stream",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"stream": {"shards": 4}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f"{P}.streaming.stream.shards: 4 — only with mode: provisioned",
    ),
    (
        "JSON fields for CSV records",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"features": {"format": "csv", "fields": ["value"]}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f'{P}.streaming.features.fields: ["value"] — for json records; CSV records use columns',
    ),
    (
        "unbounded stream retries",
        yaml.safe_dump(
            {
                "stages": {
                    "dev": {
                        "streaming": {"scorer": {"retry_attempts": -1}},
                        "algorithms": {"randomcutforest": {}},
                    }
                }
            }
        ),
        f"{P}.streaming.scorer.retry_attempts: -1 — must be at least 0",
    ),
    # --- stages across accounts and regions, and the delivery pipeline ----------
    (
        "two stages in the same account and region with one namespace",
        yaml.safe_dump(
            {
                "stages": {
                    "blue": {
                        "account": "111111111111",
                        "region": "eu-west-1",
                        "namespace": "ml",
                        "algorithms": {"kmeans": None},
                    },
                    "green": {
                        "account": "111111111111",
                        "region": "eu-west-1",
                        "namespace": "ML",
                        "algorithms": {"kmeans": None},
                    },
                }
            }
        ),
        f"{SOURCE}: stages.green.namespace: ML — stage blue may deploy to the same account "
        "and region with the same namespace: their stack and physical names would collide "
        "(set a different namespace)",
    ),
    (
        "an environment-agnostic stage may land on a named stage's namespace",
        yaml.safe_dump(
            {
                "stages": {
                    "a": {"region": "eu-west-1", "namespace": "ml", "algorithms": {"kmeans": None}},
                    "b": {"namespace": "ml", "algorithms": {"kmeans": None}},
                }
            }
        ),
        f"{SOURCE}: stages.b.namespace: ml — stage a may deploy to the same place with the "
        "same namespace: their stack and physical names would collide (set a different "
        "namespace)",
    ),
    (
        "two stages in one account and region both with an API front door",
        yaml.safe_dump(
            {
                "stages": {
                    name: {
                        "account": "111111111111",
                        "region": "eu-west-1",
                        "algorithms": {"kmeans": {"endpoint": {"api": {"enabled": True}}}},
                    }
                    for name in ("blue", "green")
                }
            }
        ),
        f"{SOURCE}: stages.green — stage blue may deploy to the same account and region and "
        "also has an API front door: API Gateway's logging role is one per account and region "
        "(enable endpoint APIs in one of the two stages)",
    ),
    (
        "an ephemeral production stage",
        stage({"production": True, "ephemeral": True}),
        f"{P}.ephemeral: true — a production stage retains its data: ephemeral must be false",
    ),
    (
        "a production stage without termination protection",
        stage({"production": True, "termination_protection": False}),
        f"{P}.termination_protection: false — a production stage keeps termination protection on",
    ),
    (
        "bootstrap qualifier with capitals",
        stage({"bootstrap_qualifier": "Prod"}),
        f"{P}.bootstrap_qualifier: Prod — must be 1 to 10 lowercase letters or digits "
        "(cdk bootstrap --qualifier)",
    ),
    (
        "pipeline connection that is not an ARN",
        with_pipeline({"dev": NAMED_DEV}, connection_arn="my-github"),
        f"{SOURCE}: pipeline.connection_arn: my-github — must be a CodeConnections ARN "
        "(arn:aws:codeconnections:<region>:<account>:connection/<id>)",
    ),
    (
        "pipeline deploying an environment-agnostic stage",
        with_pipeline({"dev": {"algorithms": {"kmeans": None}}}),
        f"{P} — a stage the delivery pipeline deploys names its account and region",
    ),
    (
        "pipeline in a region that does not exist",
        with_pipeline({"dev": NAMED_DEV}, region="eu-middle-9"),
        f"{SOURCE}: pipeline.region: eu-middle-9 — not an AWS region this project knows",
    ),
    (
        "pipeline bucket retention of zero days",
        with_pipeline({"dev": NAMED_DEV}, retention={"access_logs_days": 0}),
        f"{SOURCE}: pipeline.retention.access_logs_days: 0 — must be at least 1",
    ),
    (
        "pipeline retention key that only stages have",
        with_pipeline({"dev": NAMED_DEV}, retention={"capture_days": 30}),
        f"{SOURCE}: pipeline.retention.capture_days — unknown key "
        "(allowed: access_logs_days, noncurrent_versions_days)",
    ),
    (
        "streaming without Random Cut Forest",
        stage({"streaming": {"enabled": True}}),
        f"{P}.streaming.enabled: true — streaming needs randomcutforest enabled with its "
        "real-time endpoint",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]


def test_there_are_at_least_25_cases() -> None:
    assert len(CASES) >= 25


def test_every_problem_is_reported_at_once() -> None:
    lines = errors_for(
        algorithm(
            "lda",
            {"training": {"instance_count": 2, "instance_type": "ml.p3.2xlarge"}},
        )
    )
    assert len(lines) == 2
    assert all(line.startswith(f"{P}.algorithms.lda.training.") for line in lines)


def test_missing_file_is_a_config_error(tmp_path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_plan(str(missing))
    assert info.value.lines == [f"{missing} — No such file or directory"]


def test_yaml_syntax_error_names_the_line() -> None:
    assert errors_for("stages:\n  dev: {algorithms: [\n") == [
        f"{SOURCE}: line 3 — expected the node content, but found '<stream end>'"
    ]
