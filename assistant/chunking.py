"""Sentence chunking with exact offsets.

A chunk is one sentence (the unit a citation quotes), except that very short
sentences (headings, fragments) are merged with the sentence that follows them and
over-long sentences are cut at clause boundaries. Small, sentence-sized chunks make
the dense retriever precise and let the answerer quote exactly what answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import paragraph_spans, sentence_spans, split_long

# Bump when the same document would be cut into other chunks (sentence rules, merging, or a reader
# that extracts other text: 3 separates HTML table cells): an index records it per document, and the
# next ingest re-chunks documents cut by another version.
CHUNKER_VERSION = 3


def chunker_id(max_chars: int, min_chars: int) -> str:
    """What decides a document's chunks besides its text: the chunker's version and sizes."""
    return f"{CHUNKER_VERSION}/{max_chars}/{min_chars}"


@dataclass(frozen=True)
class ChunkSpan:
    index: int
    start: int
    end: int
    text: str


def _asks(text: str, a: int, b: int) -> bool:
    """The unit is a question ("Question : Combien … ?", "**Q: Why Slovenia?**")."""
    return text[a:b].rstrip("*_ \n").endswith("?")


def chunk_text(text: str, max_chars: int = 420, min_chars: int = 60) -> list[ChunkSpan]:
    """Split ``text`` into sentence chunks; ``text[c.start:c.end] == c.text`` for each.

    A question joins the unit that follows it: in an interview, an FAQ or a results call the
    answer ("Notre objectif est de 40 000 immatriculations …") rarely repeats what was asked
    ("Combien de Sorami comptez-vous vendre en Europe ?"), so only the two together are found by
    a question that asks the same. A short unit that would run into such a question closes the
    answer it ends instead.
    """
    units: list[tuple[int, int, int]] = []  # start, end, paragraph
    for p, (pa, pb) in enumerate(paragraph_spans(text)):
        for sa, sb in sentence_spans(text, pa, pb):
            units.extend((a, b, p) for a, b in split_long(text, sa, sb, max_chars))
    merged: list[list[int]] = []  # start, end, paragraph of the end
    pending: int | None = None  # start of a unit waiting for its successor
    asked: tuple[int, int] | None = None  # the question waiting for its answer (start, paragraph)
    for i, (a, b, p) in enumerate(units):
        if asked is not None and b - asked[0] > max_chars and units[i - 1][1] - asked[0] >= min_chars:
            merged.append([asked[0], units[i - 1][1], asked[1]])  # too long together: the question alone
            pending = None
        start = a if pending is None else pending
        pending, asked = None, None
        nxt = units[i + 1] if i + 1 < len(units) else None
        if nxt is not None and _asks(text, a, b):
            pending, asked = start, (start, p)
            continue
        if b - start < min_chars:
            if nxt is not None and _asks(text, nxt[0], nxt[1]) and start == a and merged and merged[-1][2] == p:
                merged[-1][1] = b
                continue
            pending = start
            continue
        merged.append([start, b, p])
    if pending is not None:
        if merged:
            merged[-1][1] = units[-1][1]
        else:
            merged.append([pending, units[-1][1], units[-1][2]])
    return [ChunkSpan(i, a, b, text[a:b]) for i, (a, b, _p) in enumerate(merged)]
