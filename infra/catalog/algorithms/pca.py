"""Principal Component Analysis (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CSV,
    JSON,
    JSONLINES,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    TEST_CHANNEL,
    TRAIN_CHANNEL,
    first_party_image,
    formats,
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

# Every hyperparameter name the algorithm takes: DG:PCA-reference (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "algorithm_mode",
    "extra_components",
    "feature_dim",
    "mini_batch_size",
    "num_components",
    "subtract_mean",
)

ALGORITHM = Algorithm(
    name="pca",
    title="Principal Component Analysis",
    image=first_party_image("pca", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, PIPE_OR_FILE)),
        channels=(TRAIN_CHANNEL, TEST_CHANNEL),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.m5.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("feature_dim", 784, data_dependent=True),
            Hyperparameter("mini_batch_size", 500),
            Hyperparameter("num_components", 10),
        ),
    ),
    tuning=NotSupported("PCA emits no documented objective metric"),
    hosting=HostingSpec(
        request_content_types=(CSV, JSON, RECORDIO_PROTOBUF),
        accept_types=(JSON, JSONLINES, RECORDIO_PROTOBUF),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=NotSupported("unsupervised: projections have no ground truth"),
        ),
    ),
    sources=("DG:pca", "DG:PCA-reference"),
)
