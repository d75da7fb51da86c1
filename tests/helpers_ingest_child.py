"""Child process for the crash-safety and multi-process tests: ingest, get killed, report.

Run as a script (never collected by pytest)::

    python tests/helpers_ingest_child.py ingest INDEX PATH... [--sync] [--kill OP:WHEN:N] [--kill-after-ms MS]
                                          [--pause-at N --ready FILE --release FILE] [--snapshot OUT.json]
    python tests/helpers_ingest_child.py snapshot INDEX OUT.json
    python tests/helpers_ingest_child.py corpus FOLDER VERSION [--n 200]

``--kill`` makes the process SIGKILL itself at an exact point of the ingest, so each crash
test hits the phase it names, every time:

* ``chunks.add``, ``chunks.delete``, ``docs.upsert``, ``docs.delete``: the Nth call of that
  Chroma collection method (``chunks`` = the chunk collection, ``docs`` = the catalog);
* ``progress``: the Nth file the ingest starts on; ``check``: the Nth repair pass;
* ``rebuild_table``, ``bump_generation``: the Nth BM25 rebuild / generation bump.

WHEN is ``before`` or ``after`` the call. ``--kill-after-ms`` kills on a timer instead,
which lands wherever the ingest happens to be (inside Chroma's own writes too).

The toy embedder (tests/conftest.py) keeps 200 documents to a few seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

from conftest import ToyEmbedding  # noqa: E402  (also registers the "toy" embedder spec)

from assistant import Assistant  # noqa: E402
from assistant.store import ChromaStore  # noqa: E402

_calls: dict[str, int] = {}
_target: tuple[str, str, int] | None = None


def die() -> None:
    """SIGKILL this process: no cleanup, no atexit, no flush, as a crash or an OOM kill."""
    os.kill(os.getpid(), signal.SIGKILL)


def _hook(op: str, when: str) -> None:
    if when == "before":
        _calls[op] = _calls.get(op, 0) + 1
    if _target and _target[0] == op and _target[1] == when and _calls.get(op, 0) == _target[2]:
        die()


def _wrap(owner: Any, name: str, op_of: Callable[[Any], str]) -> None:
    original = getattr(owner, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        op = op_of(self)
        _hook(op, "before")
        out = original(self, *args, **kwargs)
        _hook(op, "after")
        return out

    setattr(owner, name, wrapper)


def install_kill_points() -> None:
    """Count calls at every write point of an ingest, so ``--kill`` can stop at any of them."""
    from chromadb.api.models.Collection import Collection

    for method in ("add", "delete", "upsert"):
        _wrap(Collection, method, lambda c, m=method: f"{'docs' if c.name.endswith('_docs') else 'chunks'}.{m}")
    for method in ("rebuild_table", "bump_generation", "check"):
        _wrap(ChromaStore, method, lambda _s, m=method: m)


# ---------------------------------------------------------------- corpus

TOPICS = (
    "battery",
    "gigafactory",
    "alliance",
    "platform",
    "software",
    "hydrogen",
    "recycling",
    "charging",
    "semiconductor",
    "logistics",
)
WORDS = (
    "Renault Nissan Mitsubishi Ampère Verkor AESC Douai Dunkirk Grenoble Yokohama Tokyo Paris Flins Maubeuge "
    "cells modules packs lithium nickel cobalt manganese phosphate cathode anode electrolyte separator supplier "
    "contract capacity output plant line worker engineer investment shareholder board partner venture licence "
    "model vehicle compact sedan van motor inverter charger network range warranty price margin forecast "
    "quarter year month week plan target agreement memorandum stake share equity subsidiary division"
).split()


def _sentence(rng: random.Random, topic: str, i: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 22))]
    words.insert(rng.randint(0, len(words)), topic)
    return f"{' '.join(words).capitalize()} in {2000 + i % 30} with {rng.randint(1, 999)} units."


def document_text(i: int, version: int) -> tuple[str, str]:
    """(file name, content) of corpus document ``i``; version 2 rewrites every fifth one."""
    changed = version >= 2 and i % 5 == 0
    rng = random.Random(f"doc-{i}-{'v2' if changed else 'v1'}")
    topic = TOPICS[i % len(TOPICS)]
    title = f"Note {i:03d} on {topic}" + (" (revised)" if changed else "")
    body = " ".join(_sentence(rng, topic, i + k) for k in range(rng.randint(2, 14)))
    ext = (".txt", ".md", ".html")[i % 3]
    if ext == ".html":
        return f"doc-{i:03d}{ext}", f"<html><head><title>{title}</title></head><body><p>{body}</p></body></html>"
    if ext == ".md":
        return f"doc-{i:03d}{ext}", f"# {title}\n\n{body}\n"
    return f"doc-{i:03d}{ext}", f"{title}\n\n{body}\n"


def write_corpus(folder: Path, version: int, n: int = 200) -> list[str]:
    """Make ``folder`` hold version 1 (n documents) or version 2 of the corpus.

    Version 2 = every fifth document rewritten, every 17th (from 3) deleted, 15 new ones:
    an ingest with ``sync`` then updates, removes and adds in one run.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("doc-*"):
        old.unlink()
    ids = [i for i in range(n) if not (version >= 2 and i % 17 == 3)]
    if version >= 2:
        ids += list(range(n, n + 15))
    names = []
    for i in ids:
        name, text = document_text(i, version)
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


