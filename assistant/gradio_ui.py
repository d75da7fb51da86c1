"""Gradio adapter: streamed, cited chat beside a source panel, and a Documents tab.

gradio is imported lazily (inside ``build_app``/``launch`` only) so the core stays
importable without it. Everything a handler does lives in plain functions over an
:class:`Assistant` (rendering, escaping, upload checks, ingest), testable without a browser.

Every piece of document text reaches the page through :func:`html.escape`: a document
holding ``<script>`` or ``<img onerror=...>`` is shown as text, never run.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core import Assistant, display_path
from .readers import extract_text
from .settings import Settings, apply_offline_env
from .types import Answer, AssistantError, Citation, IngestReport

UPLOAD_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
CONTEXT_CHARS = 300  # text shown either side of a quote in its source card
MAX_NAME_CHARS = 100
EXAMPLES_EN = (
    "Who supplies batteries for small Renault cars?",
    "How many GWh of batteries per year will Verkor supply to Renault?",
    "What is the largest share of Ampère that Nissan might take?",
)
EXAMPLES_FR = (
    "Où Verkor fabriquera-t-elle les batteries destinées aux modèles haut de gamme ?",
    "Depuis quand Renault est-il actionnaire de Verkor ?",
    "Qui est le président de Renault ?",
)
MODE_EXTRACTIVE = "Extractive (verbatim quotes)"
MODE_GENERATIVE = "Generative (LLM, checked against quotes)"
CITE_REF = re.compile(r"\[(\d{1,3})\]")
EMPTY_PANEL = (
    '<div class="sources-empty">Sources of the last answer appear here: one card per citation '
    "[n], with the quoted words highlighted in their text.</div>"
)

# ------------------------------------------------------------------ first start


def ensure_index(bot: Assistant, sources_dir: str | os.PathLike[str]) -> IngestReport | None:
    """Index the bundled sources on first start and bring them in step after (by content hash).

    ``sync`` only removes documents that lived under ``sources_dir``; uploads are untouched.
    """
    if not Path(sources_dir).is_dir():
        return None
    return bot.ingest([sources_dir], sync=True)


# ------------------------------------------------------------------ answer rendering


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _link_citations(escaped: str, known: set[int] | None = None) -> str:
    """Turn ``[n]`` into a link to card ``cite-n`` (only for citations that exist, when known)."""

    def repl(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if known is not None and n not in known:
            return m.group(0)
        return f'<a href="#cite-{n}" class="cite-ref" title="Show source [{n}]">[{n}]</a>'

    return CITE_REF.sub(repl, escaped)


def _paragraphs(escaped: str) -> str:
    paras = [p.strip() for p in re.split(r"\n\s*\n", escaped) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paras)


def render_partial(text: str) -> str:
    """HTML of an answer still streaming in (escaped; one line, so markdown leaves it alone)."""
    body = _paragraphs(_link_citations(_escape(text))) or "<p>…</p>"
    return f'<div class="answer streaming">{body}</div>'


def render_answer(ans: Answer) -> str:
    """HTML of a finished answer for the chat: escaped text, [n] links, abstention styled apart.

    It is one line with no blank line, so the chatbot's markdown pass keeps it as one HTML block.
    """
    escaped = _escape(ans.text)
    left_out: list[str] = []  # the generative checker drops unsupported sentences from the text
    for sentence in ans.unsupported:
        s = _escape(sentence.strip())
        if s and s in escaped:
            escaped = escaped.replace(
                s, f'<span class="unsupported" title="No quoted source supports this sentence">{s}</span>', 1
            )
        elif s:
            left_out.append(s)
    body = _paragraphs(_link_citations(escaped, {c.n for c in ans.citations}))
    parts: list[str] = []
    if ans.abstained:
        label = "Pas de réponse dans les sources" if ans.lang == "fr" else "No answer in the sources"
        parts.append(f'<div class="answer abstained"><span class="badge">{label}</span>{body}')
        if ans.related:
            hint = "Lectures proches dans le panneau" if ans.lang == "fr" else "Related reading is in the source panel"
            parts.append(f'<p class="hint">{hint} →</p>')
    else:
        parts.append(f'<div class="answer">{body}')
    if ans.unsupported:
        n = len(ans.unsupported)
        fr = ans.lang == "fr"
        label = (
            f"⚠ {n} phrase{'s' if n > 1 else ''} du modèle sans citation qui l'appuie"
            if fr
            else f"⚠ {n} sentence{'s' if n > 1 else ''} from the model not supported by any quote"
        )
        if left_out:
            items = "".join(f'<li class="unsupported">{x}</li>' for x in left_out)
            tail = " (écartées) :" if fr else " (left out):"
            parts.append(f'<div class="unsupported-note">{label}{tail}<ul>{items}</ul></div>')
        else:
            parts.append(f'<p class="unsupported-note">{label} ({"soulignées" if fr else "marked"}).</p>')
    if ans.notice:
        parts.append(f'<p class="notice">ℹ {_escape(ans.notice)}</p>')
    total = ans.timings.get("total")
    meta = ans.mode + (f" · {total:.2f} s" if isinstance(total, (int, float)) else "")
    parts.append(f'<p class="meta">{_escape(meta)}</p></div>')
    return "".join(parts)


def plain_answer(ans: Answer) -> str:
    """The answer as plain text with its sources listed: what "Copy answer" puts on the clipboard."""
    lines = [ans.text.strip()]
    if ans.citations:
        lines.append("")
        lines.append("Sources:")
        for c in ans.citations:
            lines.append(f"[{c.n}] {c.title} — {display_path(c.source)} (characters {c.start}–{c.end})")
    return "\n".join(lines)


# ------------------------------------------------------------------ source cards


@functools.lru_cache(maxsize=64)
def _document_text(path: str, mtime_ns: int, size: int) -> str:
    return extract_text(path)


def _source_text(path: str) -> str | None:
    """The document's text (cached per file version), or None when it cannot be read now."""
    try:
        st = os.stat(path)
        return _document_text(path, st.st_mtime_ns, st.st_size)
    except (OSError, AssistantError):
        return None


