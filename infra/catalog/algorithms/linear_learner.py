"""Linear Learner (facts §1, §2, §3, §4, §5, §6, §7, §8, §9)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CSV,
    JSON,
    JSONLINES,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    TEST_CHANNEL,
    TRAIN_CHANNEL,
    categorical,
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
    ChannelSpec,
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

_REGRESSION = when("predictor_type", "regressor")
_BINARY = when("predictor_type", "binary_classifier")
_MULTICLASS = when("predictor_type", "multiclass_classifier")


def _both(name: str) -> tuple[str, str]:
    return (f"test:{name}", f"validation:{name}")


# Every hyperparameter name the algorithm takes: DG:ll_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "accuracy_top_k",
    "balance_multiclass_weights",
    "beta_1",
    "beta_2",
    "bias_lr_mult",
    "bias_wd_mult",
    "binary_classifier_model_selection_criteria",
    "early_stopping_patience",
    "early_stopping_tolerance",
    "epochs",
    "f_beta",
    "feature_dim",
    "huber_delta",
    "init_bias",
    "init_method",
    "init_scale",
    "init_sigma",
    "l1",
    "learning_rate",
    "loss",
    "loss_insensitivity",
    "lr_scheduler_factor",
    "lr_scheduler_minimum_lr",
    "lr_scheduler_step",
    "margin",
    "mini_batch_size",
    "momentum",
    "normalize_data",
    "normalize_label",
    "num_calibration_samples",
    "num_classes",
    "num_models",
    "num_point_for_scaler",
    "optimizer",
    "positive_example_weight_mult",
    "predictor_type",
    "quantile",
    "target_precision",
    "target_recall",
    "unbias_data",
    "unbias_label",
    "use_bias",
    "use_lr_scheduler",
    "wd",
)

ALGORITHM = Algorithm(
    name="linear-learner",
    title="Linear Learner",
    image=first_party_image("linear-learner", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, PIPE_OR_FILE), (CSV, PIPE_OR_FILE)),
        channels=(
            TRAIN_CHANNEL,
            ChannelSpec("validation", distribution_fixed=True),
            TEST_CHANNEL,
        ),
        processors=CPU_AND_GPU,
        multi_instance=True,
        default_instance_type="ml.m5.xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter(
                "predictor_type",
                "binary_classifier",
                allowed=("binary_classifier", "multiclass_classifier", "regressor"),
            ),
            # CONFLICT (facts §8 #1): the hyperparameter page says optional ("auto"),
            # the overview says required; always sending it satisfies both.
            Hyperparameter("feature_dim", "auto", data_dependent=True),
        ),
        conditional_requirements=(ConditionalRequirement("num_classes", _MULTICLASS),),
        # CONFLICT (facts §9 #2): the LL page claims spot checkpoints, the
        # checkpointing page omits LL; treat it as non-checkpointing (spot wait ≤ 1 h).
        checkpointing=False,
    ),
    tuning=TuningSpec(
        metrics=(
            *(minimize(m) for m in _both("objective_loss")),
            *(minimize(m, _REGRESSION) for m in _both("absolute_loss") + _both("mse")),
            minimize("validation:rmse", _REGRESSION),
            *(
                maximize(m, _BINARY)
                for n in (
                    "binary_classification_accuracy",
                    "binary_f_beta",
                    "precision",
                    "recall",
                    "roc_auc_score",
                )
                for m in _both(n)
            ),
            *(
                maximize(m, _MULTICLASS)
                for n in (
                    "dcg",
                    "macro_f_beta",
                    "macro_precision",
                    "macro_recall",
                    "multiclass_accuracy",
                    "multiclass_top_k_accuracy",
                )
                for m in _both(n)
            ),
        ),
        default_objective="validation:objective_loss",
        # Only objective_loss is emitted per epoch: early stopping for it alone (facts §7).
        early_stopping=("validation:objective_loss", "test:objective_loss"),
        ranges=(
            continuous("wd", 1e-7, 1),
            continuous("l1", 1e-7, 1),
            continuous("learning_rate", 1e-5, 1),
            integer("mini_batch_size", 100, 5000),
            categorical("use_bias", "True", "False"),
            continuous("positive_example_weight_mult", 1e-5, 1e5),
        ),
        default_ranges=("wd", "l1", "learning_rate", "mini_batch_size"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON, RECORDIO_PROTOBUF, CSV),
        accept_types=(JSON, JSONLINES, RECORDIO_PROTOBUF),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=ModelQualitySpec(
                "predictor_type",
                (
                    ("binary_classifier", ProblemType.BINARY),
                    ("multiclass_classifier", ProblemType.MULTICLASS),
                    ("regressor", ProblemType.REGRESSION),
                ),
                # JSON response: {"predictions": [{"score": …, "predicted_label": …}]}
                inference_attribute="predicted_label",
                probability_attribute="score",
            ),
        ),
    ),
    sources=("DG:linear-learner", "DG:ll_hyperparameters", "DG:linear-learner-tuning"),
)