# ---------------------------------------------------------------- snapshot


def snapshot(bot: Assistant) -> dict[str, Any]:
    """Everything a clean ingest determines, in comparable form (plus the consistency checks)."""
    import numpy as np

    store = bot.store
    chunks: dict[str, Any] = {}
    vectors: dict[str, np.ndarray] = {}
    total = store.chunks.count()
    for offset in range(0, total, 1000):
        got = store.chunks.get(include=["documents", "metadatas", "embeddings"], limit=1000, offset=offset)
        for cid, text, meta, emb in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]):
            vec = np.asarray(emb, dtype=np.float32)
            vectors[cid] = vec
            digest = hashlib.sha1(np.round(vec, 5).tobytes()).hexdigest()[:12]
            chunks[cid] = [hashlib.sha1((text or "").encode()).hexdigest()[:12], meta, digest]
    # The vector index must hold every chunk: a search as wide as the collection returns them all,
    # and each sampled chunk finds itself first.
    dense_ok = True
    rng = random.Random(0)
    for cid in rng.sample(sorted(vectors), min(5, len(vectors))):
        got = store.chunks.query(query_embeddings=[vectors[cid]], n_results=total, include=["distances"])
        ids = got["ids"][0]
        dense_ok &= set(ids) == set(vectors) and len(ids) == total and got["distances"][0][0] < 1e-4
    table = store.table()
    return {
        "catalog": store.catalog(),
        "chunks": chunks,
        "table_ids": sorted(table.ids),
        "dense_in_step": bool(dense_ok),
        "check": bot.check(),
        "stats": {k: v for k, v in bot.stats().items() if k in ("documents", "chunks", "languages")},
        "dirty_marker": (Path(bot.settings.index_dir) / ".ingest-in-progress").exists(),
    }


def _bot(index: str) -> Assistant:
    return Assistant(index_dir=index, embedder=ToyEmbedding())


def main(argv: list[str] | None = None) -> int:
    global _target
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("index")
    p.add_argument("paths", nargs="+")
    p.add_argument("--sync", action="store_true")
    p.add_argument("--kill", default="", help="OP:WHEN:N")
    p.add_argument("--kill-after-ms", type=float, default=0.0)
    p.add_argument("--pause-at", type=int, default=-1, help="file number at which to wait for --release")
    p.add_argument("--ready", default="")
    p.add_argument("--release", default="")
    p.add_argument("--snapshot", default="")
    p = sub.add_parser("snapshot")
    p.add_argument("index")
    p.add_argument("out")
    p = sub.add_parser("corpus")
    p.add_argument("folder")
    p.add_argument("version", type=int)
    p.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)

    if args.cmd == "corpus":
        print(len(write_corpus(Path(args.folder), args.version, args.n)))
        return 0
    if args.cmd == "snapshot":
        Path(args.out).write_text(json.dumps(snapshot(_bot(args.index))))
        return 0

    install_kill_points()
    if args.kill:
        op, when, n = args.kill.split(":")
        _target = (op, when, int(n))
    bot = _bot(args.index)

    def progress(done: int, total: int, path: str) -> None:
        if path:
            _hook("progress", "before")
        if done == args.pause_at and path:
            Path(args.ready).write_text(str(os.getpid()))
            deadline = time.monotonic() + 120
            while not Path(args.release).exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    if args.kill_after_ms:
        timer = threading.Timer(args.kill_after_ms / 1000, die)
        timer.daemon = True
        timer.start()
    t0 = time.perf_counter()
    report = bot.ingest(args.paths, sync=args.sync, progress=progress)
    out = {"report": report.to_dict(), "seconds": time.perf_counter() - t0, "calls": _calls}
    if args.snapshot:
        Path(args.snapshot).write_text(json.dumps(snapshot(bot)))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
