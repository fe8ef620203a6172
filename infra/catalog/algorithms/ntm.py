"""Neural Topic Model (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CSV,
    JSON,
    JSONLINES,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    TEXT,
    TRAIN_CHANNEL,
    categorical,
    continuous,
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
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

# Every hyperparameter name the algorithm takes: DG:ntm_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "batch_norm",
    "clip_gradient",
    "encoder_layers",
    "encoder_layers_activation",
    "epochs",
    "feature_dim",
    "learning_rate",
    "mini_batch_size",
    "num_patience_epochs",
    "num_topics",
    "optimizer",
    "rescale_gradient",
    "sub_sample",
    "tolerance",
    "weight_decay",
)

ALGORITHM = Algorithm(
    name="ntm",
    title="Neural Topic Model",
    image=first_party_image("ntm", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, PIPE_OR_FILE)),
        channels=(
            TRAIN_CHANNEL,
            # Optional channels must be FullyReplicated (facts §2).
            ChannelSpec("validation", distribution_fixed=True),
            ChannelSpec("test", distribution_fixed=True),
            ChannelSpec("auxiliary", distribution_fixed=True, content_type=TEXT),
        ),
        processors=CPU_AND_GPU,
        multi_instance=True,
        # GPU is recommended (facts §4); g4dn.xlarge is the smallest documented one.
        default_instance_type="ml.g4dn.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("feature_dim", 10000, data_dependent=True),
            Hyperparameter("num_topics", 20),
        ),
        notes=("Saves no intermediate model on stop: give it enough MaxRuntime.",),
    ),
    tuning=TuningSpec(
        metrics=(minimize("validation:total_loss"),),
        default_objective="validation:total_loss",
        ranges=(
            categorical("encoder_layers_activation", "sigmoid", "tanh", "relu"),
            continuous("learning_rate", 1e-4, 0.1),
            integer("mini_batch_size", 16, 2048),
            categorical("optimizer", "sgd", "adam", "adadelta"),
            continuous("rescale_gradient", 0.1, 1.0),
            continuous("weight_decay", 0.0, 1.0),
        ),
        default_ranges=("learning_rate", "mini_batch_size", "weight_decay"),
    ),
    hosting=HostingSpec(
        request_content_types=(CSV, JSON, JSONLINES, RECORDIO_PROTOBUF),
        accept_types=(JSON, RECORDIO_PROTOBUF, JSONLINES),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=NotSupported("unsupervised: topic mixtures have no ground truth"),
        ),
    ),
    sources=("DG:ntm", "DG:ntm_hyperparameters", "DG:ntm-tuning"),
)
