"""Bad configs, batch transform: each gives exactly the one-line message a user should read."""

from __future__ import annotations

from infra.cli import main
from tests.config_errors import P, algorithm, errors_for, one_line_each

T = f"{P}.algorithms"


def transform(name: str, **body: object) -> str:
    return algorithm(name, {"transform": {"enabled": True, **body}})


FEATURIZER = {
    "name": "featurizer",
    "framework": "sklearn",
    "version": "1.2-1",
    "model_uri": "s3://models/featurizer/model.tar.gz",
    "content_types": ["text/csv"],
    "emits": "text/csv",
}

CASES = [
    (
        "a transform reads what the endpoint's inference pipeline reads",
        algorithm(
            "kmeans",
            {
                "endpoint": {"pipeline": [FEATURIZER, "algorithm"]},
                "transform": {"enabled": True, "content_type": "application/json"},
            },
        ),
        f"{T}.kmeans.transform.content_type: application/json — kmeans batch transform reads "
        "(allowed: text/csv)",
    ),
    (
        "transform for reinforcement learning",
        transform("reinforcement-learning"),
        f"{T}.reinforcement-learning.transform.enabled: true — reinforcement-learning cannot "
        "have a batch transform: Ray RLlib models have no SageMaker deployment path "
        "(RLEstimator.create_model raises)",
    ),
    (
        "not a transform instance type",
        transform("kmeans", instance_type="ml.t2.medium"),
        f"{T}.kmeans.transform.instance_type: ml.t2.medium — not a SageMaker transform "
        "instance type (e.g. ml.m5.xlarge)",
    ),
    (
        "DeepAR transforms on CPU only",
        transform("forecasting-deepar", instance_type="ml.g4dn.xlarge"),
        f"{T}.forecasting-deepar.transform.instance_type: ml.g4dn.xlarge — forecasting-deepar "
        "transforms on CPU only (allowed: CPU instance types)",
    ),
    (
        "Factorization Machines read no CSV",
        transform("factorization-machines", content_type="text/csv"),
        f"{T}.factorization-machines.transform.content_type: text/csv — factorization-machines "
        "batch transform reads (allowed: application/x-recordio-protobuf, application/json)",
    ),
    (
        "an Accept the algorithm does not write",
        transform("lda", accept="text/csv"),
        f"{T}.lda.transform.accept: text/csv — lda batch transform writes (allowed: "
        "application/json, application/x-recordio-protobuf)",
    ),
    (
        "DeepAR takes one record per request",
        transform("forecasting-deepar", batch_strategy="MultiRecord"),
        f"{T}.forecasting-deepar.transform.batch_strategy: MultiRecord — forecasting-deepar "
        "batch transform takes (allowed: SingleRecord)",
    ),
    (
        "a batch strategy for unsplit images",
        transform("image-classification", batch_strategy="SingleRecord"),
        f"{T}.image-classification.transform.batch_strategy: SingleRecord — application/x-image "
        "is sent one object per request (SplitType None): no batch strategy applies (remove "
        "it, or choose a content type split by line or record)",
    ),
    (
        "payload times concurrency over 100 MB",
        transform("kmeans", max_payload_mb=20, max_concurrent_transforms=6),
        f"{T}.kmeans.transform.max_concurrent_transforms: 6 — times max_payload_mb (20) is "
        "over 100 MB, which CreateTransformJob refuses (allowed: at most 5)",
    ),
    (
        "payload over 100 MB",
        transform("kmeans", max_payload_mb=200),
        f"{T}.kmeans.transform.max_payload_mb: 200 — must be at most 100",
    ),
    (
        "chunked encoding (0 MB) is not for built-ins",
        transform("kmeans", max_payload_mb=0),
        f"{T}.kmeans.transform.max_payload_mb: 0 — must be at least 1",
    ),
    (
        "joining images",
        transform("object-detection", join_input=True),
        f"{T}.object-detection.transform.join_input: true — batch transform joins CSV and JSON "
        "input only, not application/x-image (results are written per input object: the "
        "object name is the id)",
    ),
    (
        "filters on RecordIO input",
        transform("pca", content_type="application/x-recordio-protobuf", input_filter="$[1:]"),
        f"{T}.pca.transform.input_filter: $[1:] — filters apply to CSV and JSON input, not "
        "application/x-recordio-protobuf",
    ),
    (
        "filters without the join",
        transform("pca", join_input=False, output_filter="$[0,-1]"),
        f"{T}.pca.transform.output_filter: $[0,-1] — filters need join_input (true or unset)",
    ),
    (
        "a filter that is no JSONPath",
        transform("pca", input_filter="features"),
        f"{T}.pca.transform.input_filter: features — must match ^\\$\\S*$",
    ),
    (
        "a filter over 63 characters",
        transform("pca", output_filter="$" + "[0]" * 21),
        f"{T}.pca.transform.output_filter: ${'[0]' * 21} — string should have at most "
        "63 characters",
    ),
    (
        "a schedule EventBridge Scheduler refuses",
        transform("kmeans", schedule="cron(0 3 * * * *)"),
        f"{T}.kmeans.transform.schedule: cron(0 3 * * * *) — give day-of-month or "
        "day-of-week, and ? in the other",
    ),
    (
        "more than 100 instances",
        transform("kmeans", instance_count=101),
        f"{T}.kmeans.transform.instance_count: 101 — must be at most 100",
    ),
]


@one_line_each(CASES)
def test_bad_transform_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]


def test_a_valid_transform_config_has_no_errors() -> None:
    assert errors_for(transform("kmeans", schedule="rate(1 day)")) == []


def test_the_cli_exits_2_with_the_one_line(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(transform("lda", accept="text/csv"))
    assert main(["check", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{bad}: stages.dev.algorithms.lda.transform.accept: text/csv — lda batch transform "
        "writes (allowed: application/json, application/x-recordio-protobuf)"
    ]
