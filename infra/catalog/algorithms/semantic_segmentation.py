"""Semantic Segmentation (facts §1-§9)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    FILE_ONLY,
    GPU_ONLY,
    JPEG,
    MODEL_CHANNEL,
    PNG,
    RECORDIO_PROTOBUF,
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

# Every hyperparameter name the algorithm takes: DG:segmentation-hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "algorithm",
    "backbone",
    "base_size",
    "crop_size",
    "early_stopping",
    "early_stopping_min_epochs",
    "early_stopping_patience",
    "early_stopping_tolerance",
    "epochs",
    "gamma1",
    "gamma2",
    "learning_rate",
    "lr_scheduler",
    "lr_scheduler_factor",
    "lr_scheduler_step",
    "mini_batch_size",
    "momentum",
    "num_classes",
    "num_training_samples",
    "optimizer",
    "syncbn",
    "use_pretrained_model",
    "validation_mini_batch_size",
    "weight_decay",
)

ALGORITHM = Algorithm(
    name="semantic-segmentation",
    title="Semantic Segmentation",
    image=first_party_image("semantic-segmentation", RegistryGroup.FIRST_PARTY_B),
    training=TrainingSpec(
        # Network isolation: the API reference once excluded semantic segmentation
        # (until about 2020); today's CreateTrainingJob and HyperParameterTrainingJob-
        # Definition documentation (botocore 1.44 service model) names no exception,
        # and only Chainer and RL are listed as unsupported (DG:mkt-algo-model-internet-
        # free; facts §15), so it trains isolated like every other built-in.
        # JPEG images with single-channel PNG annotations. Pipe only through
        # augmented manifests (labelling-job attribute names); not offered here.
        formats=formats((JPEG, FILE_ONLY), (X_IMAGE, FILE_ONLY)),
        channels=(
            ChannelSpec("train", required=True),
            ChannelSpec("validation", required=True),
            ChannelSpec("train_annotation", required=True, content_type=PNG),
            ChannelSpec("validation_annotation", required=True, content_type=PNG),
            ChannelSpec("label_map", content_type=""),
            MODEL_CHANNEL,
        ),
        processors=GPU_ONLY,
        multi_instance=False,
        default_instance_type="ml.p3.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("num_classes", 21, data_dependent=True),
            Hyperparameter("num_training_samples", 1464, data_dependent=True),
        ),
        incremental=True,
        checkpointing=True,
    ),
    tuning=TuningSpec(
        metrics=(maximize("validation:mIOU"), maximize("validation:pixel_accuracy")),
        default_objective="validation:mIOU",
        ranges=(
            continuous("learning_rate", 1e-4, 1e-1),
            integer("mini_batch_size", 1, 128),
            continuous("momentum", 0.9, 0.999),
            # The tuning page spells it "optimzer", a typo for the hyperparameter.
            categorical("optimizer", "sgd", "adam", "adadelta"),
            continuous("weight_decay", 1e-5, 1e-3),
        ),
        default_ranges=("learning_rate", "mini_batch_size", "momentum"),
    ),
    hosting=HostingSpec(
        request_content_types=(JPEG,),
        accept_types=(PNG, RECORDIO_PROTOBUF),
        processors=CPU_AND_GPU,
        cpu_families=("c5", "m5"),
        gpu_families=("p3", "g4dn"),
        default_instance_type="ml.c5.xlarge",
        serverless=None,
        monitoring=NotSupported("inference input is images, not tabular data"),
    ),
    sources=(
        "DG:semantic-segmentation",
        "DG:segmentation-hyperparameters",
        "DG:semantic-segmentation-tuning",
    ),
)
