"""Read a config's YAML safely: plain data only, within bounds, every refusal one line.

On top of PyYAML's SafeLoader:
- duplicate keys are refused (YAML would keep the last one silently), while merge
  keys (`<<: *defaults`) keep working and may be overridden by explicit keys;
- keys must be scalars (a list or mapping as a key is not a config);
- nesting is bounded, and so is what aliases expand to: a "billion laughs" document
  is refused while it is still a small graph, before anything walks it;
- scalars YAML reinterprets (an unquoted 012345670123 is an octal number) keep their
  text as written, so an error can show what the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 100_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class YamlRefused(Exception):
    """A document this reader will not build: `line` is 1-based, or 0 for the file."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Parsed:
    data: Any
    # Key paths of numbers as the user wrote them, where YAML read them otherwise.
    written: dict[tuple[str | int, ...], str]


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:  # type: ignore[override]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlRefused(mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1


def _construct_mapping(loader: _Loader, node: MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:
            continue
        if not isinstance(key_node, ScalarNode):
            raise YamlRefused(
                key_node.start_mark.line + 1, "a key must be a plain name, not a list or mapping"
            )
        key = loader.construct_object(key_node)
        if key in seen:
            raise YamlRefused(
                key_node.start_mark.line + 1,
                f"duplicate key {key!r} (first at line {seen[key] + 1})",
            )
        seen[key] = key_node.start_mark.line
    # Merged keys come first, explicit ones after: an explicit key overrides a merged one.
    loader.flatten_mapping(node)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]


def _expanded_size(node: Node, sizes: dict[int, int]) -> int:
    """How many nodes `node` stands for once aliases are expanded (memoized per node)."""
    if id(node) in sizes:
        return sizes[id(node)]
    sizes[id(node)] = 1  # a cycle counts once
    if isinstance(node, SequenceNode):
        total = 1 + sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, MappingNode):
        total = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    else:
        total = 1
    sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
    return sizes[id(node)]


def _written(node: Node, path: tuple[str | int, ...], out: dict, seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        if node.tag in _NUMBER_TAGS and node.style is None:
            out[path] = node.value
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            _written(child, (*path, index), out, seen)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                _written(value, (*path, key.value), out, seen)


def read_yaml(text: str) -> Parsed:
    """The document's data; raises YamlRefused (or yaml.YAMLError) with one problem."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlRefused(0, f"nested more than {MAX_DEPTH} levels deep") from None
        if node is None:
            return Parsed(None, {})
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise YamlRefused(
                0,
                f"aliases expand to more than {MAX_EXPANDED_NODES} values; write the "
                "values out or use fewer nested aliases",
            )
        data = loader.construct_document(node)
        written: dict[tuple[str | int, ...], str] = {}
        _written(node, (), written, set())
        return Parsed(data, written)
    finally:
        loader.dispose()
