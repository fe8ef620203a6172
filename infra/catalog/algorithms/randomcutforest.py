"""Random Cut Forest (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_ONLY,
    CSV,
    JSON,
    JSONLINES,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    first_party_image,
    formats,
    integer,
    maximize,
)
from infra.catalog.model import (
    Algorithm,
    ChannelSpec,
    HostingSpec,
    Hyperparameter,
    MonitoringSpec,
    NotSupported,
    RegistryGroup,
    S3Distribution,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

FEATURE_DIM = "feature_dim"

# Every hyperparameter name the algorithm takes: DG:rcf_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "eval_metrics",
    "feature_dim",
    "num_samples_per_tree",
    "num_trees",
)

ALGORITHM = Algorithm(
    name="randomcutforest",
    title="Random Cut Forest",
    image=first_party_image("randomcutforest", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, PIPE_OR_FILE)),
        channels=(
            ChannelSpec(
                "train",
                required=True,
                distribution=S3Distribution.SHARDED_BY_S3_KEY,
                distribution_fixed=True,
            ),
            # A labelled test set yields the F1 tuning metric.
            ChannelSpec(
                "test",
                distribution_fixed=True,
                content_type_for=((CSV, "text/csv;label_size=1"),),
            ),
        ),
        # "Does not take advantage of GPU hardware" (facts §4).
        processors=CPU_ONLY,
        multi_instance=True,
        default_instance_type="ml.c5.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(Hyperparameter(FEATURE_DIM, 1, data_dependent=True),),
        notes=("Multi-instance training needs at least as many files as instances.",),
    ),
    tuning=TuningSpec(
        metrics=(maximize("test:f1"),),
        default_objective="test:f1",
        ranges=(integer("num_samples_per_tree", 1, 2048), integer("num_trees", 50, 1000)),
        default_ranges=("num_samples_per_tree", "num_trees"),
    ),
    hosting=HostingSpec(
        request_content_types=(RECORDIO_PROTOBUF, CSV, JSON),
        accept_types=(RECORDIO_PROTOBUF, JSON, JSONLINES),
        processors=CPU_ONLY,
        default_instance_type="ml.c5.xlarge",
        serverless=None,
        # The seed notes: RCF is what users run on streams, and gains nothing from GPUs.
        stream_scoring=True,
        # feature_dim: the number of features in the data set (facts §8).
        feature_count_hyperparameter=FEATURE_DIM,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=NotSupported("unsupervised: anomaly scores have no ground truth"),
        ),
    ),
    sources=("DG:randomcutforest", "DG:rcf_hyperparameters", "DG:random-cut-forest-tuning"),
)
