"""Object Detection (MXNet) (facts §1-§9)."""

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
    HostingSpec,
    Hyperparameter,
    NotSupported,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

# Every hyperparameter name the algorithm takes: DG:object-detection-api-config (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "base_network",
    "early_stopping",
    "early_stopping_min_epochs",
    "early_stopping_patience",
    "early_stopping_tolerance",
    "epochs",
    "freeze_layer_pattern",
    "image_shape",
    "kv_store",
    "label_width",
    "learning_rate",
    "lr_scheduler_factor",
    "lr_scheduler_step",
    "mini_batch_size",
    "momentum",
    "nms_threshold",
    "num_classes",
    "num_training_samples",
    "optimizer",
    "overlap_threshold",
    "use_pretrained_model",
    "weight_decay",
)

ALGORITHM = Algorithm(
    name="object-detection",
    title="Object Detection (MXNet)",
    image=first_party_image("object-detection", RegistryGroup.FIRST_PARTY_B),
    training=TrainingSpec(
        formats=formats(
            (RECORDIO, PIPE_OR_FILE),
            (JPEG, FILE_ONLY),
            (PNG, FILE_ONLY),
            (X_IMAGE, FILE_ONLY),
        ),
        channels=(
            ChannelSpec("train", required=True),
            ChannelSpec("validation", required=True),
            ChannelSpec("train_annotation", required=True, only_for=IMAGE_TYPES),
            ChannelSpec("validation_annotation", required=True, only_for=IMAGE_TYPES),
            MODEL_CHANNEL,
        ),
        processors=GPU_ONLY,
        multi_instance=True,
        default_instance_type="ml.p3.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("num_classes", 20, data_dependent=True),
            Hyperparameter("num_training_samples", 16551, data_dependent=True),
        ),
        incremental=True,
        checkpointing=True,
    ),
    tuning=TuningSpec(
        metrics=(maximize("validation:mAP"),),
        default_objective="validation:mAP",
        # Emits the objective per epoch: trials can stop early (facts §7).
        early_stopping=True,
        ranges=(
            continuous("learning_rate", 1e-6, 0.5),
            integer("mini_batch_size", 8, 64),
            continuous("momentum", 0.0, 0.999),
            categorical("optimizer", "sgd", "adam", "rmsprop", "adadelta"),
            continuous("weight_decay", 0.0, 0.999),
        ),
        default_ranges=("learning_rate", "mini_batch_size", "momentum", "weight_decay"),
    ),
    hosting=HostingSpec(
        # CONFLICT (facts §15 #5): the algorithm page says only application/x-image,
        # the formats page lists image/jpeg and image/png; keep the stricter one.
        request_content_types=(X_IMAGE,),
        accept_types=(JSON,),
        processors=CPU_AND_GPU,
        cpu_families=("c5", "m5"),
        gpu_families=("p3", "g4dn"),
        default_instance_type="ml.c5.xlarge",
        serverless=None,
        monitoring=NotSupported("inference input is images, not tabular data"),
    ),
    sources=("DG:object-detection", "DG:object-detection-api-config", "DG:object-detection-tuning"),
)