def citation_window(c: Citation, widen: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, quote, after): the quote inside about ``widen`` characters of its document.

    Falls back to the chunk text carried by the citation when the file cannot be read or has
    changed since it was indexed (its quote no longer at its offsets).
    """
    text = _source_text(c.source)
    if text is not None and text[c.start : c.end] == c.quote:
        a, b = max(0, c.start - widen), min(len(text), c.end + widen)
        if a > 0:  # start and end on word boundaries
            sp = text.find(" ", a, c.start)
            a = sp + 1 if sp != -1 else a
        if b < len(text):
            sp = text.rfind(" ", c.end, b)
            b = sp if sp != -1 else b
        before, after = text[a : c.start], text[c.end : b]
        return ("…" if a > 0 else "") + before, c.quote, after + ("…" if b < len(text) else "")
    rel = c.start - c.context_start
    if c.context and 0 <= rel and c.context[rel : rel + len(c.quote)] == c.quote:
        return c.context[:rel], c.quote, c.context[rel + len(c.quote) :]
    return "", c.quote, ""


def render_card(c: Citation, id_prefix: str = "cite") -> str:
    """One source card: [n], title, file, language, score, and the highlighted quote in context."""
    before, quote, after = citation_window(c)
    title = _escape(c.title or Path(c.source).name)
    meta = " · ".join(
        [
            f'<span class="file" title="{_escape(c.source)}">{_escape(display_path(c.source))}</span>',
            f'<span class="lang">{_escape(c.lang or "?")}</span>',
            f'<span class="score">score {c.score:.3f}</span>',
            f'<span class="offsets">chars {c.start}–{c.end}</span>',
        ]
    )
    context = f"{_escape(before)}<mark>{_escape(quote)}</mark>{_escape(after)}"
    return (
        f'<div class="source-card" id="{id_prefix}-{c.n}" data-n="{c.n}">'
        f'<div class="card-head"><span class="card-n">[{c.n}]</span> <span class="card-title">{title}</span></div>'
        f'<div class="card-meta">{meta}</div><div class="card-context">{context}</div></div>'
    )


def render_sources(ans: Answer | None) -> str:
    """The source panel for one answer: its citation cards, or related reading on abstention."""
    if ans is None:
        return EMPTY_PANEL
    fr = ans.lang == "fr"
    if ans.citations:
        head = "Sources de la dernière réponse" if fr else "Sources of the last answer"
        cards = "".join(render_card(c) for c in ans.citations)
        return f'<div class="sources"><h3>{head}</h3>{cards}</div>'
    if ans.related:
        head = "À lire (pas une réponse)" if fr else "Related reading (not an answer)"
        cards = "".join(render_card(c, id_prefix="related") for c in ans.related)
        return f'<div class="sources related"><h3>{head}</h3>{cards}</div>'
    none = "Aucune source ne répond à cette question." if fr else "No source answers this question."
    return f'<div class="sources-empty">{none}</div>'


# ------------------------------------------------------------------ chat


def llm_available(bot: Assistant) -> bool:
    """True when a generative backend is configured (without loading it)."""
    return bot._llm is not None or bot.settings.llm not in ("", "none")


def llm_choice(mode: str | None) -> Any:
    """UI/API mode -> the ``llm`` argument of ``Assistant.stream`` (False forces extractive)."""
    m = (mode or "").strip().lower()
    if m in ("extractive", MODE_EXTRACTIVE.lower()):
        return False
    return None  # the configured backend, if any


def chat_turn(
    bot: Assistant,
    message: str,
    chat: list[dict[str, Any]] | None,
    pairs: list[list[str]] | None,
    mode: str | None = None,
) -> Iterator[tuple[list[dict[str, Any]], str | None, list[list[str]], Answer | None]]:
    """Stream one chat turn: yields (chat messages, source panel or None, history pairs, answer).

    ``pairs`` is the plain (question, answer text) history handed to ``bot.stream`` so that
    follow-ups are understood; the chat itself holds the rendered HTML.
    """
    chat = list(chat or [])
    pairs = [list(p) for p in (pairs or [])]
    try:
        question = bot.validate_question(message if isinstance(message, str) else "")
    except ValueError as exc:
        chat.append({"role": "assistant", "content": f'<div class="answer error">⚠ {_escape(str(exc))}</div>'})
        yield chat, None, pairs, None
        return
    chat.append({"role": "user", "content": _escape(question)})
    chat.append({"role": "assistant", "content": render_partial("")})
    yield chat, None, pairs, None
    text = ""
    answer: Answer | None = None
    try:
        for part in bot.stream(question, [tuple(p) for p in pairs], llm=llm_choice(mode)):
            if isinstance(part, Answer):
                answer = part
            else:
                text += part
                chat[-1] = {"role": "assistant", "content": render_partial(text)}
                yield chat, None, pairs, None
    except (AssistantError, ValueError) as exc:
        chat[-1] = {"role": "assistant", "content": f'<div class="answer error">⚠ {_escape(str(exc))}</div>'}
        yield chat, None, pairs, None
        return
    assert answer is not None
    chat[-1] = {"role": "assistant", "content": render_answer(answer)}
    pairs.append([question, answer.text])
    yield chat, render_sources(answer), pairs, answer


def api_answer(bot: Assistant, question: str, history: Any = None, mode: str | None = None) -> dict[str, Any]:
    """The ``/ask`` endpoint: the full Answer as a dict (raises ValueError on a bad question)."""
    return bot.ask(question, history=history or None, llm=llm_choice(mode)).to_dict()


def api_documents(bot: Assistant) -> list[dict[str, Any]]:
    """``bot.documents()`` with ``path`` renamed ``file``: gradio_client would try to download
    any dict with a ``path`` key in a result."""
    return [{("file" if k == "path" else k): v for k, v in d.items()} for d in bot.documents()]


# ------------------------------------------------------------------ uploads


class UploadRejected(ValueError):
    """An uploaded file the assistant will not store (type, size, unreadable)."""


def sanitize_filename(name: str) -> str:
    """A safe file name from whatever a browser or client sent: no folders, no ``..``, no control chars."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"[^\w.\- ()]+", "_", base).strip(" .")
    base = re.sub(r"\.{2,}", ".", base)
    base = re.sub(r"\s+", " ", base)
    stem, ext = os.path.splitext(base)
    stem = stem.lstrip("-") or "upload"
    return stem[: MAX_NAME_CHARS - len(ext)] + ext.lower()


