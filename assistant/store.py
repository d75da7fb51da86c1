"""Chroma storage plus the derived in-memory chunk table and BM25 index.

Chroma is the source of truth: collection ``<name>`` holds chunk vectors, texts and
offsets; collection ``<name>_docs`` is the document catalog (one record per file, written
*after* its chunks, so a record means "this document is complete"). The chunk table and
the BM25 index are a cache derived from Chroma, stamped with the catalog's state and
rebuilt whenever the stamp disagrees, so a crash can never leave them out of step.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from .settings import Settings, apply_offline_env
from .text import fold, index_tokens, place_names
from .types import AssistantError, EmbedderMismatchError

SCHEMA_VERSION = 1
TABLE_VERSION = 4  # bump when ChunkTable gains fields or what finish() derives changes: cached tables are rebuilt
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿ][a-zà-ÿ'’-]{2,}(?![\w])")
_PAGE = 2000  # Chroma get/add page size (stays under its max batch size)


def connect(settings: Settings) -> Any:
    """A Chroma client: embedded under ``index_dir`` or a server at ``chroma_url``."""
    apply_offline_env()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise AssistantError(f"ASSISTANT_CHROMA_URL is not a URL: {settings.chroma_url!r}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - any connection failure gets one clear message
            raise AssistantError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
        return client
    path = Path(settings.index_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


@dataclass
class ChunkTable:
    """Every chunk's id, text and metadata in memory, plus the BM25 index over them."""

    stamp: str = ""
    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)
    bm25: Any = None
    row_of: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)  # document language -> chunk count
    lower_words: frozenset[str] = frozenset()  # folded words the corpus writes in lower case somewhere
    words: frozenset[str] = frozenset()  # every folded word of the corpus (texts and titles)
    places: frozenset[str] | None = None  # folded names the corpus mostly writes as places (text.place_names)

    def finish(self) -> ChunkTable:
        self.row_of = {cid: i for i, cid in enumerate(self.ids)}
        lower: set[str] = set()
        for text in self.texts:
            lower.update(fold(w) for w in _LOWER_WORD.findall(text))
        self.lower_words = frozenset(lower)
        self.words = corpus_words(self.texts, self.metas)
        self.places = place_names(self.texts)
        self.languages = {}
        for meta in self.metas:
            lang = str(meta.get("lang", "und"))
            self.languages[lang] = self.languages.get(lang, 0) + 1
        self.bm25 = build_bm25(self.tokens)
        return self

    def neighbour(self, row: int, step: int) -> int | None:
        """Row of the previous/next chunk of the same document, if any."""
        meta = self.metas[row]
        cid = chunk_id(meta["doc_id"], meta["doc_hash"], int(meta["idx"]) + step)
        return self.row_of.get(cid)


def corpus_words(texts: list[str], metas: list[dict[str, Any]]) -> frozenset[str]:
    """Every folded word of the chunk texts and document titles (is a name said anywhere?)."""
    every: set[str] = set()
    for text in texts:
        every.update(re.findall(r"[^\W_]+", fold(text)))
    for meta in metas:
        every.update(re.findall(r"[^\W_]+", fold(str(meta.get("title", "")))))
    return frozenset(every)


def build_bm25(tokens: list[list[str]]) -> Any:
    if not tokens:
        return None
    import bm25s

    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index([t if t else [""] for t in tokens], show_progress=False)
    return model


def chunk_id(doc_id: str, doc_hash: str, idx: int) -> str:
    return f"{doc_id}:{doc_hash[:10]}:{idx:05d}"


def doc_id_for(path: str | Path) -> str:
    return hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]


