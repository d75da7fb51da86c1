"""File readers: one function per format, all returning the text that offsets refer to.

``extract_text(path)`` is deterministic, so a citation can be re-checked at any time as
``extract_text(source)[start:end] == quote``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .text import detect_language
from .types import DocumentReadError

SUPPORTED_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ExtractedDocument:
    path: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.metadata.get("title", "")

    @property
    def lang(self) -> str:
        return self.metadata.get("lang", "und")


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- decoding


def decode_text(data: bytes) -> str:
    """Bytes -> str for text files: BOMs, UTF-8, UTF-16 without BOM, then Windows-1252/latin-1."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if len(data) >= 4:
        even_nuls = data[0::2].count(0)
        odd_nuls = data[1::2].count(0)
        half = len(data) / 2
        if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
            return data.decode("utf-16-le", errors="strict")
        if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
            return data.decode("utf-16-be", errors="strict")
    if b"\x00" in data:
        raise DocumentReadError("binary data (NUL bytes), not text")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text


def _check_is_text(text: str) -> None:
    if not text.strip():
        raise DocumentReadError("no text (empty file)")
    sample = text[:20000]
    bad = sum(1 for c in sample if (unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\n\t\f"))
    if bad > max(2, len(sample) * 0.01):
        raise DocumentReadError("looks like binary data, not text")
    letters = sum(1 for c in sample if c.isalpha())
    if letters < max(1, len(sample.strip()) * 0.3):
        raise DocumentReadError("too few letters: not a readable text document")


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---`` key: value ``---`` header (markdown and text sources) -> (metadata, body)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            key = key.strip().lower()
            if re.fullmatch(r"[a-z_][a-z0-9_-]*", key):
                meta[key] = value.strip().strip('"')
    return meta, text[m.end() :].lstrip("\n")


# ---------------------------------------------------------------- readers


def read_plain(data: bytes) -> tuple[str, dict[str, str]]:
    text = _normalise(decode_text(data))
    meta, body = split_front_matter(text)
    if "title" not in meta:
        head = re.match(r"\s*#\s+(.+)", body)
        if head:
            meta["title"] = head.group(1).strip()
    return body, meta


_BLOCK_TAGS = (
    "p div section article header footer aside nav main h1 h2 h3 h4 h5 h6 li ul ol table tr "
    "blockquote pre figure figcaption dl dt dd br hr title"
).split()


CELL_SEPARATOR = " | "


def read_html(data: bytes) -> tuple[str, dict[str, str]]:
    """Visible text of an HTML page; scripts, styles and comments never reach the index."""
    from bs4 import BeautifulSoup, Comment

    raw = _normalise(decode_text(data))
    soup = BeautifulSoup(raw, "html.parser")
    meta: dict[str, str] = {}
    html = soup.find("html")
    if html is not None and html.get("lang"):
        meta["lang"] = str(html.get("lang")).split("-")[0].lower()
    if soup.title and soup.title.get_text(strip=True):
        meta["title"] = soup.title.get_text(" ", strip=True)
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").lower().replace("og:", "")
        if name in {"author", "publisher", "source", "note", "description", "date", "title"} and tag.get("content"):
            meta.setdefault(name, str(tag.get("content")).strip())
    for tag in soup(["script", "style", "noscript", "template", "head", "iframe", "object", "svg"]):
        tag.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    for cell in soup.find_all(["td", "th"]):
        # a table row reads "Densité visée | 450 Wh/kg", as in a Markdown table, not "Densité visée450 Wh/kg"
        if cell.find_next_sibling(["td", "th"]) is not None:
            cell.insert_after(CELL_SEPARATOR)
    root = soup.body or soup
    text = root.get_text()
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if "title" not in meta:
        h1 = soup.find("h1")
        if h1:
            meta["title"] = h1.get_text(" ", strip=True)
    return text, meta


def read_pdf(data: bytes) -> tuple[str, dict[str, str]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several kinds
                raise DocumentReadError(f"encrypted PDF: {exc}") from exc
            if not ok:
                raise DocumentReadError("encrypted PDF (password required)")
        pages = [(p.extract_text() or "").strip() for p in reader.pages]
        info = reader.metadata or {}
    except DocumentReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise DocumentReadError(f"corrupt or unreadable PDF: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - any pypdf failure means "unreadable", not a crash
        raise DocumentReadError(f"corrupt or unreadable PDF: {type(exc).__name__}: {exc}") from exc
    text = _normalise("\n\n".join(p for p in pages if p))
    meta = {}
    for key, name in (("/Title", "title"), ("/Author", "author")):
        value = info.get(key) if hasattr(info, "get") else None
        if value:
            meta[name] = str(value)
    return text, meta


def read_docx(data: bytes) -> tuple[str, dict[str, str]]:
    import io
    import zipfile

    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentReadError(f"corrupt or unreadable DOCX: {exc}") from exc
    except Exception as exc:  # noqa: BLE001
        raise DocumentReadError(f"corrupt or unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    paras = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    text = _normalise("\n\n".join(paras))
    props = document.core_properties
    meta = {}
    if props.title:
        meta["title"] = props.title
    if props.author:
        meta["author"] = props.author
    if props.language:
        meta["lang"] = props.language.split("-")[0].lower()
    return text, meta


READERS: dict[str, Callable[[bytes], tuple[str, dict[str, str]]]] = {
    ".txt": read_plain,
    ".md": read_plain,
    ".markdown": read_plain,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def read_bytes(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DocumentReadError(f"cannot read file: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise DocumentReadError(f"file too large ({size / 1e6:.1f} MB > limit {max_bytes / 1e6:.1f} MB)")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise DocumentReadError(f"cannot read file: {exc.strerror or exc}") from exc


def parse_document(path: str | Path, data: bytes) -> ExtractedDocument:
    """Turn a file's bytes into text plus metadata (title, lang, author, publisher, source, format)."""
    p = Path(path)
    ext = p.suffix.lower()
    reader = READERS.get(ext)
    if reader is None:
        raise DocumentReadError(
            f"unsupported file type {ext or '(none)'}; supported: {', '.join(SUPPORTED_EXTENSIONS)}"
        )
    if not data:
        raise DocumentReadError("empty file (0 bytes)")
    try:
        text, meta = reader(data)
    except UnicodeDecodeError as exc:
        raise DocumentReadError(f"cannot decode text: {exc}") from exc
    _check_is_text(text)
    meta = {k: v for k, v in meta.items() if v}
    meta.setdefault("title", p.stem.replace("-", " ").replace("_", " "))
    lang = meta.get("lang", "").lower()[:2]
    meta["lang"] = lang if re.fullmatch(r"[a-z]{2}", lang or "") else detect_language(text)
    meta["format"] = ext.lstrip(".")
    return ExtractedDocument(path=str(path), text=text, metadata=meta)


def load_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractedDocument:
    return parse_document(path, read_bytes(path, max_bytes))


def extract_text(path: str | Path) -> str:
    """The exact text that citation offsets of ``path`` refer to."""
    return load_document(path, max_bytes=1 << 40).text
