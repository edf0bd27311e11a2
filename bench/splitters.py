"""Which sentence splitter rckg keeps: SoMaJo, syntok and pysbd on the cases news text breaks.

Run `python -m bench.splitters` (after `pip install syntok pysbd`; SoMaJo is a dependency).
Prints, per splitter, how many of the cases it splits right and the splits it gets wrong.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable

# (language, text, sentences a reader sees)
CASES = [
    ("de", "Die Erklärung wurde am 7. Mai 2024 in Moskau unterzeichnet. Danach folgten "
           "Gespräche.", 2),
    ("de", "Der Handel erreichte 240 Mrd. US-Dollar. Das ist ein Rekord.", 2),
    ("de", "Beteiligt sind u. a. Gazprom und CNPC. Die Verträge laufen bis 2030.", 2),
    ("de", "Lawrow sagte: »Wir sind Nachbarn.« Wang Yi stimmte zu.", 2),
    ("de", "Das war am 1. Januar. Dann kam Xi.", 2),
    ("de", "Rund 1,5 Mio. Touristen reisten z. B. nach Harbin. Andere nach Peking.", 2),
    ("en", "Trade reached $240 bn. in 2024. Officials in Beijing e.g. Wang Yi agreed.", 2),
    ("en", "Mr. Lavrov met Wang Yi on May 7, 2024. They talked for hours.", 2),
    ("en", "The U.S. was criticised. Moscow and Beijing signed the deal.", 2),
]


def _somajo(language: str, text: str) -> list[str]:
    from graph.sources.sentences import split
    return [s.text for s in split(text, language=language)]


def _syntok(language: str, text: str) -> list[str]:
    import syntok.segmenter as segmenter  # type: ignore[import-not-found]
    return ["".join(t.spacing + t.value for t in sentence).strip()
            for paragraph in segmenter.process(text) for sentence in paragraph]


def _pysbd(language: str, text: str) -> list[str]:
    import pysbd  # type: ignore[import-not-found]
    return list(pysbd.Segmenter(language=language, clean=False).segment(text))


SPLITTERS: dict[str, tuple[str, Callable[[str, str], list[str]]]] = {
    "somajo": ("somajo", _somajo), "syntok": ("syntok", _syntok), "pysbd": ("pysbd", _pysbd)}


def main() -> None:
    for name, (module, splitter) in SPLITTERS.items():
        if importlib.util.find_spec(module) is None:
            print(f"{name}: not installed (pip install {module})")
            continue
        started, right, wrong = time.perf_counter(), 0, []
        for language, text, count in CASES:
            found = splitter(language, text)
            if len(found) == count:
                right += 1
            else:
                wrong.append(found)
        print(f"{name}: {right}/{len(CASES)} right, {time.perf_counter() - started:.2f} s")
        for found in wrong:
            print(f"  wrong: {found}")


if __name__ == "__main__":
    main()
