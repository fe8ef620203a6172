"""Latent Dirichlet Allocation (facts §1-§8). Published in 16 regions only."""

from infra.catalog.algorithms._common import (
    CPU_ONLY,
    CSV,
    FILE_ONLY,
    JSON,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    TEST_CHANNEL,
    TRAIN_CHANNEL,
    continuous,
    first_party_image,
    formats,
    integer,
    maximize,
)
from infra.catalog.model import (
    Algorithm,
    HostingSpec,
    Hyperparameter,
    MonitoringSpec,
    NotSupported,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

# Every hyperparameter name the algorithm takes: DG:lda_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "alpha0",
    "feature_dim",
    "max_iterations",
    "max_restarts",
    "mini_batch_size",
    "num_topics",
    "tol",
)

ALGORITHM = Algorithm(
    name="lda",
    title="Latent Dirichlet Allocation",
    image=first_party_image("lda", RegistryGroup.LDA),
    training=TrainingSpec(
        # Pipe takes RecordIO-protobuf only; CSV is File only (facts §2).
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, FILE_ONLY)),
        channels=(TRAIN_CHANNEL, TEST_CHANNEL),
        processors=CPU_ONLY,
        multi_instance=False,
        default_instance_type="ml.m5.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("num_topics", 10),
            Hyperparameter("feature_dim", 10000, data_dependent=True),
            # The total number of documents in the training set (facts §8).
            Hyperparameter("mini_batch_size", 10000, data_dependent=True),
        ),
    ),
    tuning=TuningSpec(
        metrics=(maximize("test:pwll"),),
        default_objective="test:pwll",
        ranges=(continuous("alpha0", 0.1, 10), integer("num_topics", 1, 150)),
        default_ranges=("alpha0", "num_topics"),
    ),
    hosting=HostingSpec(
        request_content_types=(CSV, JSON, RECORDIO_PROTOBUF),
        accept_types=(JSON, RECORDIO_PROTOBUF),
        # "CPU recommended"; GPU inference is undocumented, so CPU only.
        processors=CPU_ONLY,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=NotSupported("unsupervised: topic mixtures have no ground truth"),
        ),
    ),
    sources=("DG:lda", "DG:lda_hyperparameters", "DG:lda-tuning"),
)
