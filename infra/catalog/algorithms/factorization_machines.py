"""Factorization Machines (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CPU_ONLY,
    JSON,
    JSONLINES,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    TEST_CHANNEL,
    TRAIN_CHANNEL,
    continuous,
    first_party_image,
    formats,
    integer,
    maximize,
    minimize,
    when,
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

_REGRESSOR = when("predictor_type", "regressor")
_BINARY = when("predictor_type", "binary_classifier")


def _init_ranges(prefix: str) -> tuple:
    # The tuning page conditions all three families on bias_init_method, probably
    # meaning each family's own *_init_method (facts §7, UNCONFIRMED); each range
    # only has an effect under its own method, so that is what is encoded.
    method = f"{prefix}_init_method"
    return (
        continuous(f"{prefix}_init_scale", 1e-8, 512, when(method, "uniform")),
        continuous(f"{prefix}_init_sigma", 1e-8, 512, when(method, "normal")),
        continuous(f"{prefix}_init_value", 1e-8, 512, when(method, "constant")),
    )


# Every hyperparameter name the algorithm takes: DG:fact-machines-hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "bias_init_method",
    "bias_init_scale",
    "bias_init_sigma",
    "bias_init_value",
    "bias_lr",
    "bias_wd",
    "clip_gradient",
    "epochs",
    "eps",
    "factors_init_method",
    "factors_init_scale",
    "factors_init_sigma",
    "factors_init_value",
    "factors_lr",
    "factors_wd",
    "feature_dim",
    "linear_init_method",
    "linear_init_scale",
    "linear_init_sigma",
    "linear_init_value",
    "linear_lr",
    "linear_wd",
    "mini_batch_size",
    "num_factors",
    "predictor_type",
    "rescale_grad",
)

ALGORITHM = Algorithm(
    name="factorization-machines",
    title="Factorization Machines",
    image=first_party_image("factorization-machines", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE)),  # Float32 RecordIO only
        channels=(TRAIN_CHANNEL, TEST_CHANNEL),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.m5.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("feature_dim", 10000, data_dependent=True),
            Hyperparameter("num_factors", 64),
            Hyperparameter(
                "predictor_type", "binary_classifier", allowed=("binary_classifier", "regressor")
            ),
        ),
        notes=("GPU training takes dense data only; sparse data needs CPU.",),
    ),
    tuning=TuningSpec(
        metrics=(
            minimize("test:rmse", _REGRESSOR),
            maximize("test:binary_classification_accuracy", _BINARY),
            minimize("test:binary_classification_cross_entropy", _BINARY),
            maximize("test:binary_f_beta", _BINARY),
        ),
        default_objective="test:binary_classification_accuracy",
        ranges=(
            *_init_ranges("bias"),
            continuous("bias_lr", 1e-8, 512),
            continuous("bias_wd", 1e-8, 512),
            # DG:fm-tuning writes `epoch`, a typo: the hyperparameter is `epochs`
            # (DG:fact-machines-hyperparameters; SDK v2 `hp("epochs", …)`; facts §6).
            integer("epochs", 1, 1000),
            *_init_ranges("factors"),
            continuous("factors_lr", 1e-8, 512),
            continuous("factors_wd", 1e-8, 512),
            *_init_ranges("linear"),
            continuous("linear_lr", 1e-8, 512),
            continuous("linear_wd", 1e-8, 512),
            integer("mini_batch_size", 100, 10000),
        ),
        default_ranges=("factors_lr", "factors_wd", "linear_lr", "mini_batch_size"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON, RECORDIO_PROTOBUF),  # no CSV (facts §5)
        accept_types=(JSON, JSONLINES, RECORDIO_PROTOBUF),
        # "CPU recommended"; GPU inference is undocumented, so CPU only.
        processors=CPU_ONLY,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=NotSupported(
            "requests are nested JSON or RecordIO-protobuf (captured base64); CSV is not accepted"
        ),
    ),
    sources=("DG:fact-machines", "DG:fact-machines-hyperparameters", "DG:fm-tuning"),
)