class ChromaStore:
    """Chunks and documents in Chroma, and the cached chunk table derived from them."""

    def __init__(self, settings: Settings, embedder_id: str, dim: int) -> None:
        self.settings = settings
        self.embedder_id = embedder_id
        self.dim = dim
        self.index_dir = Path(settings.index_dir)
        self._generation_known = self._generation()  # read before opening: a later write forces a reopen
        self.client = connect(settings)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._table: ChunkTable | None = None
        self._generation_seen: float = -1.0
        self._open_collections()

    def _open_collections(self) -> None:
        self.chunks = self._open_chunks()
        self.docs = self.client.get_or_create_collection(
            f"{self.settings.collection}_docs", embedding_function=None, metadata={"hnsw:space": "l2"}
        )

    def refresh(self, force: bool = False) -> bool:
        """Reopen an embedded index that another process wrote since this one opened it; True if reopened.

        Chroma's embedded client keeps the vector index in memory: without a reopen this process
        would not find the other process's chunks by vector, and its next write would persist its
        stale vector index over theirs (chromadb 1.5.9: "Error finding id" in every later process).
        In-flight queries keep their old collection objects and finish on the old view.
        """
        if self.mode != "embedded":
            return False
        with self._lock:
            gen = self._generation()
            if not force and gen == self._generation_known:
                return False
            from chromadb.api.shared_system_client import SharedSystemClient

            # Drop Chroma's per-path cache entry (a private dict in chromadb 1.5.9) so that the next
            # client starts a new system that reads the index from disk.
            SharedSystemClient._identifier_to_system.pop(self.client._identifier, None)
            SharedSystemClient._identifier_to_refcount.pop(self.client._identifier, None)
            self.client = connect(self.settings)
            self._open_collections()
            self._generation_known = gen
            return True

    # ------------------------------------------------------------ collections

    def _open_chunks(self) -> Any:
        name = self.settings.collection
        try:
            existing = self.client.get_collection(name, embedding_function=None)
        except Exception:  # noqa: BLE001 - "does not exist" differs between client kinds
            existing = None
        if existing is not None:
            meta = existing.metadata or {}
            if meta.get("embedder") != self.embedder_id or int(meta.get("dim", -1)) != self.dim:
                raise EmbedderMismatchError(
                    f"the index at {self.where} was built with embedder {meta.get('embedder')!r} "
                    f"(dim {meta.get('dim')}), but {self.embedder_id!r} (dim {self.dim}) is configured; "
                    "use the same embedder (ASSISTANT_EMBEDDER) or another index directory"
                )
            return existing
        return self.client.get_or_create_collection(
            name,
            embedding_function=None,
            metadata={
                "hnsw:space": "cosine",
                "embedder": self.embedder_id,
                "dim": self.dim,
                "schema": SCHEMA_VERSION,
            },
        )

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(Path(self.settings.index_dir).resolve())

    @property
    def mode(self) -> str:
        return "server" if self.settings.chroma_url else "embedded"

    # ------------------------------------------------------------ catalog

    def catalog(self) -> dict[str, dict[str, Any]]:
        """doc_id -> catalog record (path, source, doc_hash, n_chunks, title, lang, ...)."""
        out: dict[str, dict[str, Any]] = {}
        total = self.docs.count()
        for offset in range(0, total, _PAGE):
            got = self.docs.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for did, meta in zip(got["ids"], got["metadatas"]):
                out[did] = dict(meta or {})
        return out

    def write_document(
        self,
        doc_id: str,
        record: dict[str, Any],
        ids: list[str],
        texts: list[str],
        metas: list[dict[str, Any]],
        embeddings: np.ndarray,
    ) -> None:
        """Replace a document's chunks, then (last) its catalog record: the commit point."""
        self.docs.delete(ids=[doc_id])
        self.chunks.delete(where={"doc_id": doc_id})
        for a in range(0, len(ids), _PAGE):
            self.chunks.add(
                ids=ids[a : a + _PAGE],
                documents=texts[a : a + _PAGE],
                metadatas=metas[a : a + _PAGE],
                embeddings=embeddings[a : a + _PAGE],
            )
        self.docs.upsert(ids=[doc_id], metadatas=[record], embeddings=[[0.0]])

    def delete_document(self, doc_id: str) -> None:
        self.docs.delete(ids=[doc_id])
        self.chunks.delete(where={"doc_id": doc_id})

    def iter_chunks(self, include: Iterable[str] = ("documents", "metadatas")) -> Iterable[tuple[str, str, dict]]:
        total = self.chunks.count()
        for offset in range(0, total, _PAGE):
            got = self.chunks.get(include=list(include), limit=_PAGE, offset=offset)
            docs = got.get("documents") or [""] * len(got["ids"])
            metas = got.get("metadatas") or [{}] * len(got["ids"])
            yield from zip(got["ids"], docs, metas)

    def check(self, repair: bool = False) -> dict[str, Any]:
        """Compare chunks with the catalog: orphans, incomplete documents, duplicates.

        With ``repair`` it deletes orphan chunks and the records of incomplete documents
        (the next ingest then re-embeds them). Returns the problems found.
        """
        catalog = self.catalog()
        per_doc: dict[str, list[str]] = {}
        orphans: list[str] = []
        seen: set[tuple[str, int]] = set()
        duplicates = 0
        for cid, _text, meta in self.iter_chunks(include=("metadatas",)):
            did = meta.get("doc_id", "")
            rec = catalog.get(did)
            if rec is None or rec.get("doc_hash") != meta.get("doc_hash"):
                orphans.append(cid)
                continue
            key = (did, int(meta.get("idx", -1)))
            if key in seen:
                duplicates += 1
            seen.add(key)
            per_doc.setdefault(did, []).append(cid)
        incomplete = [did for did, rec in catalog.items() if len(per_doc.get(did, [])) != int(rec.get("n_chunks", -1))]
        if repair:
            for a in range(0, len(orphans), _PAGE):
                self.chunks.delete(ids=orphans[a : a + _PAGE])
            for did in incomplete:
                self.delete_document(did)
        return {
            "documents": len(catalog),
            "orphan_chunks": len(orphans),
            "incomplete_documents": len(incomplete),
            "duplicate_chunks": duplicates,
            "consistent": not orphans and not incomplete and not duplicates,
        }

    # ------------------------------------------------------------ derived cache

    def stamp(self, catalog: dict[str, dict[str, Any]] | None = None) -> str:
        catalog = self.catalog() if catalog is None else catalog
        digest = hashlib.sha1()
        for did in sorted(catalog):
            rec = catalog[did]
            digest.update(f"{did}:{rec.get('doc_hash')}:{rec.get('n_chunks')};".encode())
        digest.update(f"chunks={self.chunks.count()};embedder={self.embedder_id};table={TABLE_VERSION}".encode())
        return digest.hexdigest()

    @property
    def _cache_path(self) -> Path:
        tag = hashlib.sha1(f"{self.where}|{self.settings.collection}".encode()).hexdigest()[:8]
        return self.index_dir / f"chunk-table-{tag}.pkl"

    @property
    def _generation_path(self) -> Path:
        return self.index_dir / "generation"

    def bump_generation(self) -> None:
        tmp = self._generation_path.with_suffix(".tmp")
        tmp.write_text(f"{time.time()}\n")
        os.replace(tmp, self._generation_path)
        self._generation_known = self._generation()

    def _generation(self) -> float:
        try:
            return self._generation_path.stat().st_mtime
        except OSError:
            return 0.0

    def table(self) -> ChunkTable:
        """The current chunk table; reloaded when another process (or this one) ingested."""
        gen = self._generation()
        table = self._table
        if table is not None and gen == self._generation_seen:
            return table
        with self._lock:
            if self._table is not None and gen == self._generation_seen:
                return self._table
            self.refresh()
            self._table = self._load_or_rebuild()
            self._generation_seen = gen
            return self._table

    def _load_or_rebuild(self) -> ChunkTable:
        stamp = self.stamp()
        try:
            with open(self._cache_path, "rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, ChunkTable) and cached.stamp == stamp:
                return cached
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
            pass
        return self.rebuild_table(stamp)

    def rebuild_table(self, stamp: str | None = None) -> ChunkTable:
        """Rebuild the chunk table and BM25 from Chroma, and save it atomically."""
        with self._lock:
            stamp = stamp or self.stamp()
            table = ChunkTable(stamp=stamp)
            rows = sorted(self.iter_chunks(), key=lambda r: r[0])
            for cid, text, meta in rows:
                table.ids.append(cid)
                table.texts.append(text or "")
                table.metas.append(dict(meta or {}))
                table.tokens.append(
                    index_tokens(
                        f"{meta.get('title', '')} {text}" if int(meta.get("idx", 1)) == 0 else text or "",
                        meta.get("lang", "en"),
                    )
                )
            table.finish()
            tmp = self._cache_path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(table, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._cache_path)
            self._table = table
            self._generation_seen = self._generation()
            return table

    # ------------------------------------------------------------ search

    def dense_search(self, query_embedding: np.ndarray, k: int, lang: str | None = None) -> list[tuple[str, float]]:
        """Nearest chunks by cosine, optionally among chunks of one document language.

        No ``count()`` first: Chroma (1.x, embedded and server) returns fewer results when
        ``k`` exceeds the matches, even on an empty collection, and the extra round trip cost
        about as much as the query itself (measured in evals/bench.py).
        """
        if k <= 0:
            return []
        got = self.chunks.query(
            query_embeddings=[np.asarray(query_embedding, dtype=np.float32)],
            n_results=k,
            include=["distances"],
            where={"lang": lang} if lang else None,
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0])]

    def info(self) -> dict[str, Any]:
        return {"store": self.mode, "where": self.where, "collection": self.settings.collection}