def check_upload(path: str | os.PathLike[str], name: str, max_mb: float) -> None:
    """Raise :class:`UploadRejected` with a message a user can act on."""
    ext = Path(name).suffix.lower()
    if ext not in UPLOAD_EXTENSIONS:
        raise UploadRejected(
            f"{name}: unsupported file type {ext or '(no extension)'}; accepted: {', '.join(UPLOAD_EXTENSIONS)}"
        )
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise UploadRejected(f"{name}: the upload could not be read ({exc.strerror or exc})") from exc
    if size == 0:
        raise UploadRejected(f"{name}: the file is empty (0 bytes)")
    if size > max_mb * 1024 * 1024:
        raise UploadRejected(f"{name}: file too large ({size / 1024 / 1024:.1f} MB; the limit is {max_mb:g} MB)")


def _same_content(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def store_upload(src: str | os.PathLike[str], name: str, uploads_dir: str | os.PathLike[str]) -> tuple[Path, bool]:
    """Copy an upload into ``uploads_dir`` under its sanitised name; (stored path, new file?).

    A different file of the same name never overwrites: it gets a ``-2``, ``-3``... suffix.
    Re-uploading an identical file reuses the stored copy.
    """
    folder = Path(uploads_dir)
    folder.mkdir(parents=True, exist_ok=True)
    safe = sanitize_filename(name)
    stem, ext = os.path.splitext(safe)
    for i in range(1, 10_000):
        target = folder / (safe if i == 1 else f"{stem}-{i}{ext}")
        if target.exists():
            if _same_content(Path(src), target):
                return target, False
            continue
        try:
            with open(src, "rb") as fin, open(target, "xb") as fout:  # "x": never clobber a racing upload
                shutil.copyfileobj(fin, fout)
        except FileExistsError:
            continue
        return target, True
    raise UploadRejected(f"{name}: too many uploads of that name")


@dataclass
class UploadResult:
    stored: list[tuple[str, str]] = field(default_factory=list)  # (name sent, stored path)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (name sent, reason)
    report: IngestReport | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": [{"name": n, "stored_as": p} for n, p in self.stored],
            "rejected": [{"name": n, "reason": r} for n, r in self.rejected],
            "report": self.report.to_dict() if self.report else None,
            "summary": self.summary(),
        }

    def summary(self) -> str:
        parts = [self.report.summary()] if self.report else []
        if self.rejected:
            parts.append(f"{len(self.rejected)} file(s) rejected")
        return "; ".join(parts) or "nothing to ingest"


