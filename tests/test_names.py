"""Physical names: valid for SageMaker, stable, unique."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.names import SAGEMAKER_NAME_LIMIT, physical_name

VALID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
words = st.text(min_size=1, max_size=80).filter(lambda s: re.search(r"[A-Za-z0-9]", s))


def test_readable_names() -> None:
    assert physical_name("dev", "linear-learner", "endpoint") == "dev-linear-learner-endpoint"
    assert physical_name("Prod", None, "Data_Bucket") == "prod-data-bucket"


def test_long_names_are_cut_with_a_stable_hash() -> None:
    name = physical_name("staging-eu", "semantic-segmentation", "model-package-group-for-review")
    assert len(name) == SAGEMAKER_NAME_LIMIT
    assert name == physical_name(
        "staging-eu", "semantic-segmentation", "model-package-group-for-review"
    )


@given(words, st.one_of(st.none(), words), words)
def test_names_are_always_valid(stage: str, algorithm: str | None, purpose: str) -> None:
    name = physical_name(stage, algorithm, purpose)
    assert len(name) <= SAGEMAKER_NAME_LIMIT
    assert VALID.match(name), name


@given(st.lists(words, min_size=2, max_size=2, unique=True))
def test_different_long_purposes_do_not_collide(purposes: list[str]) -> None:
    a, b = (physical_name("stage", "algorithm", p * 10) for p in purposes)
    full_a, full_b = (
        physical_name("stage", "algorithm", p * 10, max_length=10**6) for p in purposes
    )
    if full_a != full_b:
        assert a != b


def test_nothing_to_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one letter or digit"):
        physical_name("--", None, "__")
