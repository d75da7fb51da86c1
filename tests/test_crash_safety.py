"""kill -9 during an ingest of 200 documents, at many points: the next ingest repairs the index.

Each case runs an ingest in a child process (tests/helpers_ingest_child.py) that SIGKILLs
itself at an exact write point (or on a timer), then runs a normal ingest and compares the
index with a clean ingest of the same files into a fresh index: same catalog, same chunk
ids with the same texts, metadata and vectors, the vector index holding every chunk, the
BM25 table in step with Chroma, no orphan, incomplete or duplicate chunk, no marker left.

The cases are independent, so the module fixture runs them two at a time and each test
checks one case's outcome. The indexes live on /dev/shm when there is one: a SIGKILL loses
nothing the kernel already has (tmpfs or disk alike; only a power cut would differ), and
tmpfs spares Chroma's per-write fsyncs, which make an ingest about three times slower.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers_ingest_child import document_text, write_corpus

ROOT = Path(__file__).resolve().parents[1]
CHILD = ROOT / "tests" / "helpers_ingest_child.py"
N_DOCS = 200
N_NEW = 15  # documents version 2 of the corpus adds
CHILD_TIMEOUT_S = 300  # a guard against a hang, not a speed target
# The CLI in a child that knows the toy embedder (tests/conftest.py registers it).
CLI_WITH_TOY = "import sys; sys.path[:0] = ['tests', '.']; import conftest; from assistant.cli import main; sys.exit(main(sys.argv[1:]))"

pytestmark = pytest.mark.slow


def child(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the helper in a fresh interpreter (cwd = the repo root for every run, so records agree)."""
    return subprocess.run(
        [sys.executable, str(CHILD), *args], cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S
    )


