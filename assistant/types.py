"""Plain data records shared by the core, the CLI, the UI and the evals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class AssistantError(Exception):
    """Base class of errors a user should see as a message, not a traceback."""


class EmbedderMismatchError(AssistantError):
    """The index was built with another embedder: its vectors would be garbage."""


class DocumentReadError(AssistantError):
    """A file could not be turned into text (empty, binary, corrupt, unsupported)."""


class IndexBusyError(AssistantError):
    """Another process holds the embedded index."""


@dataclass
class Citation:
    """A verbatim quote: ``extract_text(source)[start:end] == quote`` always holds."""

    n: int
    source: str
    title: str
    quote: str
    start: int
    end: int
    score: float
    lang: str = ""
    chunk_id: str = ""
    context: str = ""  # surrounding chunk text, for display
    context_start: int = 0  # offset of ``context`` in the document text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    question: str = ""
    lang: str = "en"
    short_answer: str = ""  # the answer span stated first, when one was found
    related: list[Citation] = field(default_factory=list)  # reading offered on abstention
    unsupported: list[str] = field(default_factory=list)  # generated sentences no quote supports
    notice: str = ""  # e.g. "LLM unreachable: ... (extractive answer shown)"
    mode: str = "extractive"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    chunks_embedded: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, removed {len(self.removed)}, "
            f"unchanged {len(self.unchanged)}, failed {len(self.failed)}; "
            f"{self.chunks_embedded} chunks embedded in {self.seconds:.1f}s"
        )
