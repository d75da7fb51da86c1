"""Gradio adapter (minimal chat page). gradio is imported here only, lazily."""

from __future__ import annotations

from typing import Any

from .core import Assistant
from .settings import Settings, apply_offline_env


def ensure_index(bot: Assistant, sources_dir: str) -> None:
    """Build the index of the bundled sources on first start (and bring it in step after)."""
    bot.ingest([sources_dir], sync=True)


def build_app(bot: Assistant) -> Any:
    import gradio as gr

    def ask(question: str) -> dict[str, Any]:
        return bot.ask(question).to_dict()

    def chat(message: str, history: list[dict[str, Any]]) -> str:
        try:
            return bot.ask(message, history=history).text
        except ValueError as exc:
            return f"⚠️ {exc}"

    with gr.Blocks(title="Alliance facts assistant") as demo:
        gr.ChatInterface(chat)
        hidden_in = gr.Textbox(visible=False)
        hidden_out = gr.JSON(visible=False)
        hidden_in.submit(ask, hidden_in, hidden_out, api_name="ask")
    return demo


def main() -> None:
    apply_offline_env()
    settings = Settings.from_env()
    bot = Assistant(settings=settings)
    ensure_index(bot, settings.sources_dir)
    build_app(bot).launch(server_name=settings.host, server_port=settings.port)
