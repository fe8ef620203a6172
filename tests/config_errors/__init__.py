"""Bad configs, one module per capability: each case gives exactly the one-line
message a user should read. The helpers build the YAML the cases are written in."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from infra.config import parse_config
from infra.errors import ConfigError
from infra.plan import build_plan

SOURCE = "config/bad.yaml"
P = f"{SOURCE}: stages.dev"
NAMED_DEV = {"account": "111111111111", "region": "eu-west-1", "algorithms": {"kmeans": None}}
PIPELINE = {
    "account": "444444444444",
    "region": "eu-west-1",
    "connection_arn": "arn:aws:codeconnections:eu-west-1:444444444444:"
    "connection/0f2a6c1e-8b7d-4e52-9a3b-1c2d3e4f5a6b",
    "repository": "org/repo",
}


def errors_for(text: str) -> list[str]:
    try:
        build_plan(parse_config(textwrap.dedent(text), SOURCE), SOURCE)
    except ConfigError as error:
        return error.lines
    return []


def algorithm(name: str, body: dict) -> str:
    return yaml.safe_dump({"stages": {"dev": {"algorithms": {name: body}}}})


def stage(body: dict) -> str:
    return yaml.safe_dump({"stages": {"dev": {"algorithms": {"kmeans": None}, **body}}})


def with_pipeline(stages: dict, **pipeline: object) -> str:
    """A config with these stages and a delivery pipeline (`pipeline` overrides its keys)."""
    return yaml.safe_dump({"stages": stages, "pipeline": {**PIPELINE, **pipeline}})


def one_line_each(cases: list[tuple[str, str, str]]) -> pytest.MarkDecorator:
    """Parametrize a test over (name, config text, the one expected line) cases."""
    return pytest.mark.parametrize(
        ("text", "expected"), [c[1:] for c in cases], ids=[c[0] for c in cases]
    )