def _upload_name(item: Any) -> tuple[str, str]:
    """(local path, name the user sent) for a gradio file value (path string, FileData or dict)."""
    if isinstance(item, dict):
        path = item.get("path") or item.get("name") or ""
        return str(path), str(item.get("orig_name") or Path(str(path)).name)
    path = str(getattr(item, "path", None) or getattr(item, "name", None) or item)
    return path, str(getattr(item, "orig_name", None) or Path(path).name)


def ingest_uploads(
    bot: Assistant,
    files: Iterable[Any] | None,
    progress: Callable[[int, int, str], None] | None = None,
) -> UploadResult:
    """Check, store (under ``<index_dir>/uploads/``) and ingest uploaded files.

    Rejected files are reported and not stored; a stored file that fails to parse is removed
    again, so the uploads folder only holds what the index holds.
    """
    result = UploadResult()
    uploads = Path(bot.settings.index_dir) / "uploads"
    new_paths: set[str] = set()
    to_ingest: list[str] = []
    for item in files or []:
        path, name = _upload_name(item)
        try:
            check_upload(path, name, bot.settings.max_file_mb)
            stored, is_new = store_upload(path, name, uploads)
        except UploadRejected as exc:
            result.rejected.append((name, str(exc)))
            continue
        result.stored.append((name, str(stored.resolve())))
        to_ingest.append(str(stored.resolve()))
        if is_new:
            new_paths.add(str(stored.resolve()))
    if to_ingest:
        result.report = bot.ingest(to_ingest, progress=progress)
        for failed_path, _reason in result.report.failed:
            if failed_path in new_paths:
                Path(failed_path).unlink(missing_ok=True)
    return result


