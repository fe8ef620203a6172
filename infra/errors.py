"""The one exception type for mistakes in a user's configuration.

Each issue renders as one line: `file: key.path: value — what is wrong (allowed: …)`.
A traceback means a bug in the project, not in the user's config.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import yaml


def _yaml_scalar(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


@dataclass(frozen=True, slots=True)
class AsWritten:
    """A value YAML read as something else than the user meant: shown as written."""

    text: str
    read_as: object


def show(value: object) -> str:
    """A config value as the user would write it in YAML."""
    if isinstance(value, AsWritten):
        return f"{value.text} (read as {show(value.read_as)})"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Quote strings that YAML would read as something else ("2", "true", "").
        plain = (
            value
            and value.strip() == value
            and not any(_is_control(c) for c in value)
            and isinstance(_yaml_scalar(value), str)
        )
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
        """One line, whatever the file, keys and values hold: control characters and
        line breaks are escaped, so nothing moves the cursor or starts a new line."""
        where = f"{source}: {self.path}" if self.path else source
        if self.value is NO_VALUE:
            return one_line(f"{where} — {self.message}")
        return one_line(f"{where}: {show(self.value)} — {self.message}")


def one_line(text: str) -> str:
    """`text` with every control or line-separating character escaped (\\n, \\x1b …)."""
    return "".join(_escape(c) if _is_control(c) else c for c in text)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char == "\x7f"


def _escape(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
