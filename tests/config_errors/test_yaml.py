"""What YAML can build that a config must not be, and YAML features that must keep
working: each refused with one line, fast, in bounded memory."""

from __future__ import annotations

import pytest

from infra.cli import load_plan
from infra.errors import ConfigError
from tests.config_errors import SOURCE, P, errors_for

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "stages: {dev: {algorithms: {xgboost: {training: {hyperparameters: {x: *i}}}}}}\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "stages:\n  ? [a, b]\n  : 1\n",
            f"{SOURCE}: line 2 — a key must be a plain name, not a list or mapping",
        ),
        (
            "stages: " + "[" * 500 + "]" * 500 + "\n",
            f"{SOURCE}: line 1 — nested more than 64 levels deep",
        ),
        (
            BOMB,
            f"{SOURCE} — aliases expand to more than 100000 values; write the values out or "
            "use fewer nested aliases",
        ),
        (
            "stages:\n  dev:\n    algorithms: {kmeans: }\n    algorithms: {lda: }\n",
            f"{SOURCE}: line 4 — duplicate key 'algorithms' (first at line 3)",
        ),
    ],
    ids=["complex key", "deep nesting", "alias bomb", "duplicate key"],
)
def test_yaml_that_is_no_config_is_refused_in_one_line(text: str, expected: str) -> None:
    assert errors_for(text) == [expected]


def test_values_are_shown_as_written_and_on_one_line() -> None:
    assert errors_for(
        "stages:\n  dev:\n    account: 012345670123\n    algorithms: {kmeans: }\n"
    ) == [f"{P}.account: 012345670123 (read as 1402433619) — must be a string (quote it)"]
    escaped = errors_for('stages:\n  "dev\\x1b[31m\\nx":\n    algorithms: {kmeans: }\n')
    assert escaped == [
        f'{SOURCE}: stages.dev\\x1b[31m\\nx: "dev\\u001b[31m\\nx" — stage names start with a '
        "letter and use letters, digits and hyphens (at most 20 characters)"
    ]


def test_a_blank_or_non_finite_number_is_one_line() -> None:
    hyperparameter = (
        "stages: {dev: {algorithms: {xgboost: {training: {hyperparameters: {eta: }}}}}}"
    )
    assert errors_for(hyperparameter) == [
        f"{P}.algorithms.xgboost.training.hyperparameters.eta: null — must be a string, an "
        "integer, a number or true or false"
    ]
    assert errors_for(
        "stages: {dev: {algorithms: {xgboost: {endpoint: {safety_factor: .inf}}}}}"
    ) == [
        f"{P}.algorithms.xgboost.endpoint.safety_factor: .inf (read as inf) — must be a "
        "finite number"
    ]


def test_unknown_keys_in_list_items_list_the_allowed_ones() -> None:
    text = (
        "stages: {dev: {algorithms: {xgboost: {endpoint: {variants: "
        "[{name: b, model_uri: 's3://models/b.tar.gz', colour: red}]}}}}}"
    )
    assert errors_for(text) == [
        f"{P}.algorithms.xgboost.endpoint.variants.0.colour — unknown key (allowed: "
        "instance_count, instance_type, model_package_arn, model_uri, name, weight)"
    ]


def test_merge_keys_keep_working_and_explicit_keys_override_them() -> None:
    text = (
        "stages:\n"
        "  dev:\n"
        "    algorithms: &defaults\n"
        "      kmeans: {endpoint: {max_instances: 3}}\n"
        "  prod:\n"
        "    namespace: prod\n"
        "    algorithms:\n"
        "      <<: *defaults\n"
        "      kmeans: {endpoint: {max_instances: 5}}\n"
        "      lda:\n"
    )
    assert errors_for(text) == []


