"""The display form of a quote: the source text without the Markdown its scraper left in.

Scraped pages keep link syntax around words that were links (`[bei ihrem Treffen in
Beijing](#)`, `<https://…>`). Quotes stay verbatim (their offsets count those characters);
this is only how a person reads them. A quote may start or end inside a link, so the
halves of one (`Bau der Pipeline Power of Siberia 2](#)`, `Über den [schon seit`) are
cleaned too.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\s]*\)")  # [words](target)
_CLOSING_HALF = re.compile(r"^([^\[\n]*?)\]\([^()\s]*\)")  # words](target) with no [
_OPENING_HALF = re.compile(r"\[(?=[^\]\n]*$)")  # [ whose ] is past the end
_CUT_TARGET = re.compile(r"\]\([^()\s]*$")  # ](targ cut at the end
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")


def display(text: str) -> str:
    """`text` as a reader should see it: link syntax removed, its words kept, nothing else
    changed (spacing, quotation marks and the author's spelling stay as they are)."""
    text = _LINK.sub(r"\1", text)
    text = _CLOSING_HALF.sub(r"\1", text, count=1)
    text = _CUT_TARGET.sub("", text)
    text = _OPENING_HALF.sub("", text)
    return _AUTOLINK.sub(r"\1", text)
