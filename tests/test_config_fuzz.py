"""Property-based: whatever a config file holds, `check` answers with one-line errors
(exit 2) or a plan, never a traceback, and quickly. Hypothesis generates the inputs:
random text and bytes, and documents shaped like configs with values of every kind."""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.cli import load_plan
from infra.config import parse_config
from infra.config.hosting import EndpointConfig
from infra.config.stages import AlgorithmConfig, StageConfig
from infra.config.training import TrainingConfig
from infra.errors import ConfigError
from infra.plan import build_plan

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def assert_one_line_each(error: ConfigError) -> None:
    assert error.lines
    for line in error.lines:
        assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in line), line


def check(text: str) -> None:
    """What `python -m infra check` does with a file's text, minus the file."""
    try:
        build_plan(parse_config(text, "fuzz.yaml"), "fuzz.yaml")
    except ConfigError as error:
        assert_one_line_each(error)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["ml.m5.xlarge", "ml.g5.2xlarge", "s3://b", "s3://bucket/m.tar.gz", "Pipe", ""]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def keys_of(model: type) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(model.model_fields)) | st.text(max_size=10)


def section(model: type) -> st.SearchStrategy[dict]:
    return st.dictionaries(keys_of(model), values, max_size=4)


algorithms = st.dictionaries(
    st.sampled_from(["xgboost", "kmeans", "lda", "randomcutforest", "seq2seq", "nope"]),
    st.none()
    | st.fixed_dictionaries(
        {},
        optional={
            "training": section(TrainingConfig),
            "endpoint": section(EndpointConfig),
            "enabled": st.booleans(),
        },
    )
    | section(AlgorithmConfig),
    max_size=3,
)
stages = st.dictionaries(
    st.text(max_size=8) | st.sampled_from(["dev", "prod", "Pipeline"]),
    st.fixed_dictionaries({"algorithms": algorithms}, optional={"region": values})
    | section(StageConfig),
    min_size=1,
    max_size=2,
)


@FUZZ
@given(stages)
def test_config_shaped_documents_give_a_plan_or_one_line_errors(document: dict) -> None:
    try:
        text = yaml.safe_dump({"stages": document}, allow_unicode=True)
    except yaml.YAMLError:
        return
    check(text)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_gives_one_line_errors(text: str) -> None:
    check(text)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_give_one_line_errors(tmp_path_factory, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "config.yaml"
    path.write_bytes(data)
    try:
        load_plan(str(path))
    except ConfigError as error:
        assert_one_line_each(error)


@FUZZ
@given(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["safety_factor", "max_rps_per_instance"]),
)
def test_numbers_where_aws_needs_finite_ones(number: float, key: str) -> None:
    text = yaml.safe_dump(
        {"stages": {"dev": {"algorithms": {"xgboost": {"endpoint": {key: number}}}}}}
    )
    if math.isfinite(number):
        check(text)
        return
    written = yaml.safe_dump(number).split(chr(10))[0]
    with pytest.raises(ConfigError) as error:
        parse_config(text, "c.yaml")
    assert error.value.lines == [
        f"c.yaml: stages.dev.algorithms.xgboost.endpoint.{key}: {written} (read as {number}) "
        "— must be a finite number"
    ]
