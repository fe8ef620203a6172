"""Object2Vec (facts §1-§8)."""

from infra.catalog.algorithms._common import (
    CPU_AND_GPU,
    FILE_ONLY,
    GPU_ONLY,
    JSON,
    JSONLINES,
    TEST_CHANNEL,
    TRAIN_CHANNEL,
    VALIDATION_CHANNEL,
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
    NotSupported,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

_CLASSIFIER = when("output_layer", "softmax")
_REGRESSOR = when("output_layer", "mean_squared_error")

# Every hyperparameter name the algorithm takes: DG:object2vec-hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "bucket_width",
    "comparator_list",
    "dropout",
    "early_stopping_patience",
    "early_stopping_tolerance",
    "enc0_cnn_filter_width",
    "enc0_freeze_pretrained_embedding",
    "enc0_layers",
    "enc0_max_seq_len",
    "enc0_network",
    "enc0_pretrained_embedding_file",
    "enc0_token_embedding_dim",
    "enc0_vocab_file",
    "enc0_vocab_size",
    "enc1_cnn_filter_width",
    "enc1_freeze_pretrained_embedding",
    "enc1_layers",
    "enc1_max_seq_len",
    "enc1_network",
    "enc1_pretrained_embedding_file",
    "enc1_token_embedding_dim",
    "enc1_vocab_file",
    "enc1_vocab_size",
    "enc_dim",
    "epochs",
    "learning_rate",
    "mini_batch_size",
    "mlp_activation",
    "mlp_dim",
    "mlp_layers",
    "negative_sampling_rate",
    "num_classes",
    "optimizer",
    "output_layer",
    "tied_token_embedding_weight",
    "token_embedding_storage_type",
    "weight_decay",
)

ALGORITHM = Algorithm(
    name="object2vec",
    title="Object2Vec",
    image=first_party_image("object2vec", RegistryGroup.FIRST_PARTY_A),
    training=TrainingSpec(
        formats=formats((JSONLINES, FILE_ONLY)),
        channels=(
            TRAIN_CHANNEL,
            VALIDATION_CHANNEL,
            TEST_CHANNEL,
            # Pretrained embedding and vocabulary files: no ContentType.
            ChannelSpec("auxiliary", content_type=""),
        ),
        processors=CPU_AND_GPU,
        multi_instance=False,
        default_instance_type="ml.m5.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        hyperparameters=(
            Hyperparameter("enc0_max_seq_len", 20, data_dependent=True),
            Hyperparameter("enc0_vocab_size", 10000, data_dependent=True),
            Hyperparameter(
                "output_layer",
                "softmax",
                required=False,
                allowed=("softmax", "mean_squared_error"),
            ),
        ),
        conditional_requirements=(
            ConditionalRequirement(
                "enc1_max_seq_len", when("enc1_network", "hcnn", "bilstm", "pooled_embedding")
            ),
            ConditionalRequirement(
                "enc1_vocab_size", when("enc1_network", "hcnn", "bilstm", "pooled_embedding")
            ),
        ),
    ),
    tuning=TuningSpec(
        metrics=(
            minimize("test:mean_squared_error", _REGRESSOR),
            minimize("validation:mean_squared_error", _REGRESSOR),
            maximize("test:accuracy", _CLASSIFIER),
            minimize("test:cross_entropy", _CLASSIFIER),
            maximize("validation:accuracy", _CLASSIFIER),
            minimize("validation:cross_entropy", _CLASSIFIER),
        ),
        default_objective="validation:cross_entropy",
        ranges=(
            continuous("dropout", 0.0, 1.0),
            integer("early_stopping_patience", 1, 5),
            continuous("early_stopping_tolerance", 0.001, 0.1),
            integer("enc_dim", 4, 4096),
            integer("enc0_cnn_filter_width", 1, 5),
            integer("enc0_layers", 1, 4),
            integer("enc0_token_embedding_dim", 5, 300),
            integer("enc1_cnn_filter_width", 1, 5),
            integer("enc1_layers", 1, 4),
            integer("enc1_token_embedding_dim", 5, 300),
            integer("epochs", 4, 20),
            continuous("learning_rate", 1e-6, 1.0),
            integer("mini_batch_size", 1, 8192),
            categorical("mlp_activation", "tanh", "relu", "linear"),
            integer("mlp_dim", 16, 1024),
            integer("mlp_layers", 1, 4),
            categorical("optimizer", "adagrad", "adam", "rmsprop", "sgd", "adadelta"),
            continuous("weight_decay", 0.0, 1.0),
        ),
        default_ranges=("learning_rate", "dropout", "enc_dim", "mlp_layers"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON, JSONLINES),
        accept_types=(JSON, JSONLINES),
        # UNCONFIRMED: the DG documents GPU inference (ml.p3.2xlarge) only.
        processors=GPU_ONLY,
        default_instance_type="ml.g4dn.xlarge",
        serverless=NotSupported("inference is documented on GPU only; serverless has no GPU"),
        monitoring=NotSupported("requests are nested JSON (in0/in1 token lists)"),
        environment=(("INFERENCE_PREFERRED_MODE", "classification"),),
    ),
    sources=("DG:object2vec", "DG:object2vec-hyperparameters", "DG:object2vec-tuning"),
)