def remove_document(bot: Assistant, path: str | None) -> str:
    """Remove a document from the index (and its stored copy when it was an upload)."""
    if not path:
        return "Choose a document to remove."
    removed = bot.remove(path)
    uploads = (Path(bot.settings.index_dir) / "uploads").resolve()
    p = Path(path).resolve()
    deleted_file = False
    if removed and p.is_relative_to(uploads) and p.is_file():
        p.unlink()
        deleted_file = True
    if not removed:
        return f"{display_path(path)} is not in the index."
    extra = " and deleted its uploaded copy" if deleted_file else ""
    note = "" if deleted_file else " (a bundled source comes back at the next start, which re-indexes sources/)"
    return f"Removed {display_path(path)} from the index{extra}.{note}"


# ------------------------------------------------------------------ documents tab rendering


def render_upload_result(result: UploadResult) -> str:
    rows: list[str] = []
    if result.report:
        r = result.report
        rows.append(f"<p><b>Ingest:</b> {_escape(r.summary())}</p>")
        for label, paths in (("added", r.added), ("updated", r.updated), ("unchanged", r.unchanged)):
            for p in paths:
                rows.append(f'<li class="ok">{label}: {_escape(display_path(p))}</li>')
        for p, reason in r.failed:
            rows.append(f'<li class="failed">failed: {_escape(display_path(p))} — {_escape(reason)}</li>')
    renamed = [(n, p) for n, p in result.stored if Path(p).name != n]
    for n, p in renamed:
        rows.append(f'<li class="renamed">{_escape(n)} stored as {_escape(Path(p).name)}</li>')
    for _name, reason in result.rejected:
        rows.append(f'<li class="failed">rejected: {_escape(reason)}</li>')
    if not rows:
        return '<div class="ingest-report">No file was given.</div>'
    head = [x for x in rows if x.startswith("<p>")]
    items = [x for x in rows if x.startswith("<li")]
    return f'<div class="ingest-report">{"".join(head)}<ul>{"".join(items)}</ul></div>'


