"""k-means (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CSV,
    JSON,
    JSONLINES,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    categorical,
    first_party_image,
    formats,
    integer,
    minimize,
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

# Every hyperparameter name the algorithm takes: DG:k-means-api-config (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "epochs",
    "eval_metrics",
    "extra_center_factor",
    "feature_dim",
    "half_life_time_size",
    "init_method",
    "k",
    "local_lloyd_init_method",
    "local_lloyd_max_iter",
    "local_lloyd_num_trials",
    "local_lloyd_tol",
    "mini_batch_size",
)

ALGORITHM = Algorithm(
    name="kmeans",
    title="k-means",
    image=first_party_image("kmeans", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, PIPE_OR_FILE)),
        channels=(
            ChannelSpec("train", required=True, distribution=S3Distribution.SHARDED_BY_S3_KEY),
            ChannelSpec("test"),
        ),
        processors=CPU_AND_GPU,
        # CONFLICT (facts §15 #3): "Parallelizable: No" in the common table versus
        # "one or more instances" on the algorithm page; train on one instance.
        multi_instance=False,
        default_instance_type="ml.m5.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("feature_dim", 784, data_dependent=True),
            Hyperparameter("k", 10),
        ),
        notes=("Uses one GPU per instance: pick single-GPU instances.",),
    ),
    tuning=TuningSpec(
        metrics=(minimize("test:msd"), minimize("test:ssd")),
        default_objective="test:msd",
        ranges=(
            integer("epochs", 1, 10),
            integer("extra_center_factor", 4, 10),
            categorical("init_method", "kmeans++", "random"),
            integer("mini_batch_size", 3000, 15000),
        ),
        default_ranges=("epochs", "extra_center_factor", "init_method", "mini_batch_size"),
        # Only the metrics eval_metrics names are reported (default ["msd"]): tuning on
        # test:ssd must ask for it (facts §6: DG:k-means-tuning, DG:k-means-api-config).
        objective_hyperparameter="eval_metrics",
        objective_value='["{metric}"]',
    ),
    hosting=HostingSpec(
        request_content_types=(CSV, JSON, RECORDIO_PROTOBUF),
        accept_types=(JSON, JSONLINES, RECORDIO_PROTOBUF),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=NotSupported("unsupervised: cluster assignments have no ground truth"),
        ),
    ),
    sources=("DG:k-means", "DG:k-means-api-config", "DG:k-means-tuning"),
)
