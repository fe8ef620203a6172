"""Bad configs, hosting: real-time and serverless endpoints, variants, scaling, deployment, API.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

from tests.config_errors import P, algorithm, errors_for, one_line_each

CASES = [
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
        "an endpoint for reinforcement learning",
        algorithm("reinforcement-learning", {"endpoint": {"enabled": True}}),
        f"{P}.algorithms.reinforcement-learning.endpoint.enabled: true — reinforcement-learning "
        "cannot have an endpoint: Ray RLlib models have no SageMaker deployment path "
        "(RLEstimator.create_model raises)",
    ),
]


@one_line_each(CASES)
def test_bad_hosting_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]
