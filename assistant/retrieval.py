"""Hybrid retrieval: dense (Chroma) + BM25, fused by reciprocal rank fusion.

The legs are exposed as llama-index ``BaseRetriever`` classes so they compose with the
rest of llama-index (evaluators, query engines); the assistant calls ``hybrid_search``
directly to keep the per-leg scores the answerer uses as evidence. llama-index is
imported only when ``HybridRetriever`` is first used (it costs 1-2 s of every CLI start).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .store import ChromaStore, ChunkTable
from .text import query_tokens


@dataclass
class Hit:
    """One retrieved chunk with the evidence of each retrieval leg."""

    row: int
    chunk_id: str
    text: str
    meta: dict[str, Any]
    fused: float = 0.0
    dense: float = 0.0  # cosine similarity, 0 when the dense leg did not return it
    bm25: float = 0.0
    dense_rank: int | None = None
    bm25_rank: int | None = None
    evidence: float | None = None  # the evidence reranker's score (answer.evidence_rerank), if it ran
    lex: float = 0.0  # share of the question's words (or their translations) the chunk says
    continues: int | None = None  # row of the passage this chunk goes on from (answer._continuations)

    @classmethod
    def at(cls, table: ChunkTable, row: int, **scores: Any) -> Hit:
        """The chunk at ``row`` of ``table`` as a hit (no leg's scores unless given)."""
        return cls(row=row, chunk_id=table.ids[row], text=table.texts[row], meta=table.metas[row], **scores)


def bm25_search(table: ChunkTable, query: str, k: int) -> list[tuple[int, float]]:
    """Top-k rows by BM25 (query stemmed as English and French); zero scores dropped."""
    if table.bm25 is None:
        return []
    toks = query_tokens(query)
    if not toks:
        return []
    scores = table.bm25.get_scores(toks)
    k = min(k, len(scores))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    kth = scores[top].min()
    if kth > 0:  # rows tied with the k-th score all compete for the last places
        top = np.union1d(top[scores[top] > kth], np.flatnonzero(scores == kth))
    # Ties go by text, not by row: rows follow chunk ids, which hash the document's path,
    # so the same documents elsewhere on disk would order their tied chunks differently.
    order = sorted((int(i) for i in top if scores[i] > 0), key=lambda i: (-scores[i], table.texts[i], table.ids[i]))
    return [(i, float(scores[i])) for i in order[:k]]


def tied_ranks(scores: list[float]) -> list[int]:
    """Competition ranks ("1224") of a best-first list: equal scores share the better rank.

    Fusion and the evidence reranker weigh ranks; positions among equal scores would let
    the order of ties (arbitrary) move a chunk's score.
    """
    ranks: list[int] = []
    for i, s in enumerate(scores):
        ranks.append(ranks[-1] if i and s == scores[i - 1] else i)
    return ranks


# Unfiltered results per wanted result, tried in turn before any search filtered by language.
DENSE_OVERFETCH = (20, 250)


def dense_candidates(
    store: ChromaStore, table: ChunkTable, query_embedding: np.ndarray, k: int
) -> list[tuple[str, float]]:
    """Dense ranking that gives every document language a fair share of the top ranks.

    Multilingual embedders score same-language pairs higher, so an English question
    would rank every English chunk above the French chunk that answers it. In a mixed
    corpus each language is searched on its own and the lists are interleaved by rank.
    """
    total = sum(table.languages.values()) or 1
    langs = [lang for lang, n in table.languages.items() if n >= max(3, 0.05 * total)]
    if len(langs) < 2 or len(langs) > 4:
        return store.dense_search(query_embedding, k)
    # The per-language lists are read off an unfiltered search, deepened until it holds enough of
    # each language: Chroma's search filtered by language costs ~50x an unfiltered one (200 vs 4 ms
    # at 100k chunks, README, "Benchmarks"). A language is searched on its own only when its next chunk
    # beyond the deepest pool could still enter the interleaved top k: same result, no filter.
    per_lang: dict[str, list[tuple[str, float]]] = {}
    short: list[str] = []
    for factor in DENSE_OVERFETCH:
        fetch = k * factor
        pool = store.dense_search(query_embedding, fetch)
        per_lang = {lang: [] for lang in langs}
        filled = 0
        for cid, sim in pool:
            row = table.row_of.get(cid)
            found = per_lang.get(str(table.metas[row].get("lang", ""))) if row is not None else None
            if found is not None and len(found) < k:
                found.append((cid, sim))
                filled += len(found) == k
                if filled == len(langs):  # a deep pool's tail cannot change the result
                    break
        top = _interleave(per_lang, k)
        if len(pool) < fetch:  # the pool holds every chunk
            return [(cid, -neg) for _rank, neg, cid in top]
        last_rank = top[-1][0] if len(top) >= k else None  # rank of the k-th entry once filled
        short = [
            lang
            for lang, found in per_lang.items()
            if len(found) < k and (last_rank is None or last_rank >= len(found))
        ]
        if not short:
            return [(cid, -neg) for _rank, neg, cid in top]
    for lang in short:  # adding entries never lets another language's next chunk in
        per_lang[lang] = store.dense_search(query_embedding, k, lang=lang)
    return [(cid, -neg) for _rank, neg, cid in _interleave(per_lang, k)]


def _interleave(per_lang: dict[str, list[tuple[str, float]]], k: int) -> list[tuple[int, float, str]]:
    """The top k (rank, -similarity, id): round-robin by rank across languages, ties by similarity."""
    return sorted((rank, -sim, cid) for found in per_lang.values() for rank, (cid, sim) in enumerate(found))[:k]


def hybrid_search(
    store: ChromaStore,
    table: ChunkTable,
    query: str,
    query_embedding: np.ndarray | None,
    *,
    mode: str = "hybrid",
    candidate_k: int = 30,
    rrf_k: int = 60,
    bm25_weight: float = 1.0,
) -> list[Hit]:
    """Fuse the legs by weighted RRF: score = sum over legs of weight / (rrf_k + rank)."""
    hits: dict[int, Hit] = {}

    def hit(row: int) -> Hit:
        if row not in hits:
            hits[row] = Hit.at(table, row)
        return hits[row]

    if mode in ("hybrid", "dense") and query_embedding is not None:
        dense = dense_candidates(store, table, query_embedding, candidate_k)
        for rank, (cid, sim) in zip(tied_ranks([sim for _cid, sim in dense]), dense, strict=True):
            row = table.row_of.get(cid)
            if row is None:  # written by another process after our table was built
                continue
            h = hit(row)
            h.dense, h.dense_rank = sim, rank
            h.fused += 1.0 / (rrf_k + rank + 1)
    if mode in ("hybrid", "bm25"):
        lexical = bm25_search(table, query, candidate_k)
        for rank, (row, score) in zip(tied_ranks([score for _row, score in lexical]), lexical, strict=True):
            h = hit(row)
            h.bm25, h.bm25_rank = score, rank
            h.fused += bm25_weight / (rrf_k + rank + 1)
    return sorted(hits.values(), key=lambda h: (-h.fused, -h.dense, h.text, h.chunk_id))


def hit_to_node(h: Hit) -> Any:
    """A hit as a llama-index ``NodeWithScore`` (leg scores in its metadata)."""
    from llama_index.core.schema import NodeWithScore, TextNode

    meta = dict(h.meta)
    meta.update(dense=h.dense, bm25=h.bm25)
    node = TextNode(id_=h.chunk_id, text=h.text, metadata=meta)
    return NodeWithScore(node=node, score=h.fused)


@functools.cache
def _hybrid_retriever_class() -> type:
    from llama_index.core.base.base_retriever import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle

    class HybridRetriever(BaseRetriever):
        """llama-index retriever over an :class:`~assistant.core.Assistant` index."""

        def __init__(self, assistant: Any, top_k: int | None = None, mode: str | None = None) -> None:
            super().__init__()
            self._assistant = assistant
            self._top_k = top_k
            self._mode = mode

        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            hits = self._assistant.retrieve(query_bundle.query_str, top_k=self._top_k, mode=self._mode)
            return [hit_to_node(h) for h in hits]

    HybridRetriever.__module__ = __name__
    return HybridRetriever


def __getattr__(name: str) -> Any:
    """``HybridRetriever`` is built (and llama-index imported) on first access."""
    if name == "HybridRetriever":
        return _hybrid_retriever_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
