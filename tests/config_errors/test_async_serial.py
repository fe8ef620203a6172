"""Bad configs, asynchronous endpoints and inference pipelines.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

from tests.config_errors import P, algorithm, errors_for, one_line_each

K = f"{P}.algorithms.kmeans"
FEATURIZER = {
    "name": "featurizer",
    "framework": "sklearn",
    "version": "1.2-1",
    "model_uri": "s3://models/featurizer/model.tar.gz",
    "content_types": ["text/csv"],
    "emits": "text/csv",
}


def asynchronous(name: str = "kmeans", **settings: object) -> str:
    return algorithm(name, {"async": {"enabled": True, **settings}})


def pipeline(*entries: object, name: str = "kmeans", **more: object) -> str:
    endpoint = more.pop("endpoint", {})
    return algorithm(name, {"endpoint": {"pipeline": list(entries), **endpoint}, **more})


CASES = [
    (
        "async: minimum above maximum",
        asynchronous(min_instances=3, max_instances=2),
        f"{K}.async.min_instances: 3 — greater than max_instances (2)",
    ),
    (
        "async: a request may run one hour at most",
        asynchronous(invocation_timeout_seconds=7200),
        f"{K}.async.invocation_timeout_seconds: 7200 — must be at most 3600",
    ),
    (
        "async: concurrency per instance",
        asynchronous(max_concurrent_invocations_per_instance=2000),
        f"{K}.async.max_concurrent_invocations_per_instance: 2000 — must be at most 1000",
    ),
    (
        "async: scale in faster than out",
        asynchronous(scale_in_cooldown_seconds=60, scale_out_cooldown_seconds=300),
        f"{K}.async.scale_in_cooldown_seconds: 60 — scale in more slowly than out: must be "
        "longer than scale_out_cooldown_seconds (300)",
    ),
    (
        "async: an algorithm that cannot be hosted",
        asynchronous("reinforcement-learning"),
        f"{P}.algorithms.reinforcement-learning.async.enabled: true — reinforcement-learning "
        "cannot have an asynchronous endpoint: Ray RLlib models have no SageMaker deployment "
        "path (RLEstimator.create_model raises)",
    ),
    (
        "async: DeepAR on a GPU",
        asynchronous("forecasting-deepar", instance_type="ml.g4dn.xlarge"),
        f"{P}.algorithms.forecasting-deepar.async.instance_type: ml.g4dn.xlarge — "
        "forecasting-deepar hosts on CPU only (allowed: CPU instance types)",
    ),
    (
        "async: Inferentia",
        asynchronous(instance_type="ml.inf1.xlarge"),
        f"{K}.async.instance_type: ml.inf1.xlarge — kmeans's image needs an x86 CPU or NVIDIA "
        "GPU instance, not Inferentia/Trainium/Gaudi accelerator",
    ),
    (
        "async: a misspelt key lists the real ones",
        algorithm("kmeans", {"async": {"enable": True}}),
        f"{K}.async.enable — unknown key (allowed: deployment, enabled, instance_type, "
        "invocation_timeout_seconds, max_concurrent_invocations_per_instance, max_instances, "
        "min_instances, scale_in_cooldown_seconds, scale_out_cooldown_seconds, "
        "target_backlog_per_instance)",
    ),
    (
        "pipeline: one container",
        pipeline("algorithm"),
        f"{K}.endpoint.pipeline: 1 — an inference pipeline has 2 to 15 containers",
    ),
    (
        "pipeline: sixteen containers",
        pipeline(*({**FEATURIZER, "name": f"f{i}"} for i in range(15)), "algorithm"),
        f"{K}.endpoint.pipeline: 16 — an inference pipeline has 2 to 15 containers",
    ),
    (
        "pipeline: no algorithm container",
        pipeline(FEATURIZER, {**FEATURIZER, "name": "second"}),
        f"{K}.endpoint.pipeline — name `algorithm` (the kmeans container) exactly once, "
        "not 0 times",
    ),
    (
        "pipeline: a framework image the catalog does not know",
        pipeline({**FEATURIZER, "framework": "sparkml", "version": "3.3"}, "algorithm"),
        f"{K}.endpoint.pipeline.0.framework: sparkml 3.3 — not a framework image the catalog "
        "knows (allowed: sklearn 1.2-1)",
    ),
    (
        "pipeline: CSV handed to an algorithm that reads no CSV",
        pipeline(
            FEATURIZER, "algorithm", name="factorization-machines", monitoring={"enabled": False}
        ),
        f"{P}.algorithms.factorization-machines.endpoint.pipeline.0.emits: text/csv — "
        "factorization-machines reads (allowed: application/json, "
        "application/x-recordio-protobuf)",
    ),
    (
        "pipeline: a preprocessor that says nothing of its output",
        pipeline({k: v for k, v in FEATURIZER.items() if k != "emits"}, "algorithm"),
        f"{K}.endpoint.pipeline.0.emits — needed: kmeans reads it next",
    ),
    (
        "pipeline: container names collide",
        pipeline({**FEATURIZER, "name": "kmeans"}, "algorithm"),
        f"{K}.endpoint.pipeline: kmeans, kmeans — container names must be unique",
    ),
    (
        "pipeline: scikit-learn on a GPU",
        pipeline(FEATURIZER, "algorithm", endpoint={"instance_type": "ml.g4dn.xlarge"}),
        f"{K}.endpoint.pipeline.0.framework: sklearn — its 1.2-1 images are for CPU only, and "
        "the pipeline runs on the endpoint's GPU instance type",
    ),
    (
        "pipeline: a pinned model package names no artifact",
        pipeline(
            FEATURIZER,
            "algorithm",
            endpoint={
                "model_package_arn": "arn:aws:sagemaker:eu-west-1:123456789012:model-package/km/3"
            },
        ),
        f"{K}.endpoint.model_package_arn: arn:aws:sagemaker:eu-west-1:123456789012:"
        "model-package/km/3 — an inference pipeline serves the algorithm's artifact: pin "
        "model_uri instead, or follow the registry (its approved package's artifact is served)",
    ),
    (
        "pipeline: serverless",
        pipeline(FEATURIZER, "algorithm", serverless={"enabled": True}),
        f"{K}.serverless.enabled: true — kmeans cannot have a serverless endpoint: inference "
        "pipelines cannot run serverless",
    ),
    (
        "pipeline: monitored, but its input is not what Model Monitor reads",
        pipeline({**FEATURIZER, "content_types": ["application/json"]}, "algorithm"),
        f"{K}.monitoring.enabled — Model Monitor reads text/csv captures, and the pipeline's "
        "first container reads application/json: set monitoring.enabled: false",
    ),
]


@one_line_each(CASES)
def test_bad_async_or_pipeline_config_gives_exactly_one_clear_line(
    text: str, expected: str
) -> None:
    assert errors_for(text) == [expected]
