"""Config errors about the file as a whole: missing, not YAML, several problems at once."""

from __future__ import annotations

import pytest

from infra.cli import load_plan
from infra.errors import ConfigError
from tests.config_errors import SOURCE, P, algorithm, errors_for


def test_every_problem_is_reported_at_once() -> None:
    assert errors_for(
        algorithm(
            "lda",
            {"training": {"instance_count": 2, "instance_type": "ml.p3.2xlarge"}},
        )
    ) == [
        f"{P}.algorithms.lda.training.instance_type: ml.p3.2xlarge — lda trains on CPU only "
        "(allowed: CPU instance types)",
        f"{P}.algorithms.lda.training.instance_count: 2 — lda trains on a single instance "
        "(allowed: 1)",
    ]


def test_missing_file_is_a_config_error(tmp_path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_plan(str(missing))
    assert info.value.lines == [f"{missing} — No such file or directory"]


def test_yaml_syntax_error_names_the_line() -> None:
    assert errors_for("stages:\n  dev: {algorithms: [\n") == [
        f"{SOURCE}: line 3 — expected the node content, but found '<stream end>'"
    ]
