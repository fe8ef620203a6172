"""The one exception type for mistakes in a user's configuration.

Each issue renders as one line: `file: key.path: value — what is wrong (allowed: …)`.
A traceback means a bug in the project, not in the user's config.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import yaml


def _yaml_scalar(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def show(value: object) -> str:
    """A config value as the user would write it in YAML."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Quote strings that YAML would read as something else ("2", "true", "").
        plain = value and value.strip() == value and isinstance(_yaml_scalar(value), str)
        return value if plain else json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # YAML's 20 arrives as 20.0 in a float field
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, sort_keys=True, default=str)


class _NoValue:
    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE = _NoValue()
"""For issues about a key that is missing, or about the file rather than a value."""


@dataclass(frozen=True, slots=True)
class ConfigIssue:
    """One problem at one key path."""

    path: str
    value: object
    message: str

    def render(self, source: str) -> str:
        where = f"{source}: {self.path}" if self.path else source
        if self.value is NO_VALUE:
            return f"{where} — {self.message}"
        return f"{where}: {show(self.value)} — {self.message}"


class ConfigError(Exception):
    """Every problem found in one config file, each rendered on its own line."""

    def __init__(self, source: str, issues: Iterable[ConfigIssue]) -> None:
        self.source = source
        self.issues = tuple(issues)
        super().__init__("\n".join(self.lines))

    @property
    def lines(self) -> list[str]:
        return [issue.render(self.source) for issue in self.issues]


def allowed(values: Iterable[object]) -> str:
    return f"(allowed: {', '.join(show(v) for v in values)})"
