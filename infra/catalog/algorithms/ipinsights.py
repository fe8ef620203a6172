"""IP Insights (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CPU_ONLY,
    CSV,
    FILE_ONLY,
    JSON,
    JSONLINES,
    TRAIN_CHANNEL,
    VALIDATION_CHANNEL,
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

# Every hyperparameter name the algorithm takes: DG:ip-insights-hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "batch_metrics_publish_interval",
    "epochs",
    "learning_rate",
    "mini_batch_size",
    "num_entity_vectors",
    "num_ip_encoder_layers",
    "random_negative_sampling_rate",
    "shuffled_negative_sampling_rate",
    "vector_dim",
    "weight_decay",
)

ALGORITHM = Algorithm(
    name="ipinsights",
    title="IP Insights",
    image=first_party_image("ipinsights", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        # Entity id, IPv4 address. "Currently supports only File mode" (facts §2).
        formats=formats((CSV, FILE_ONLY)),
        channels=(TRAIN_CHANNEL, VALIDATION_CHANNEL),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.p3.2xlarge",  # the DG's starting point (facts §4)
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("num_entity_vectors", 20000, data_dependent=True),
            Hyperparameter("vector_dim", 128),
        ),
        notes=("Maximum model size 8 GB.",),
    ),
    tuning=TuningSpec(
        metrics=(maximize("validation:discriminator_auc"),),
        default_objective="validation:discriminator_auc",
        # Emits the objective per epoch: trials can stop early (facts §7).
        early_stopping=True,
        ranges=(
            integer("epochs", 1, 100),
            continuous("learning_rate", 1e-4, 0.1),
            integer("mini_batch_size", 100, 50000),
            integer("num_entity_vectors", 10000, 1000000),
            integer("num_ip_encoder_layers", 1, 10),
            integer("random_negative_sampling_rate", 0, 10),
            integer("shuffled_negative_sampling_rate", 0, 10),
            integer("vector_dim", 8, 256),
            continuous("weight_decay", 0.0, 1.0),
        ),
        default_ranges=("epochs", "learning_rate", "mini_batch_size", "vector_dim"),
    ),
    hosting=HostingSpec(
        request_content_types=(CSV, JSON, JSONLINES),
        accept_types=(JSON, JSONLINES),
        # "CPU recommended"; GPU inference is undocumented, so CPU only.
        processors=CPU_ONLY,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=NotSupported("unsupervised: dot products have no ground truth"),
        ),
    ),
    sources=("DG:ip-insights", "DG:ip-insights-hyperparameters", "DG:ip-insights-tuning"),
)
