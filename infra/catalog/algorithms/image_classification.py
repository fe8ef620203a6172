"""Image Classification (MXNet) (facts §1-§9)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    FILE_ONLY,
    GPU_ONLY,
    IMAGE_TYPES,
    JPEG,
    JSON,
    MODEL_CHANNEL,
    PIPE_OR_FILE,
    PNG,
    RECORDIO,
    X_IMAGE,
    categorical,
    continuous,
    first_party_image,
    formats,
    integer,
    maximize,
)
from infra.catalog.model import (
    Algorithm,
    ChannelSpec,
    ConditionalRequirement,
    HostingSpec,
    Hyperparameter,
    NotSupported,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

ALGORITHM = Algorithm(
    name="image-classification",
    title="Image Classification (MXNet)",
    image=first_party_image("image-classification", RegistryGroup.FIRST_PARTY_B),
    training=TrainingSpec(
        formats=formats(
            (RECORDIO, PIPE_OR_FILE),
            (PNG, FILE_ONLY),
            (JPEG, FILE_ONLY),
            (X_IMAGE, FILE_ONLY),
        ),
        channels=(
            ChannelSpec("train", required=True),
            ChannelSpec("validation", required=True),
            ChannelSpec("train_lst", required=True, only_for=IMAGE_TYPES),
            ChannelSpec("validation_lst", required=True, only_for=IMAGE_TYPES),
            MODEL_CHANNEL,
        ),
        processors=GPU_ONLY,
        multi_instance=True,
        default_instance_type="ml.p3.2xlarge",
        hyperparameters=(
            Hyperparameter("num_classes", 10, data_dependent=True),
            Hyperparameter("num_training_samples", 50000, data_dependent=True),
        ),
        conditional_requirements=(ConditionalRequirement("resize", only_for=IMAGE_TYPES),),
        incremental=True,
        checkpointing=True,
    ),
    tuning=TuningSpec(
        metrics=(maximize("validation:accuracy"),),
        default_objective="validation:accuracy",
        # Emits the objective per epoch: trials can stop early (facts §7).
        early_stopping=True,
        ranges=(
            continuous("beta_1", 1e-6, 0.999),
            continuous("beta_2", 1e-6, 0.999),
            continuous("eps", 1e-8, 1.0),
            continuous("gamma", 1e-8, 0.999),
            continuous("learning_rate", 1e-6, 0.5),
            integer("mini_batch_size", 8, 512),
            continuous("momentum", 0.0, 0.999),
            categorical("optimizer", "sgd", "adam", "rmsprop", "nag"),
            continuous("weight_decay", 0.0, 0.999),
        ),
        default_ranges=("learning_rate", "mini_batch_size", "momentum", "weight_decay"),
    ),
    hosting=HostingSpec(
        request_content_types=(PNG, JPEG, X_IMAGE),
        accept_types=(JSON,),
        processors=CPU_AND_GPU,
        default_instance_type="ml.c5.xlarge",
        serverless=None,
        monitoring=NotSupported("inference input is images, not tabular data"),
    ),
    sources=("DG:image-classification", "DG:IC-Hyperparameter", "DG:IC-tuning"),
)
