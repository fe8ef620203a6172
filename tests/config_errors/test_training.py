"""Bad configs, training: instances, content types, input modes, channels, spot, frameworks.

Each gives exactly the one-line message a user should read.
"""

from __future__ import annotations

from tests.config_errors import P, algorithm, errors_for, one_line_each, stage

CASES = [
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
        "input mode that does not exist",
        algorithm("kmeans", {"training": {"input_mode": "Stream"}}),
        f"{P}.algorithms.kmeans.training.input_mode: Stream — not a valid choice "
        "(allowed: 'File', 'Pipe' or 'FastFile')",
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
]


@one_line_each(CASES)
def test_bad_training_config_gives_exactly_one_clear_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]
