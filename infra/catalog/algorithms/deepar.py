"""DeepAR forecasting (facts §1, §2, §3, §4, §5, §6, §7, §8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CPU_ONLY,
    FILE_ONLY,
    JSON,
    JSONLINES,
    TEST_CHANNEL,
    TRAIN_CHANNEL,
    continuous,
    first_party_image,
    formats,
    integer,
    minimize,
)
from infra.catalog.model import (
    Algorithm,
    HostingSpec,
    Hyperparameter,
    NotSupported,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

# Every hyperparameter name the algorithm takes: DG:deepar_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "cardinality",
    "context_length",
    "dropout_rate",
    "early_stopping_patience",
    "embedding_dimension",
    "epochs",
    "learning_rate",
    "likelihood",
    "mini_batch_size",
    "num_cells",
    "num_dynamic_feat",
    "num_eval_samples",
    "num_layers",
    "prediction_length",
    "test_quantiles",
    "time_freq",
)

ALGORITHM = Algorithm(
    name="forecasting-deepar",
    title="DeepAR forecasting",
    image=first_party_image("forecasting-deepar", RegistryGroup.DEEPAR),
    training=TrainingSpec(
        formats=formats((JSONLINES, FILE_ONLY)),
        channels=(TRAIN_CHANNEL, TEST_CHANNEL),
        processors=CPU_AND_GPU,
        multi_instance=True,
        # The DG suggests starting on a single ml.c4.2xlarge; c5 is the same size
        # class and is offered in every region.
        default_instance_type="ml.c5.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("time_freq", "H", data_dependent=True),
            Hyperparameter("prediction_length", 24, data_dependent=True),
            Hyperparameter("context_length", 24, data_dependent=True),
            Hyperparameter("epochs", 100),
        ),
        notes=("Needs at least 300 observations in total.",),
    ),
    tuning=TuningSpec(
        metrics=(
            minimize("test:RMSE"),
            minimize("test:mean_wQuantileLoss"),
            minimize("train:final_loss"),
        ),
        default_objective="test:RMSE",
        ranges=(
            integer("epochs", 1, 1000),
            integer("context_length", 1, 200),
            integer("mini_batch_size", 32, 1028),
            continuous("learning_rate", 1e-5, 1e-1),
            integer("num_cells", 30, 200),
            integer("num_layers", 1, 8),
            continuous("dropout_rate", 0.00, 0.2),
            integer("embedding_dimension", 1, 50),
        ),
        default_ranges=("learning_rate", "num_cells", "num_layers", "dropout_rate"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON,),
        accept_types=(JSON,),
        processors=CPU_ONLY,
        default_instance_type="ml.c5.xlarge",
        serverless=None,
        monitoring=NotSupported("requests are nested JSON (instances with target series)"),
    ),
    sources=("DG:deepar", "DG:deepar_hyperparameters", "DG:deepar-tuning"),
)
