"""k-Nearest Neighbors (facts §1-§8)."""

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
    integer,
    maximize,
    minimize,
    when,
)
from infra.catalog.model import (
    Algorithm,
    ConditionalRequirement,
    HostingSpec,
    Hyperparameter,
    ModelQualitySpec,
    MonitoringSpec,
    ProblemType,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

# Every hyperparameter name the algorithm takes: DG:kNN_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "dimension_reduction_target",
    "dimension_reduction_type",
    "faiss_index_ivf_nlists",
    "faiss_index_pq_m",
    "feature_dim",
    "index_metric",
    "index_type",
    "k",
    "mini_batch_size",
    "predictor_type",
    "sample_size",
)

ALGORITHM = Algorithm(
    name="knn",
    title="k-Nearest Neighbors",
    image=first_party_image("knn", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, PIPE_OR_FILE)),
        channels=(TRAIN_CHANNEL, TEST_CHANNEL),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.m5.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("feature_dim", 784, data_dependent=True),
            Hyperparameter("k", 10),
            Hyperparameter("predictor_type", "classifier", allowed=("classifier", "regressor")),
            Hyperparameter("sample_size", 200000, data_dependent=True),
        ),
        conditional_requirements=(
            ConditionalRequirement(
                "dimension_reduction_target", when("dimension_reduction_type", "*")
            ),
        ),
        notes=("Uses one GPU per instance.",),
    ),
    tuning=TuningSpec(
        metrics=(
            maximize("test:accuracy", when("predictor_type", "classifier")),
            minimize("test:mse", when("predictor_type", "regressor")),
        ),
        default_objective="test:accuracy",
        ranges=(integer("k", 1, 1024), integer("sample_size", 256, 20000000)),
        default_ranges=("k", "sample_size"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON, RECORDIO_PROTOBUF, CSV, JSONLINES),
        accept_types=(JSON, RECORDIO_PROTOBUF, JSONLINES),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=ModelQualitySpec(
                "predictor_type",
                (("classifier", ProblemType.MULTICLASS), ("regressor", ProblemType.REGRESSION)),
            ),
        ),
    ),
    sources=("DG:k-nearest-neighbors", "DG:kNN_hyperparameters", "DG:kNN-tuning"),
)
