"""An incremental XML writer: the exports write one element at a time into a file or a
socket, laid out as lxml's `tostring(..., pretty_print=True)` laid out the whole tree.

Why not a tree: the tree of a whole 1M-triple graph took 660,000 lxml elements and the whole
document in memory at once (600 MiB on top of the projection). Why not `lxml.etree.xmlfile`:
it was tried, its `element` context managers were the largest cost of the export (about
7 µs an element under cProfile), and it cannot write an empty element as `<x/>`. This
writer escapes as libxml2 does (so the bytes are those of the tree it replaces) and refuses
the characters XML 1.0 cannot carry, as lxml did.
"""

from __future__ import annotations

import re
from typing import BinaryIO

INDENT = "  "
CHUNK = 1 << 16  # characters gathered before a write to the output
DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_SPECIAL = re.compile('[&<>"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IN_ATTRIBUTE = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                 ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))
_IN_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))


def _escape(value: str, table: tuple[tuple[str, str], ...]) -> str:
    if _SPECIAL.search(value) is None:
        return value
    if _NOT_XML.search(value) is not None:
        raise ValueError(f"All strings must be XML compatible: {value[:80]!r}")
    for char, entity in table:
        value = value.replace(char, entity)
    return value


def attribute(value: str) -> str:
    """An attribute value escaped for double quotes."""
    return _escape(value, _IN_ATTRIBUTE)


def escape_text(value: str) -> str:
    """Character data escaped."""
    return _escape(value, _IN_TEXT)


class Writer:
    """Start and end tags (`start`, `end`) and childless elements (`leaf`), each on its own
    indented line, written to `out` in chunks as UTF-8."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.depth = 0
        self._parts: list[str] = [DECLARATION]
        self._size = 0
        self._breaks = ["\n"]
        self._begun = False  # the root's start tag follows the declaration's line directly

    def _pad(self) -> str:
        while len(self._breaks) <= self.depth:
            self._breaks.append("\n" + INDENT * len(self._breaks))
        return self._breaks[self.depth]

    def _line(self, markup: str) -> None:
        if self._begun:
            self._parts.append(self._pad())
        self._begun = True
        self._parts.append(markup)
        self._size += len(markup)
        if self._size > CHUNK:
            self.flush()

    def start(self, tag: str, attributes: dict[str, str] | None = None) -> None:
        """`<tag ...>`; its children follow, one level deeper."""
        self._line(f"<{tag}{_attributes(attributes)}>")
        self.depth += 1

    def end(self, tag: str) -> None:
        """`</tag>` of the element last started."""
        self.depth -= 1
        self._line(f"</{tag}>")

    def leaf(self, tag: str, attributes: dict[str, str] | None = None,
             text: str | None = None) -> None:
        """An element without children: `<tag .../>`, or holding `text`."""
        if text is None:
            self._line(f"<{tag}{_attributes(attributes)}/>")
        else:
            self._line(f"<{tag}{_attributes(attributes)}>{escape_text(text)}</{tag}>")

    def block(self, tag: str, lines: list[str],
              attributes: dict[str, str] | None = None) -> None:
        """`<tag>` holding `lines` of ready markup (built with `attribute`/`escape_text`),
        one per line a level deeper; `<tag/>` when there are none. The fast path for the
        many childless elements of a node or an edge."""
        if not lines:
            self.leaf(tag, attributes)
            return
        self.start(tag, attributes)
        pad = self._pad()
        self._line(pad.join(lines))
        self.end(tag)

    def flush(self) -> None:
        """Write what is gathered to the output."""
        self.out.write("".join(self._parts).encode("utf-8"))
        self._parts.clear()
        self._size = 0

    def close(self) -> None:
        """End the document (every element must have ended) and write the rest."""
        if self.depth:
            raise ValueError(f"{self.depth} element(s) still open")
        self._parts.append("\n")
        self.flush()


def _attributes(attributes: dict[str, str] | None) -> str:
    if not attributes:
        return ""
    return "".join(f' {name}="{attribute(value)}"' for name, value in attributes.items())
