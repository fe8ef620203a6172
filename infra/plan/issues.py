"""Collects config issues while the plan is built, so every problem is reported at once."""

from __future__ import annotations

from infra.errors import ConfigIssue


class Issues:
    def __init__(self) -> None:
        self.items: list[ConfigIssue] = []

    def add(self, path: str, value: object, message: str) -> None:
        self.items.append(ConfigIssue(path, value, message))

    def __bool__(self) -> bool:
        return bool(self.items)