def ingest_ok(index: Path, corpus: Path, *, sync: bool, snapshot: Path | None = None) -> dict[str, Any]:
    args = ["ingest", str(index), str(corpus)] + (["--sync"] if sync else [])
    args += ["--snapshot", str(snapshot)] if snapshot else []
    proc = child(*args)
    if proc.returncode != 0:
        raise AssertionError(f"ingest failed (rc {proc.returncode}): {proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if snapshot:
        out["snapshot"] = json.loads(snapshot.read_text())
    return out


class ChildNotKilled(AssertionError):
    """The child ingest ended without being killed."""


def ingest_killed(index: Path, corpus: Path, *, sync: bool, kill: str = "", after_ms: float = 0.0) -> None:
    args = ["ingest", str(index), str(corpus)] + (["--sync"] if sync else [])
    args += ["--kill", kill] if kill else ["--kill-after-ms", f"{after_ms:.0f}"]
    proc = child(*args)
    if proc.returncode != -signal.SIGKILL:
        where = kill or f"{after_ms:.0f} ms"
        raise ChildNotKilled(f"the child was not killed at {where} (rc {proc.returncode}): {proc.stderr[-2000:]}")


@dataclass(frozen=True)
class Case:
    name: str
    phase: str  # "fresh": first ingest of v1 into an empty index; "update": v1 index -> v2 corpus with sync
    kills: tuple[str, ...]  # "OP:WHEN:N" (see the helper) or "timer:F" (F x a clean first ingest's time)


# An update rewrites each changed or new document as: catalog record deleted, old chunks
# deleted, new chunks added, record upserted (the commit point); then sync removes documents.
CASES = (
    Case("fresh: on a timer, a quarter of the way", "fresh", ("timer:0.25",)),
    Case("fresh: on a timer, halfway", "fresh", ("timer:0.5",)),
    Case("fresh: first chunks written, no catalog record yet", "fresh", ("chunks.add:after:1",)),
    Case("fresh: between two documents, 120 committed", "fresh", ("docs.upsert:after:120",)),
    Case("update: record deleted, old chunks still there", "update", ("docs.delete:after:3",)),
    Case("update: old chunks deleted, new ones not yet", "update", ("chunks.delete:after:10",)),
    Case("update: new chunks added, record not yet", "update", ("chunks.add:after:25",)),
    Case("update: during the sync removals", "update", ("docs.delete:after:{sync}",)),
    Case("update: everything written, BM25 not rebuilt", "update", ("rebuild_table:before:1",)),
    Case("update: BM25 rebuilt, generation not bumped", "update", ("bump_generation:before:1",)),
    Case("update: killed again while repairing", "update", ("chunks.add:after:25", "chunks.delete:after:1")),
)


@dataclass
class CrashRun:
    """Everything the tests check, computed once per module."""

    refs: dict[str, dict[str, Any]]  # phase -> snapshot of a clean ingest into a fresh index
    outcomes: dict[str, dict[str, Any] | BaseException]  # case name -> snapshot after recovery, or the failure
    inspected: dict[str, Any] | BaseException  # a killed index looked at before any repair
    update_writes: int
    update_removals: int


def _fast_tmp() -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 1 << 30:
        return Path(tempfile.mkdtemp(prefix="crash-safety-", dir=shm))
    return Path(tempfile.mkdtemp(prefix="crash-safety-"))


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", name).strip("-")


def _catch(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - reported by the test of that case
        return exc


@pytest.fixture(scope="module")
def run() -> Iterator[CrashRun]:
    base = _fast_tmp()
    fresh_corpus, update_corpus = base / "corpus-fresh", base / "corpus-update"
    pool = ThreadPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1)))
    try:
        names_v1 = write_corpus(fresh_corpus, 1, N_DOCS)
        write_corpus(update_corpus, 1, N_DOCS)
        ref_fresh = pool.submit(
            ingest_ok, base / "ref-fresh", fresh_corpus, sync=False, snapshot=base / "ref-fresh.json"
        )
        base_update = pool.submit(ingest_ok, base / "base-update", update_corpus, sync=False)
        ref_fresh_out, base_update_out = ref_fresh.result(), base_update.result()
        assert len(ref_fresh_out["report"]["added"]) == N_DOCS == len(base_update_out["report"]["added"])
        names_v2 = write_corpus(update_corpus, 2, N_DOCS)
        writes = 0
        for i in range(N_DOCS + N_NEW):
            name, text = document_text(i, 2)
            writes += name in names_v2 and (i >= N_DOCS or text != document_text(i, 1)[1])
        removals = len(set(names_v1) - set(names_v2))
        fresh_ms = float(ref_fresh_out["seconds"]) * 1000

        def play(case: Case) -> dict[str, Any]:
            index = base / _slug(case.name)
            corpus = fresh_corpus if case.phase == "fresh" else update_corpus
            sync = case.phase == "update"
            if sync:
                shutil.copytree(base / "base-update", index)
            try:
                for kill in case.kills:
                    kill = kill.format(sync=writes + removals // 2)  # the docs.delete calls after the rewrites
                    if kill.startswith("timer:"):
                        # The timer is a fraction of a clean ingest's time, measured under the
                        # machine's load then; if the load has dropped, the child may finish first.
                        # Start again from the same state with half the delay (a kill is what is tested).
                        delay = float(kill[6:]) * fresh_ms
                        for _attempt in range(5):
                            try:
                                ingest_killed(index, corpus, sync=sync, after_ms=delay)
                                break
                            except ChildNotKilled:
                                shutil.rmtree(index, ignore_errors=True)
                                if sync:
                                    shutil.copytree(base / "base-update", index)
                                delay /= 2
                        else:
                            raise AssertionError(f"no timer kill landed before the ingest finished ({kill})")
                    else:
                        ingest_killed(index, corpus, sync=sync, kill=kill)
                    if not (index / ".ingest-in-progress").exists():
                        raise AssertionError(f"no ingest-in-progress marker after the kill at {kill}")
                out = ingest_ok(index, corpus, sync=sync, snapshot=base / f"{_slug(case.name)}.json")
                if out["report"]["failed"]:
                    raise AssertionError(f"the recovery ingest failed files: {out['report']['failed']}")
                return out["snapshot"]
            finally:
                shutil.rmtree(index, ignore_errors=True)

        def inspect() -> dict[str, Any]:
            """Kill at the 30th commit point, then look with the helper and the CLI before any repair."""
            index = base / "inspect"
            ingest_killed(index, fresh_corpus, sync=False, kill="docs.upsert:before:30")
            proc = child("snapshot", str(index), str(base / "inspect.json"))
            assert proc.returncode == 0, proc.stderr[-2000:]
            cli = subprocess.run(
                [sys.executable, "-c", CLI_WITH_TOY, "check", "--index", str(index), "--embedder", "toy"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT_S,
            )
            return {"snapshot": json.loads((base / "inspect.json").read_text()), "cli": cli}

        ref_update = pool.submit(
            ingest_ok, base / "ref-update", update_corpus, sync=False, snapshot=base / "ref-update.json"
        )
        jobs = {case.name: pool.submit(_catch, lambda c=case: play(c)) for case in CASES}
        inspected = pool.submit(_catch, inspect)
        yield CrashRun(
            refs={"fresh": ref_fresh_out["snapshot"], "update": ref_update.result()["snapshot"]},
            outcomes={name: job.result() for name, job in jobs.items()},
            inspected=inspected.result(),
            update_writes=writes,
            update_removals=removals,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(base, ignore_errors=True)


def assert_same_as_clean(got: dict[str, Any], ref: dict[str, Any]) -> None:
    """The recovered index equals the clean one, and every consistency check passes."""
    check = got["check"]
    assert check["consistent"] and check["bm25_in_step"], check
    assert (check["orphan_chunks"], check["incomplete_documents"], check["duplicate_chunks"]) == (0, 0, 0)
    assert check["ingest"] == "idle"
    assert got["dense_in_step"], "the vector index does not hold every chunk"
    assert not got["dirty_marker"], "the ingest-in-progress marker was left behind"
    assert got["catalog"] == ref["catalog"], "the catalog differs from a clean ingest"
    assert got["chunks"].keys() == ref["chunks"].keys(), "chunk ids differ from a clean ingest"
    assert got["chunks"] == ref["chunks"], "chunk texts, metadata or vectors differ from a clean ingest"
    assert got["table_ids"] == sorted(ref["chunks"]) == ref["table_ids"], "BM25 table out of step"
    assert got["stats"] == ref["stats"]


def test_the_clean_references_are_consistent(run: CrashRun) -> None:
    fresh, update = run.refs["fresh"], run.refs["update"]
    for ref in (fresh, update):
        assert ref["check"]["consistent"] and ref["dense_in_step"] and not ref["dirty_marker"]
    assert fresh["stats"]["documents"] == N_DOCS and fresh["stats"]["chunks"] > 3 * N_DOCS
    assert update["stats"]["documents"] == N_DOCS - run.update_removals + N_NEW
    assert run.update_writes > 40 and run.update_removals > 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_kill_then_ingest_gives_the_clean_index(run: CrashRun, case: Case) -> None:
    outcome = run.outcomes[case.name]
    if isinstance(outcome, BaseException):
        raise outcome
    assert_same_as_clean(outcome, run.refs[case.phase])


def test_a_killed_index_reports_itself_inconsistent_before_the_repair(run: CrashRun) -> None:
    """``Assistant.check()`` and ``python -m assistant check`` (exit 1) see the damage a kill left."""
    if isinstance(run.inspected, BaseException):
        raise run.inspected
    got, cli = run.inspected["snapshot"], run.inspected["cli"]
    assert got["dirty_marker"] and got["stats"]["documents"] == 29
    assert not got["check"]["consistent"] and got["check"]["orphan_chunks"] > 0
    assert got["check"]["ingest"] == "interrupted"
    assert cli.returncode == 1 and '"consistent": false' in cli.stdout, cli.stderr[-2000:]
    assert '"ingest": "interrupted"' in cli.stdout