def render_documents(bot: Assistant) -> str:
    docs = bot.documents()
    if not docs:
        return '<div class="docs-empty">The index is empty: upload documents above.</div>'
    rows = "".join(
        f'<tr><td class="doc-title">{_escape(d["title"])}</td><td class="doc-file">{_escape(d["source"])}</td>'
        f'<td>{_escape(d["lang"])}</td><td>{_escape(d["format"])}</td><td class="num">{d["chunks"]}</td></tr>'
        for d in docs
    )
    return (
        '<table class="docs-table"><thead><tr><th>Title</th><th>File</th><th>Lang</th><th>Format</th>'
        f"<th>Chunks</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def document_choices(bot: Assistant) -> list[tuple[str, str]]:
    return [(f"{d['source']} — {d['title'][:60]}", d["path"]) for d in bot.documents()]


def render_stats(bot: Assistant) -> str:
    s = bot.stats()
    langs = ", ".join(f"{k}: {v}" for k, v in sorted(s.get("languages", {}).items())) or "none"
    items = [
        ("Documents", s["documents"]),
        ("Chunks", s["chunks"]),
        ("Languages", langs),
        ("Embedder", f"{s['embedder']} ({s['dim']} dimensions)"),
        ("Store", f"{s.get('store', '?')} — {s.get('where', '')}"),
        ("Answers", "extractive + generative" if llm_available(bot) else "extractive (no LLM configured)"),
    ]
    rows = "".join(f"<tr><th>{_escape(k)}</th><td>{_escape(str(v))}</td></tr>" for k, v in items)
    return f'<table class="stats-table">{rows}</table>'


# ------------------------------------------------------------------ auth


def load_auth(spec: str) -> list[tuple[str, str]] | None:
    """``Settings.auth`` -> gradio's ``auth``: "user:password", or a file of such lines (# comments)."""
    if not spec:
        return None
    p = Path(spec).expanduser()
    lines = p.read_text(encoding="utf-8").splitlines() if p.is_file() else [spec]
    pairs: list[tuple[str, str]] = []
    for i, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user or not password:
            where = f"{p}, line {i}" if p.is_file() else "ASSISTANT_AUTH"
            raise ValueError(f"{where}: expected user:password")
        pairs.append((user, password))
    if not pairs:
        raise ValueError(f"{p}: no user:password line found")
    return pairs


# ------------------------------------------------------------------ the page

CSS = """
.gradio-container {max-width: 1500px !important; margin: 0 auto;}
#app-title h1 {margin: 0.2em 0 0 0; font-size: 1.5em;}
#app-title p {margin: 0.1em 0 0.6em 0; color: var(--body-text-color-subdued);}
#sources-panel {max-height: 78vh; overflow-y: auto !important; padding-right: 4px; position: sticky; top: 8px;}
.sources h3 {margin: 0 0 8px 0; font-size: 1em;}
.sources-empty, .docs-empty {color: var(--body-text-color-subdued); padding: 12px; border: 1px dashed
  var(--border-color-primary); border-radius: 8px;}
.source-card {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  margin-bottom: 10px; background: var(--block-background-fill); transition: box-shadow .3s, border-color .3s;}
.source-card:target, .source-card.targeted {border-color: #2563eb; box-shadow: 0 0 0 3px rgba(37,99,235,.35);}
.related .source-card {opacity: .85;}
.card-head {font-weight: 600;}
.card-n {color: #2563eb;}
.card-meta {font-size: .82em; color: var(--body-text-color-subdued); margin: 2px 0 6px 0;}
.card-meta .file {font-family: var(--font-mono);}
.card-context {font-size: .92em; line-height: 1.45; white-space: pre-wrap;}
.card-context mark {background: #fde68a; color: #111; padding: 0 2px; border-radius: 2px;}
.answer p {margin: 0 0 .5em 0;}
.answer .meta {font-size: .78em; color: var(--body-text-color-subdued); margin: .3em 0 0 0;}
a.cite-ref {text-decoration: none; font-weight: 600; color: #2563eb; cursor: pointer;}
.answer.abstained {border-left: 4px solid #d97706; padding-left: 10px; font-style: italic;}
.answer.abstained .badge {display: inline-block; font-style: normal; font-size: .75em; font-weight: 600;
  background: #fef3c7; color: #92400e; border-radius: 4px; padding: 1px 6px; margin-bottom: 4px;}
.answer.error {color: #b91c1c;}
.answer .unsupported {text-decoration: underline wavy #dc2626; background: rgba(220,38,38,.08);}
.answer .unsupported-note {color: #b45309; font-size: .85em; margin: .3em 0;}
.answer .unsupported-note ul {margin: .2em 0 0 1.2em;}
.answer li.unsupported {text-decoration: line-through; text-decoration-color: #dc2626; color: #7f1d1d;}
.answer .notice {color: #1d4ed8; font-size: .85em;}
.answer .hint {font-size: .85em; color: var(--body-text-color-subdued);}
.docs-table, .stats-table {border-collapse: collapse; width: 100%; font-size: .9em;}
.docs-table th, .docs-table td, .stats-table th, .stats-table td {border-bottom: 1px solid
  var(--border-color-primary); padding: 4px 8px; text-align: left; vertical-align: top;}
.docs-table td.num {text-align: right;}
.doc-file {font-family: var(--font-mono); font-size: .9em;}
.ingest-report li.failed {color: #b91c1c;}
.ingest-report li.renamed {color: #b45309;}
.examples-row {flex-wrap: wrap !important; gap: 6px !important;}
.examples-row .example-q {flex: 0 1 auto !important; min-width: 0 !important; width: auto !important;
  font-weight: normal; white-space: normal;}
.examples-label {font-size: .85em; color: var(--body-text-color-subdued); margin: 6px 0 0 0;}
"""

# Clicking [n] in an answer brings card n into view inside the source panel and outlines it.
HEAD = """
<script>
document.addEventListener("click", function (ev) {
  var a = ev.target && ev.target.closest ? ev.target.closest("a.cite-ref") : null;
  if (!a) return;
  ev.preventDefault();
  var card = document.getElementById((a.getAttribute("href") || "").slice(1));
  if (!card) return;
  document.querySelectorAll(".source-card.targeted").forEach(function (c) { c.classList.remove("targeted"); });
  card.classList.add("targeted");
  card.scrollIntoView({block: "nearest", inline: "nearest"});
}, true);
</script>
"""

COPY_JS = """
(text) => {
  if (text && navigator.clipboard) { navigator.clipboard.writeText(text); }
  return text;
}
"""


def build_app(bot: Assistant) -> Any:
    """The gradio Blocks: Chat tab (chat + source panel) and Documents tab, plus API endpoints."""
    import gradio as gr

    show_modes = llm_available(bot)

    def ui_respond(message: str, chat: list[dict[str, Any]], pairs: list[list[str]], mode: str) -> Iterator[Any]:
        for chat_v, panel, pairs_v, ans in chat_turn(bot, message, chat, pairs, mode):
            yield (
                "" if ans is not None else gr.update(),
                chat_v,
                gr.update() if panel is None else panel,
                pairs_v,
                plain_answer(ans) if ans is not None else gr.update(),
            )

    def ui_clear() -> tuple[Any, ...]:
        return "", [], EMPTY_PANEL, [], ""

    def ask_api(question: str, history: list | None = None, mode: str = "auto") -> dict:
        """Answer a question from the indexed documents: the Answer as a dict (text, abstained, citations...)."""
        try:
            return api_answer(bot, question, history, mode)
        except ValueError as exc:
            raise gr.Error(str(exc)) from None

    def documents_api() -> list[dict]:
        """The indexed documents: file (absolute path), source, title, lang, chunks, format."""
        return api_documents(bot)

    def stats_api() -> dict:
        """Index status: documents, chunks, embedder, store (embedded or server)."""
        return bot.stats()

    def remove_api(path: str) -> dict:
        """Remove one document (by path) from the index."""
        known = bool(path) and path in {d["path"] for d in bot.documents()}
        return {"removed": known, "message": remove_document(bot, path)}

    def ui_refresh() -> tuple[Any, ...]:
        return render_documents(bot), render_stats(bot), gr.update(choices=document_choices(bot), value=None)

    def ui_upload(files: list[str] | None, progress: Any = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        def cb(done: int, total: int, path: str) -> None:
            progress((done, max(total, 1)), desc=f"Indexing {Path(path).name}" if path else "Finishing")

        result = ingest_uploads(bot, files, cb)
        return (render_upload_result(result), None, *ui_refresh())

    def upload_api(files: list[str] | None) -> dict[str, Any]:
        return ingest_uploads(bot, files).to_dict()

    def ui_remove(path: str | None) -> tuple[Any, ...]:
        return (f"<p>{_escape(remove_document(bot, path))}</p>", *ui_refresh())

    with gr.Blocks(title="Alliance facts assistant") as demo:
        gr.HTML(
            "<h1>Alliance facts assistant</h1><p>Renault–Nissan–Mitsubishi and their battery partners: answers "
            "quoted word for word from the documents, each quote [n] shown in its source.</p>",
            elem_id="app-title",
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=420):
                        chatbot = gr.Chatbot(
                            elem_id="chat",
                            height=520,
                            show_label=False,
                            latex_delimiters=[],
                            buttons=[],
                            feedback_options=None,
                            group_consecutive_messages=False,  # an error note must not merge into the last answer
                            placeholder="Ask about the alliance, Ampère, Verkor, AESC… in English or French.",
                        )
                        with gr.Row():
                            msg = gr.Textbox(
                                placeholder="Your question (English or French), then Enter",
                                show_label=False,
                                scale=6,
                                elem_id="question",
                                max_lines=4,
                            )
                            send = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="ask-btn")
                        mode = gr.Radio(
                            [MODE_EXTRACTIVE, MODE_GENERATIVE],
                            value=MODE_GENERATIVE if show_modes else MODE_EXTRACTIVE,
                            label="Answers",
                            visible=show_modes,
                            elem_id="answer-mode",
                        )
                        with gr.Row():
                            clear_btn = gr.Button("Clear chat", size="sm", elem_id="clear-btn")
                            copy_btn = gr.Button("Copy answer", size="sm", elem_id="copy-btn")
                        gr.HTML('<p class="examples-label">Examples — one click asks:</p>')
                        example_buttons = []
                        for group in (EXAMPLES_EN, EXAMPLES_FR):
                            with gr.Row(elem_classes=["examples-row"]):
                                for q in group:
                                    example_buttons.append((q, gr.Button(q, size="sm", elem_classes=["example-q"])))
                    with gr.Column(scale=2, min_width=320):
                        sources = gr.HTML(EMPTY_PANEL, elem_id="sources-panel")
                pairs = gr.State([])
                last_plain = gr.Textbox(visible=False)
            with gr.Tab("Documents", id="documents"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        files = gr.File(
                            label=f"Upload documents ({', '.join(UPLOAD_EXTENSIONS)}; "
                            f"at most {bot.settings.max_file_mb:g} MB each)",
                            file_count="multiple",
                            file_types=list(UPLOAD_EXTENSIONS),
                            elem_id="upload-files",
                        )
                        ingest_btn = gr.Button("Add to the index", variant="primary", elem_id="ingest-btn")
                        report = gr.HTML(elem_id="ingest-report")
                    with gr.Column(scale=2):
                        gr.HTML("<h3>Index status</h3>")
                        stats = gr.HTML(render_stats(bot), elem_id="index-stats")
                        doc_pick = gr.Dropdown(
                            choices=document_choices(bot), label="Remove a document", elem_id="remove-pick"
                        )
                        remove_btn = gr.Button("Remove from the index", variant="stop", size="sm")
                        remove_msg = gr.HTML()
                gr.HTML("<h3>Indexed documents</h3>")
                docs = gr.HTML(render_documents(bot), elem_id="documents-list")

        chat_inputs = [msg, chatbot, pairs, mode]
        chat_outputs = [msg, chatbot, sources, pairs, last_plain]
        msg.submit(ui_respond, chat_inputs, chat_outputs, api_visibility="private")
        send.click(ui_respond, chat_inputs, chat_outputs, api_visibility="private")
        for q, button in example_buttons:
            button.click(lambda q=q: q, None, msg, api_visibility="private", queue=False).then(
                ui_respond, chat_inputs, chat_outputs, api_visibility="private"
            )
        clear_btn.click(ui_clear, None, [msg, chatbot, sources, pairs, last_plain], api_visibility="private")
        chatbot.clear(ui_clear, None, [msg, chatbot, sources, pairs, last_plain], api_visibility="private")
        copy_btn.click(None, last_plain, None, js=COPY_JS, api_visibility="private")

        ingest_btn.click(ui_upload, files, [report, files, docs, stats, doc_pick], api_visibility="private")
        remove_btn.click(ui_remove, doc_pick, [remove_msg, docs, stats, doc_pick], api_visibility="private")
        demo.load(ui_refresh, None, [docs, stats, doc_pick], api_visibility="private")

        # API endpoints for gradio_client (names pinned: gradio would otherwise use function names).
        gr.api(ask_api, api_name="ask")
        gr.api(documents_api, api_name="documents")
        gr.api(stats_api, api_name="stats")
        gr.api(remove_api, api_name="remove")
        api_files = gr.File(file_count="multiple", visible=False)
        api_report = gr.JSON(visible=False)
        api_trigger = gr.Button(visible=False)
        api_trigger.click(upload_api, api_files, api_report, api_name="ingest")
    return demo


def launch(bot: Assistant, settings: Settings | None = None, **kwargs: Any) -> Any:
    """Build and launch the app (host/port/auth from settings unless given); returns the Blocks."""
    settings = settings or bot.settings
    options: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port,
        "auth": load_auth(settings.auth),
        "auth_message": "Alliance facts assistant: sign in",
        "max_file_size": int(settings.max_file_mb * 1024 * 1024),  # bytes: gradio reads "0.5mb" as an error
        "css": CSS,
        "head": HEAD,
        "ssr_mode": False,
        "show_error": True,
        "footer_links": ["api"],
    }
    options.update(kwargs)
    demo = build_app(bot)
    demo.launch(**options)
    return demo


def main() -> None:
    """``make run``: index sources/ when needed, then serve (a configuration error is one line, not a traceback)."""
    apply_offline_env()
    try:
        settings = Settings.from_env()
        load_auth(settings.auth)  # a bad ASSISTANT_AUTH fails before the slow first ingest
        bot = Assistant(settings=settings)
        report = ensure_index(bot, settings.sources_dir)
        if report is not None:
            print(f"index of {settings.sources_dir}/: {report.summary()}", flush=True)
            for path, reason in report.failed:
                print(f"  not indexed: {display_path(path)}: {reason}", flush=True)
        print(f"serving on http://{settings.host}:{settings.port}", flush=True)
        launch(bot, settings)
    except (AssistantError, ValueError, OSError) as exc:
        raise SystemExit(f"error: {exc}") from None
