"""Alliance facts assistant: answers about documents with citations a reader can check.

The Python API works without the CLI or the UI::

    from assistant import Assistant
    bot = Assistant(index_dir="index")
    bot.ingest(["sources/"])
    print(bot.ask("Who supplies batteries for small Renault cars?").text)
"""

from .core import Assistant
from .embedders import AssistantEmbedding, get_embedder, register_embedder
from .readers import extract_text
from .settings import Settings
from .types import (
    Answer,
    AssistantError,
    Citation,
    DocumentReadError,
    EmbedderMismatchError,
    IndexBusyError,
    IngestReport,
)

__all__ = [
    "Answer",
    "Assistant",
    "AssistantEmbedding",
    "AssistantError",
    "Citation",
    "DocumentReadError",
    "EmbedderMismatchError",
    "IndexBusyError",
    "IngestReport",
    "Settings",
    "extract_text",
    "get_embedder",
    "register_embedder",
]
__version__ = "0.1.0"
