"""YAML loading that remembers line numbers, so errors can name the line to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from graph.errors import Problem, SeedError


class Node(dict[str, Any]):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings become `Node`s with line numbers (1-based).

    Dates stay strings: the checks parse them, so a bad date is reported with its line
    instead of failing inside the YAML library.
    """


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: Path) -> Any:
    """Parse a YAML file; a syntax error becomes a SeedError naming file and line."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        # Where the broken construct starts (an unclosed quote, say) is where to fix it;
        # where the parser gave up is often far below.
        start, found = exc.context_mark, exc.problem_mark
        mark = start or found
        line = mark.line + 1 if mark else 1
        message = f"invalid YAML: {exc.context + ': ' if exc.context else ''}{exc.problem or exc}"
        if start and found and found.line != start.line:
            message += f" (noticed on line {found.line + 1})"
        raise SeedError([Problem(path, line, message)]) from exc
    except OSError as exc:
        raise SeedError([Problem(path, 1, f"cannot read: {exc.strerror}")]) from exc
