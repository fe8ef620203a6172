"""XGBoost, pinned to framework version 1.7-1 (facts §1, §2, §3, §4, §5, §6, §7, §8, §9).

1.7-1 is the newest line whose input modes the facts confirm in full (Pipe for
CSV, Parquet and RecordIO-protobuf); the 3.2-0 container drops Pipe and is only
in SDK v3. Never `:1`/`latest` (facts §1).
"""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    CSV,
    FILE_ONLY,
    JSON,
    JSONLINES,
    LIBSVM,
    PARQUET,
    PIPE_OR_FILE,
    RECORDIO_PROTOBUF,
    TRAIN_CHANNEL,
    VALIDATION_CHANNEL,
    continuous,
    formats,
    integer,
    maximize,
    minimize,
    when,
)
from infra.catalog.model import (
    Algorithm,
    ConditionalRequirement,
    HostingSpec,
    Hyperparameter,
    ImageSpec,
    ModelQualitySpec,
    MonitoringSpec,
    ProblemType,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

VERSION = "1.7-1"

# Every hyperparameter name the pinned container accepts: the 1.7-1 branch of
# aws/sagemaker-xgboost-container, algorithm_mode/hyperparameter_validation.py
# (its declared names and aliases learning_rate, min_split_loss, reg_lambda and
# reg_alpha; `_tuning_objective_metric` is left to the tuner, which sets it). The
# container refuses any other name ("Extraneous hyperparameter found"), among them
# DG:xgboost_hyperparameters' single_precision_histogram, gone since XGBoost 1.6.
HYPERPARAMETER_NAMES = (
    "_kfold",
    "_num_cv_round",
    "aft_loss_distribution",
    "aft_loss_distribution_scale",
    "alpha",
    "base_score",
    "booster",
    "colsample_bylevel",
    "colsample_bynode",
    "colsample_bytree",
    "csv_weights",
    "deterministic_histogram",
    "dsplit",
    "early_stopping_rounds",
    "eta",
    "eval_metric",
    "gamma",
    "grow_policy",
    "interaction_constraints",
    "lambda",
    "lambda_bias",
    "learning_rate",
    "max_bin",
    "max_delta_step",
    "max_depth",
    "max_leaves",
    "min_child_weight",
    "min_split_loss",
    "monotone_constraints",
    "normalize_type",
    "nthread",
    "num_class",
    "num_parallel_tree",
    "num_round",
    "objective",
    "one_drop",
    "predictor",
    "prob_buffer_row",
    "process_type",
    "rate_drop",
    "refresh_leaf",
    "reg_alpha",
    "reg_lambda",
    "sample_type",
    "sampling_method",
    "save_model_on_termination",
    "scale_pos_weight",
    "seed",
    "sketch_eps",
    "skip_drop",
    "subsample",
    "tree_method",
    "tweedie_variance_power",
    "updater",
    "use_dask_gpu_training",
    "verbosity",
)

ALGORITHM = Algorithm(
    name="xgboost",
    title="XGBoost",
    image=ImageSpec(
        sdk_framework="xgboost",
        sdk_version=VERSION,
        repository="sagemaker-xgboost",
        tag=VERSION,
        registry_group=RegistryGroup.XGBOOST,
    ),
    training=TrainingSpec(
        # CSV first: it is what the endpoint and Model Monitor speak as well.
        formats=formats(
            (CSV, PIPE_OR_FILE),
            (PARQUET, PIPE_OR_FILE),
            (RECORDIO_PROTOBUF, PIPE_OR_FILE),
            (LIBSVM, FILE_ONLY),  # Pipe does not take libsvm (facts §2)
        ),
        channels=(TRAIN_CHANNEL, VALIDATION_CHANNEL),
        processors=CPU_AND_GPU,
        multi_instance=True,
        # Memory-bound: general purpose rather than compute-optimized (facts §4).
        default_instance_type="ml.m5.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("num_round", 100),
            Hyperparameter("objective", "reg:squarederror", required=False),
            # The tuning objective must match eval_metric (facts §6).
            Hyperparameter("eval_metric", "rmse", required=False),
        ),
        conditional_requirements=(
            ConditionalRequirement(
                "num_class", when("objective", "multi:softmax", "multi:softprob")
            ),
        ),
        checkpointing=True,
        notes=("CSV training needs all data in the cluster's total memory.",),
    ),
    tuning=TuningSpec(
        metrics=(
            maximize("validation:accuracy"),
            maximize("validation:auc"),
            minimize("validation:error"),
            maximize("validation:f1"),
            minimize("validation:logloss"),
            minimize("validation:mae"),
            maximize("validation:map"),
            minimize("validation:merror"),
            minimize("validation:mlogloss"),
            minimize("validation:mse"),
            maximize("validation:ndcg"),
            minimize("validation:rmse"),
            # Defined by the container, not the docs (facts §6). Its
            # `interval-regression-accuracy` is coded as Minimize, which looks
            # wrong for an accuracy (facts §15 #13), so it is left out.
            *(
                maximize(f"validation:{n}")
                for n in (
                    "aucpr",
                    "balanced_accuracy",
                    "f1_binary",
                    "f1_macro",
                    "precision",
                    "r2",
                    "recall",
                    "precision_macro",
                    "precision_micro",
                    "recall_macro",
                    "recall_micro",
                )
            ),
            *(
                minimize(f"validation:{n}")
                for n in (
                    "aft-nloglik",
                    "cox-nloglik",
                    "gamma-deviance",
                    "gamma-nloglik",
                    "mape",
                    "mphe",
                    "poisson-nloglik",
                    "rmsle",
                    "tweedie-nloglik",
                )
            ),
        ),
        default_objective="validation:rmse",
        # Emits the objective per epoch: trials can stop early (facts §7).
        early_stopping=True,
        ranges=(
            continuous("alpha", 0, 1000),
            continuous("colsample_bylevel", 0.1, 1),
            continuous("colsample_bynode", 0.1, 1),
            continuous("colsample_bytree", 0.5, 1),
            continuous("eta", 0.1, 0.5),
            continuous("gamma", 0, 5),
            continuous("lambda", 0, 1000),
            integer("max_delta_step", 0, 10),
            integer("max_depth", 0, 10),
            continuous("min_child_weight", 0, 120),
            integer("num_round", 1, 4000),
            continuous("subsample", 0.5, 1),
        ),
        default_ranges=("alpha", "eta", "max_depth", "min_child_weight", "subsample"),
        # "The metric must match eval_metric" (facts §6).
        objective_hyperparameter="eval_metric",
    ),
    hosting=HostingSpec(
        request_content_types=(CSV, LIBSVM, RECORDIO_PROTOBUF),
        accept_types=(JSON, JSONLINES, RECORDIO_PROTOBUF, CSV),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=MonitoringSpec(
            capture_content_type=CSV,
            model_quality=ModelQualitySpec(
                "objective",
                (
                    ("binary:*", ProblemType.BINARY),
                    ("multi:*", ProblemType.MULTICLASS),
                    ("reg:*", ProblemType.REGRESSION),
                ),
                # CSV response with one column: the prediction (a probability for binary).
                inference_attribute="0",
                probability_attribute="0",
            ),
        ),
    ),
    sources=("DG:xgboost", "DG:xgboost_hyperparameters", "DG:xgboost-tuning", "XGBC"),
)
