"""BlazingText: Word2Vec and text classification (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    FILE_ONLY,
    JSON,
    TEXT,
    TRAIN_CHANNEL,
    categorical,
    continuous,
    first_party_image,
    formats,
    integer,
    maximize,
    when,
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

_WORD2VEC = when("mode", "batch_skipgram", "skipgram", "cbow")
_SUPERVISED = when("mode", "supervised")

# Every hyperparameter name the algorithm takes: DG:blazingtext_hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "batch_size",
    "buckets",
    "early_stopping",
    "epochs",
    "evaluation",
    "learning_rate",
    "max_char",
    "min_char",
    "min_count",
    "min_epochs",
    "mode",
    "negative_samples",
    "patience",
    "sampling_threshold",
    "subwords",
    "vector_dim",
    "window_size",
    "word_ngrams",
)

ALGORITHM = Algorithm(
    name="blazingtext",
    title="BlazingText",
    image=first_party_image("blazingtext", RegistryGroup.FIRST_PARTY_B),
    training=TrainingSpec(
        # One sentence per line. Pipe works only through augmented manifests, whose
        # attribute names come from a labelling job; not offered here.
        formats=formats((TEXT, FILE_ONLY)),
        channels=(TRAIN_CHANNEL, ChannelSpec("validation", when=_SUPERVISED)),
        processors=CPU_AND_GPU,
        # CONFLICT (facts §15 #4): the algorithm page allows batch_skipgram on
        # several CPU instances, the common table says single instance only.
        multi_instance=False,
        # Supervised mode on < 2 GB of data: C5 (facts §4).
        default_instance_type="ml.c5.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter(
                "mode", "supervised", allowed=("batch_skipgram", "skipgram", "cbow", "supervised")
            ),
        ),
    ),
    tuning=TuningSpec(
        metrics=(
            maximize("train:mean_rho", _WORD2VEC),
            maximize("validation:accuracy", _SUPERVISED),
        ),
        default_objective="validation:accuracy",
        ranges=(
            integer("batch_size", 8, 32, _WORD2VEC),
            integer("epochs", 5, 15, _WORD2VEC),
            continuous("learning_rate", 0.005, 0.01, _WORD2VEC),
            integer("min_count", 0, 100, _WORD2VEC),
            categorical("mode", "batch_skipgram", "skipgram", "cbow", condition=_WORD2VEC),
            integer("negative_samples", 5, 25, _WORD2VEC),
            continuous("sampling_threshold", 0.0001, 0.001, _WORD2VEC),
            integer("vector_dim", 32, 300, _WORD2VEC),
            integer("window_size", 1, 10, _WORD2VEC),
            integer("buckets", 1000000, 10000000, _SUPERVISED),
            integer("epochs", 5, 15, _SUPERVISED),
            continuous("learning_rate", 0.005, 0.01, _SUPERVISED),
            integer("min_count", 0, 100, _SUPERVISED),
            integer("vector_dim", 32, 300, _SUPERVISED),
            integer("word_ngrams", 1, 3, _SUPERVISED),
        ),
        default_ranges=("epochs", "learning_rate", "vector_dim"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON,),
        accept_types=(JSON,),
        processors=CPU_AND_GPU,
        default_instance_type="ml.m5.xlarge",
        serverless=None,
        monitoring=NotSupported("requests are nested JSON (instances and configuration)"),
    ),
    sources=("DG:blazingtext", "DG:blazingtext_hyperparameters", "DG:blazingtext-tuning"),
)