def test_bytes_that_are_not_utf8_are_one_line(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("stages: {d\xe9v: {algorithms: {kmeans: }}}\n".encode("latin-1"))
    with pytest.raises(ConfigError) as error:
        load_plan(str(path))
    assert error.value.lines == [f"{path} — not UTF-8 text (byte 0xe9 at offset 10)"]


ONE_ALGORITHM = "stages: {{dev: {{algorithms: {{{name}: {{{section}: {{{key}: '{value}'}}}}}}}}}}"


@pytest.mark.parametrize(
    ("name", "section", "key", "value", "expected"),
    [
        (
            "xgboost",
            "endpoint",
            "model_uri",
            "s3://models-bucket",
            "s3://models-bucket — must be an s3:// URI of a model.tar.gz",
        ),
        (
            "xgboost",
            "endpoint",
            "model_uri",
            "s3://models-bucket/xgboost/",
            "s3://models-bucket/xgboost/ — must be an s3:// URI of a model.tar.gz",
        ),
        (
            "xgboost",
            "training",
            "schedule",
            "rate(0 days)",
            "rate(0 days) — a rate must be at least 1",
        ),
        ("xgboost", "training", "schedule", "rate(1 days)", "rate(1 days) — write rate(1 day)"),
        ("xgboost", "tuning", "schedule", "rate(7 day)", "rate(7 day) — write rate(7 days)"),
        (
            "xgboost",
            "training",
            "schedule",
            "cron(0 12 1 * MON *)",
            "cron(0 12 1 * MON *) — give day-of-month or day-of-week, and ? in the other",
        ),
        (
            "reinforcement-learning",
            "training",
            "entry_point",
            "../train.py",
            "../train.py — must be a relative path inside the source tarball (no leading / or ..)",
        ),
    ],
    ids=[
        "model uri names only a bucket",
        "model uri names a prefix",
        "zero rate",
        "plural unit for one",
        "singular unit for seven",
        "both cron day fields",
        "entry point climbing out",
    ],
)
def test_values_aws_would_refuse_later(
    name: str, section: str, key: str, value: str, expected: str
) -> None:
    text = ONE_ALGORITHM.format(name=name, section=section, key=key, value=value)
    assert errors_for(text) == [f"{P}.algorithms.{name}.{section}.{key}: {expected}"]


def test_a_stage_named_like_the_pipeline_stack_is_refused_before_synth() -> None:
    import yaml

    from tests.config_errors import PIPELINE

    config = {
        "stages": {
            "Pipeline": {
                "account": "111111111111",
                "region": "eu-west-1",
                "algorithms": {"kmeans": None},
            }
        },
        "pipeline": PIPELINE,
    }
    assert errors_for(yaml.safe_dump(config)) == [
        f"{SOURCE}: stages.Pipeline — a stage cannot be named like the delivery pipeline's "
        "stack (Pipeline); rename the stage"
    ]


def test_metric_regexes_compile_and_capture() -> None:
    rl = "reinforcement-learning"

    def definitions(regex: str) -> str:
        import yaml

        tuning = {
            "objective": "reward",
            "direction": "Maximize",
            "metric_definitions": {"reward": regex},
            "ranges": {"lr": {"min": 0.001, "max": 0.01}},
        }
        return yaml.safe_dump({"stages": {"dev": {"algorithms": {rl: {"tuning": tuning}}}}})

    where = f"{P}.algorithms.{rl}.tuning.metric_definitions.reward"
    assert errors_for(definitions("reward: ([0-9.]+")) == [
        f'{where}: "reward: ([0-9.]+" — not a regular expression (missing ), unterminated '
        "subpattern at position 8)"
    ]
    assert errors_for(definitions("reward: [0-9.]+")) == [
        f"{where}: reward: [0-9.]+ — needs a group that captures the value, e.g. loss: ([0-9.]+)"
    ]
    assert errors_for(definitions("reward: ([0-9.]+)")) == []


def test_namespaces_that_fold_to_the_same_names_collide() -> None:
    import yaml

    config = {
        "stages": {
            "dev": {"algorithms": {"kmeans": None}},
            "dev2": {"namespace": "Dev", "algorithms": {"kmeans": None}},
        }
    }
    assert errors_for(yaml.safe_dump(config)) == [
        f"{SOURCE}: stages.dev2.namespace: Dev — stage dev may deploy to the same place with "
        "the same namespace: their stack and physical names would collide (set a different "
        "namespace)"
    ]


def test_a_pipeline_does_not_deploy_across_partitions() -> None:
    import yaml

    from tests.config_errors import PIPELINE

    config = {
        "stages": {
            "cn": {
                "account": "111111111111",
                "region": "cn-north-1",
                "algorithms": {"kmeans": None},
            }
        },
        "pipeline": PIPELINE,
    }
    lines = errors_for(yaml.safe_dump(config))
    assert (
        f"{SOURCE}: stages.cn.region: cn-north-1 — is in the aws-cn partition; the pipeline "
        "in eu-west-1 (aws) cannot deploy across partitions"
    ) in lines
