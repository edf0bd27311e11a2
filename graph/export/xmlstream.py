"""An incremental XML writer over `lxml.etree.xmlfile`, indented like lxml's pretty_print.

The exports write one element at a time into a file or a socket instead of building a tree:
a tree of the whole graph took several hundred thousand lxml elements and the whole document
in memory at once. lxml still escapes every attribute and text and refuses characters XML
cannot carry, as it did when the tree was serialised.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

INDENT = "  "


class Writer:
    """Nested elements (`element`) and empty or text-only ones (`leaf`), each on its line."""

    def __init__(self, xf: Any) -> None:
        self.xf = xf
        self.depth = 0
        self._breaks = ["\n"]  # newline and indent, by depth

    def _break(self) -> str:
        while len(self._breaks) <= self.depth:
            self._breaks.append("\n" + INDENT * len(self._breaks))
        return self._breaks[self.depth]

    @contextmanager
    def element(self, tag: str, attributes: dict[str, str] | None = None,
                nsmap: dict[str | None, str] | None = None) -> Iterator[None]:
        """An element with children: its start tag now, its end tag when the block ends."""
        if self.depth:
            self.xf.write(self._break())
        with self.xf.element(tag, attributes, nsmap=nsmap):
            self.depth += 1
            yield
            self.depth -= 1
            self.xf.write(self._break())

    def leaf(self, tag: str, attributes: dict[str, str] | None = None,
             text: str | None = None) -> None:
        """An element without children, optionally holding text."""
        self.xf.write(self._break())
        with self.xf.element(tag, attributes):
            if text is not None:
                self.xf.write(text)
