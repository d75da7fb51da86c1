"""Sentence chunking with exact offsets.

A chunk is one sentence (the unit a citation quotes), except that very short
sentences (headings, fragments) are merged with the sentence that follows them and
over-long sentences are cut at clause boundaries. Small, sentence-sized chunks make
the dense retriever precise and let the answerer quote exactly what answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import paragraph_spans, sentence_spans, split_long


@dataclass(frozen=True)
class ChunkSpan:
    index: int
    start: int
    end: int
    text: str


def chunk_text(text: str, max_chars: int = 420, min_chars: int = 60) -> list[ChunkSpan]:
    """Split ``text`` into sentence chunks; ``text[c.start:c.end] == c.text`` for each."""
    units: list[tuple[int, int]] = []
    for pa, pb in paragraph_spans(text):
        for sa, sb in sentence_spans(text, pa, pb):
            units.extend(split_long(text, sa, sb, max_chars))
    merged: list[list[int]] = []
    pending: int | None = None  # start of a short unit waiting for its successor
    for a, b in units:
        if pending is not None:
            a, pending = pending, None
        if b - a < min_chars:
            pending = a
            continue
        merged.append([a, b])
    if pending is not None:
        if merged:
            merged[-1][1] = units[-1][1]
        else:
            merged.append([pending, units[-1][1]])
    return [ChunkSpan(i, a, b, text[a:b]) for i, (a, b) in enumerate(merged)]
