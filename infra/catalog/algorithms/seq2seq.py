"""Sequence-to-Sequence (facts §1, §2, §3, §4, §5, §6, §7, §8, §9)."""

from infra.catalog.algorithms._common import (
    FILE_ONLY,
    GPU_ONLY,
    JSON,
    RECORDIO_PROTOBUF,
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
    HostingSpec,
    NotSupported,
    RegistryGroup,
    TrainingSpec,
)
from infra.catalog.tuning import TuningSpec

# Every hyperparameter name the algorithm takes: DG:seq-2-seq-hyperparameters (the archived
# developer guide the facts file reads, a869fa5c). The container refuses any other
# name ("ClientError: Additional hyperparameters are not allowed").
HYPERPARAMETER_NAMES = (
    "batch_size",
    "beam_size",
    "bleu_sample_size",
    "bucket_width",
    "bucketing_enabled",
    "checkpoint_frequency_num_batches",
    "checkpoint_threshold",
    "clip_gradient",
    "cnn_activation_type",
    "cnn_hidden_dropout",
    "cnn_kernel_width_decoder",
    "cnn_kernel_width_encoder",
    "cnn_num_hidden",
    "decoder_type",
    "embed_dropout_source",
    "embed_dropout_target",
    "encoder_type",
    "fixed_rate_lr_half_life",
    "learning_rate",
    "loss_type",
    "lr_scheduler_type",
    "max_num_batches",
    "max_num_epochs",
    "max_seq_len_source",
    "max_seq_len_target",
    "min_num_epochs",
    "momentum",
    "num_embed_source",
    "num_embed_target",
    "num_layers_decoder",
    "num_layers_encoder",
    "optimized_metric",
    "optimizer_type",
    "plateau_reduce_lr_factor",
    "plateau_reduce_lr_threshold",
    "rnn_attention_in_upper_layers",
    "rnn_attention_num_hidden",
    "rnn_attention_type",
    "rnn_cell_type",
    "rnn_decoder_hidden_dropout",
    "rnn_decoder_state_init",
    "rnn_first_residual_layer",
    "rnn_num_hidden",
    "rnn_residual_connections",
    "training_metric",
    "weight_decay",
    "weight_init_scale",
    "weight_init_type",
    "xavier_factor_type",
)

ALGORITHM = Algorithm(
    name="seq2seq",
    title="Sequence-to-Sequence",
    image=first_party_image("seq2seq", RegistryGroup.FIRST_PARTY_B),
    training=TrainingSpec(
        formats=formats((RECORDIO_PROTOBUF, FILE_ONLY)),
        channels=(
            ChannelSpec("train", required=True),
            ChannelSpec("validation", required=True),
            # vocab.src.json / vocab.trg.json: plain files, no ContentType.
            ChannelSpec("vocab", required=True, content_type=""),
        ),
        processors=GPU_ONLY,
        multi_instance=False,
        default_instance_type="ml.p3.2xlarge",
        hyperparameter_names=HYPERPARAMETER_NAMES,
        # Its own checkpoint_* settings are local only (facts §9).
        checkpointing=False,
    ),
    tuning=TuningSpec(
        metrics=(
            maximize("validation:accuracy"),
            maximize("validation:bleu"),
            minimize("validation:perplexity"),
        ),
        default_objective="validation:perplexity",
        # Emits the objective per epoch: trials can stop early (facts §7).
        early_stopping=True,
        ranges=(
            integer("num_layers_encoder", 1, 10),
            integer("num_layers_decoder", 1, 10),
            categorical("batch_size", "16", "32", "64", "128", "256", "512", "1024", "2048"),
            categorical("optimizer_type", "adam", "sgd", "rmsprop"),
            categorical("weight_init_type", "xavier", "uniform"),
            continuous("weight_init_scale", 2.0, 3.0, when("weight_init_type", "xavier")),
            continuous("weight_init_scale", -1.0, 1.0, when("weight_init_type", "uniform")),
            continuous("learning_rate", 0.00005, 0.2),
            continuous("weight_decay", 0.0, 0.1),
            continuous("momentum", 0.5, 0.9),
            continuous("clip_gradient", 1.0, 5.0),
            categorical("rnn_num_hidden", "128", "256", "512", "1024", "2048"),
            categorical("cnn_num_hidden", "128", "256", "512", "1024", "2048"),
            integer("num_embed_source", 256, 512),
            integer("num_embed_target", 256, 512),
            continuous("embed_dropout_source", 0.0, 0.5),
            continuous("embed_dropout_target", 0.0, 0.5),
            continuous("rnn_decoder_hidden_dropout", 0.0, 0.5),
            continuous("cnn_hidden_dropout", 0.0, 0.5),
            categorical(
                "lr_scheduler_type", "plateau_reduce", "fixed_rate_inv_t", "fixed_rate_inv_sqrt_t"
            ),
            continuous("plateau_reduce_lr_factor", 0.1, 0.5),
            integer("plateau_reduce_lr_threshold", 1, 5),
            integer("fixed_rate_lr_half_life", 10, 30),
        ),
        default_ranges=("learning_rate", "num_layers_encoder", "num_layers_decoder"),
    ),
    hosting=HostingSpec(
        request_content_types=(JSON, RECORDIO_PROTOBUF),
        accept_types=(JSON, RECORDIO_PROTOBUF),
        # UNCONFIRMED (facts §15 #8): CPU inference is undocumented; host on GPU only.
        processors=GPU_ONLY,
        default_instance_type="ml.g4dn.xlarge",
        serverless=NotSupported("inference runs on GPU only; serverless has no GPU"),
        monitoring=NotSupported(
            "requests are token lists in JSON or RecordIO-protobuf (captured base64)"
        ),
    ),
    sources=("DG:seq-2-seq", "DG:seq-2-seq-tuning", "DG:seq-2-seq-hyperparameters"),
)
