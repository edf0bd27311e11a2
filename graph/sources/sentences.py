"""Sentence spans and word tokens of a source text, for the coverage check and the drafter.

Sentences come from SoMaJo, a rule-based German and English tokenizer chosen over syntok and
pysbd because it alone keeps "am 7. Mai 2024", "Mrd." and "u. a." inside their sentences and
ends a sentence after »…« (docs/curation.md has the comparison). Paragraphs end sentences,
except where the next paragraph starts in lower case (the article breaks "So haben / beide
Staaten …" across a blank line). Offsets are Unicode characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from somajo import SoMaJo  # type: ignore[import-untyped]

_MODELS = {"de": "de_CMC", "en": "en_PTB"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    kind: str  # SoMaJo's token class: regular, number, ordinal, abbreviation, symbol, …


@lru_cache(maxsize=2)
def _tokenizer(language: str) -> SoMaJo:
    return SoMaJo(_MODELS.get(language, "en_PTB"), split_camel_case=False,
                  character_offsets=True)


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


def sentence_tokens(text: str, language: str = "de") -> list[list[Token]]:
    """The tokens of `text`, sentence by sentence, with offsets into `text`."""
    found: list[list[Token]] = []
    for start, end in _merged_paragraphs(text):
        # a paragraph broken across lines is one run of text for the tokenizer
        chunk = text[start:end].replace("\n", " ")
        for sentence in _tokenizer(language).tokenize_text([chunk]):
            found.append([Token(start + t.character_offset[0], start + t.character_offset[1],
                                text[start + t.character_offset[0]:
                                     start + t.character_offset[1]], t.token_class)
                          for t in sentence])
    return found


def split(text: str, skip: Iterable[str] = (), language: str = "de") -> list[Sentence]:
    """Split `text` into sentences; paragraphs equal to one of `skip` (byline, URL) are left out."""
    skipped = {s.strip() for s in skip}
    sentences: list[Sentence] = []
    for tokens in sentence_tokens(text, language):
        if not tokens:
            continue
        start, end = tokens[0].start, tokens[-1].end
        paragraph = next(text[a:b] for a, b in _merged_paragraphs(text) if a <= start < b)
        if paragraph.strip() in skipped:
            continue
        sentences.append(Sentence(start, end, text[start:end]))
    return sentences


def uncovered(sentences: list[Sentence], spans: Iterable[tuple[int, int]]) -> list[Sentence]:
    """The sentences that no span overlaps."""
    spans = sorted(spans)
    return [s for s in sentences if not any(a < s.end and s.start < b for a, b in spans)]
