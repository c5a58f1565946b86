"""YAML loading that keeps line numbers and rejects duplicate keys.

Mappings load as `LineDict` and sequences as `LineList`; both carry the 1-based `line` where
they start and, for mappings, `key_lines` (the line of each key), so every later error can
point at `file:line`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class SpecError(Exception):
    """One or more problems in the spec, each already formatted as `file:line: ...`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0


# types-PyYAML leaves construct_object's `node` unannotated: the three calls below say so to pyright.
class _Loader(yaml.SafeLoader):
    path: str = "<spec>"

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)  # pyright: ignore[reportUnknownMemberType]
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise SpecError([f"{self.path}:{line}: keys must be strings, got {key!r}"])
            if key in result:
                raise SpecError(
                    [
                        f"{self.path}:{line}: duplicate key {key!r} (first on line "
                        f"{result.key_lines[key]}); remove one of them"
                    ]
                )
            result[key] = self.construct_object(value_node, deep=True)  # pyright: ignore[reportUnknownMemberType]
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        result = LineList(
            self.construct_object(child, deep=True)  # pyright: ignore[reportUnknownMemberType]
            for child in node.value
        )
        result.line = node.start_mark.line + 1
        return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_sequence)


def load(path: Path, display: str) -> Any:
    """Parse one YAML file; `display` is the path shown in messages (relative to the repo)."""
    loader = _Loader(path.read_text(encoding="utf-8"))
    loader.path = display
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise SpecError(
            [f"{display}:{line}: invalid YAML: {exc.problem}; fix the syntax"]
        ) from None
    finally:
        loader.dispose()
