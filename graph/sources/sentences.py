"""Sentence spans of a source text, so the build can tell which sentences no fact covers.

Paragraphs end sentences, except where the next paragraph starts in lower case (the article
breaks "So haben / beide Staaten …" across a blank line). Offsets are Unicode characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_END = re.compile(r"[.!?][»«\"')\]]*(?=\s+\S)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    return spans


def _merged_paragraphs(text: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in _paragraphs(text):
        if merged and text[start].islower():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def split(text: str, skip: Iterable[str] = ()) -> list[Sentence]:
    """Split `text` into sentences; paragraphs equal to one of `skip` (byline, URL) are left out."""
    skipped = {s.strip() for s in skip}
    sentences: list[Sentence] = []
    for start, end in _merged_paragraphs(text):
        if text[start:end].strip() in skipped:
            continue
        cursor = start
        for match in _END.finditer(text, start, end):
            sentences.append(Sentence(cursor, match.end(), text[cursor : match.end()]))
            cursor = match.end()
            while cursor < end and text[cursor].isspace():
                cursor += 1
        if cursor < end:
            sentences.append(Sentence(cursor, end, text[cursor:end]))
    return sentences


def uncovered(sentences: list[Sentence], spans: Iterable[tuple[int, int]]) -> list[Sentence]:
    """The sentences that no span overlaps."""
    spans = sorted(spans)
    return [s for s in sentences if not any(a < s.end and s.start < b for a, b in spans)]
