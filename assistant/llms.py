"""Generative backends behind one spec string (``ASSISTANT_LLM``), all llama-index ``LLM`` objects.

* ``none`` - no LLM: the extractive answerer;
* ``openai-like:<base_url>#<model>`` - any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio, ...);
* ``ollama:<model>[@<url>]`` - an Ollama server (default ``http://127.0.0.1:11434``);
* ``gguf:<path>`` - a local GGUF model run in this process by ``xllamacpp`` (loaded once per process).

Backends live in a small registry (``register_llm``) so a new kind of server is one
function, not another branch. Network backends never retry and give up connecting
after ``Settings.llm_connect_timeout`` seconds: an unreachable server must turn into a
clear message quickly, not a retry storm.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from llama_index.core.llms.llm import LLM

from .settings import Settings
from .types import AssistantError

LLMFactory = Callable[[str, Settings], LLM]

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_MAX_TOKENS = 512
DEFAULT_CONTEXT = 4096

_BACKENDS: dict[str, LLMFactory] = {}
_SPEC_HELP = "none | openai-like:<base_url>#<model> | ollama:<model>[@<url>] | gguf:<path to .gguf>"


class LLMConfigError(AssistantError):
    """``ASSISTANT_LLM`` names a backend that cannot be built (bad spec, missing model file)."""


def register_llm(scheme: str) -> Callable[[LLMFactory], LLMFactory]:
    """Register ``factory(argument, settings) -> LLM`` for specs ``<scheme>:<argument>``."""

    def deco(factory: LLMFactory) -> LLMFactory:
        _BACKENDS[scheme] = factory
        return factory

    return deco


def available_backends() -> list[str]:
    return sorted(_BACKENDS)


def get_llm(settings: Settings | str) -> LLM | None:
    """The backend ``settings.llm`` names (None for ``none``); raises ``LLMConfigError`` on a bad spec."""
    if isinstance(settings, str):
        settings = Settings.from_env(llm=settings)
    spec = (settings.llm or "none").strip()
    if spec.lower() in ("", "none"):
        return None
    scheme, sep, arg = spec.partition(":")
    factory = _BACKENDS.get(scheme.strip().lower())
    if not sep or factory is None:
        raise LLMConfigError(
            f"unknown LLM backend {spec!r}; expected {_SPEC_HELP} (registered: {', '.join(available_backends())})"
        )
    return factory(arg.strip(), settings)


def option(settings: Settings, name: str, default: int) -> int:
    """A numeric backend option: ``settings.extra[name]``, else env ``ASSISTANT_<NAME>``, else ``default``."""
    raw = settings.extra.get(name) if settings.extra else None
    if raw is None:
        raw = os.environ.get(f"ASSISTANT_{name.upper()}")
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        raise LLMConfigError(f"ASSISTANT_{name.upper()} must be a whole number, not {raw!r}") from None


def describe_backend(llm: Any) -> str:
    """Where a backend lives, for messages: its URL or model file."""
    for attr in ("api_base", "base_url", "model_path"):
        value = getattr(llm, attr, None)
        if value:
            model = getattr(llm, "model", "")
            return f"{value} (model {model})" if model and attr != "model_path" else str(value)
    return type(llm).__name__


def _timeout(settings: Settings) -> Any:
    import httpx

    return httpx.Timeout(settings.llm_timeout, connect=settings.llm_connect_timeout)


# ---------------------------------------------------------------- OpenAI-compatible servers


def _openai_like_class() -> type:
    from llama_index.llms.openai_like import OpenAILike

    class ShortConnectOpenAILike(OpenAILike):
        """``OpenAILike`` that gives up connecting after ``connect_timeout`` s and honours per-call ``max_tokens``."""

        connect_timeout: float = Field(default=3.0, description="Seconds to wait for the TCP connection.")

        def _get_credential_kwargs(self, is_async: bool = False) -> dict[str, Any]:
            import httpx

            kwargs = super()._get_credential_kwargs(is_async)
            kwargs["timeout"] = httpx.Timeout(self.timeout, connect=self.connect_timeout)
            return kwargs

        def _get_model_kwargs(self, **kwargs: Any) -> dict[str, Any]:
            model_kwargs = super()._get_model_kwargs(**kwargs)
            if "max_tokens" in kwargs:  # a per-call limit wins over the instance's (OpenAI ignores it)
                model_kwargs["max_tokens"] = kwargs["max_tokens"]
            return model_kwargs

    return ShortConnectOpenAILike


@register_llm("openai-like")
def openai_like(arg: str, settings: Settings) -> LLM:
    base_url, sep, model = arg.rpartition("#")
    if not sep or not base_url or not model:
        raise LLMConfigError(
            f"openai-like backend needs <base_url>#<model>, e.g. openai-like:http://127.0.0.1:8080/v1#qwen2.5; got {arg!r}"
        )
    if not base_url.startswith(("http://", "https://")):
        raise LLMConfigError(f"openai-like base URL must start with http:// or https://; got {base_url!r}")
    cls = _openai_like_class()
    return cls(
        model=model,
        api_base=base_url.rstrip("/"),
        api_key=settings.llm_api_key or "not-needed",
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=option(settings, "llm_ctx", DEFAULT_CONTEXT),
        max_tokens=option(settings, "llm_max_tokens", DEFAULT_MAX_TOKENS),
        temperature=0.0,
        timeout=settings.llm_timeout,
        connect_timeout=settings.llm_connect_timeout,
        max_retries=0,
    )


# ---------------------------------------------------------------- Ollama


@register_llm("ollama")
def ollama(arg: str, settings: Settings) -> LLM:
    from llama_index.llms.ollama import Ollama
    from ollama import Client

    model, _, url = arg.partition("@")
    model, url = model.strip(), (url.strip() or DEFAULT_OLLAMA_URL).rstrip("/")
    if not model:
        raise LLMConfigError(f"ollama backend needs a model name, e.g. ollama:llama3.2@{DEFAULT_OLLAMA_URL}")
    if not url.startswith(("http://", "https://")):
        raise LLMConfigError(f"ollama URL must start with http:// or https://; got {url!r}")
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    max_tokens = option(settings, "llm_max_tokens", DEFAULT_MAX_TOKENS)
    return Ollama(
        model=model,
        base_url=url,
        temperature=0.0,
        # a known context window avoids an extra /api/show round trip before every answer
        context_window=option(settings, "llm_ctx", DEFAULT_CONTEXT),
        request_timeout=settings.llm_timeout,
        additional_kwargs={"num_predict": max_tokens},
        client=Client(host=url, timeout=_timeout(settings), headers=headers),
        is_function_calling_model=False,
        headers=headers or None,
    )


# ---------------------------------------------------------------- local GGUF through xllamacpp

_SERVERS: dict[tuple[str, int, int], Any] = {}
_SERVERS_LOCK = threading.Lock()
_DONE = object()


def default_threads() -> int:
    """Half the logical CPUs (at most 8): llama.cpp threads that share a core wait on each other."""
    return max(1, min(8, (os.cpu_count() or 2) // 2))


def load_gguf(path: str, n_ctx: int = DEFAULT_CONTEXT, n_threads: int = 0) -> Any:
    """The xllamacpp server for ``path``, loaded once per process (a model load takes seconds)."""
    real = os.path.realpath(path)
    threads = n_threads or default_threads()
    key = (real, n_ctx, threads)
    with _SERVERS_LOCK:
        server = _SERVERS.get(key)
        if server is None:
            check_gguf(real)
            import xllamacpp as xlc

            params = xlc.CommonParams()
            params.model.path = real
            params.n_ctx = n_ctx
            params.n_parallel = 1
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
            # no busy-waiting between tokens: on a shared CPU spinning threads starve each other
            params.cpuparams.poll = 0
            params.cpuparams_batch.poll = 0
            params.verbosity = 0
            params.warmup = False
            try:
                server = xlc.Server(params)
            except RuntimeError as exc:
                raise LLMConfigError(f"xllamacpp could not load {real}: {exc}") from exc
            _SERVERS[key] = server
    return server


def check_gguf(path: str) -> None:
    p = Path(path)
    if not p.is_file():
        raise LLMConfigError(f"no GGUF model file at {path}")
    with open(p, "rb") as fh:
        if fh.read(4) != b"GGUF":
            raise LLMConfigError(f"{path} is not a GGUF model file (it does not start with the GGUF magic bytes)")


class XLlamaCppLLM(CustomLLM):
    """A GGUF model run in process by xllamacpp (llama.cpp), as a llama-index LLM.

    Chat uses the model's own chat template (llama.cpp applies the GGUF's jinja template).
    """

    model_path: str = Field(description="Path of the .gguf file.")
    max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, description="Most tokens generated per reply.")
    temperature: float = Field(default=0.0)
    context_window: int = Field(default=DEFAULT_CONTEXT)
    n_threads: int = Field(default=0, description="CPU threads; 0 = half the logical CPUs (at most 8).")
    timeout: float = Field(default=60.0, description="Seconds to wait for the next token before giving up.")
    _last_timings: dict[str, Any] = PrivateAttr(default_factory=dict)

    @classmethod
    def class_name(cls) -> str:
        return "xllamacpp_gguf"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=Path(self.model_path).name,
        )

    @property
    def last_timings(self) -> dict[str, Any]:
        """llama.cpp's timings of the last reply (prompt/predicted tokens per second)."""
        return dict(self._last_timings)

    def load(self) -> Any:
        return load_gguf(self.model_path, self.context_window, self.n_threads)

    def _body(self, kwargs: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "max_tokens": int(kwargs.get("max_tokens", self.max_tokens)),
            "temperature": float(kwargs.get("temperature", self.temperature)),
            **extra,
        }

    @staticmethod
    def _messages(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
        return [{"role": m.role.value, "content": m.content or ""} for m in messages]

    def _call(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        result = getattr(self.load(), method)(body)
        if not isinstance(result, dict) or "choices" not in result:
            raise RuntimeError(f"xllamacpp returned no completion: {str(result)[:300]}")
        self._last_timings = dict(result.get("timings") or {})
        return result

    def _stream(self, method: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Turn xllamacpp's blocking callback stream into a generator (closing it stops generation)."""
        server = self.load()
        chunks: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk: Any) -> bool:
            chunks.put(chunk)
            return stop.is_set()

        def run() -> None:
            try:
                getattr(server, method)({**body, "stream": True}, on_chunk)
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer thread and re-raised there
                chunks.put(exc)
            finally:
                chunks.put(_DONE)

        threading.Thread(target=run, name="xllamacpp-stream", daemon=True).start()
        wait = max(self.timeout, 300.0)  # the first chunk comes after the whole prompt is read
        try:
            while True:
                try:
                    item = chunks.get(timeout=wait)
                except queue.Empty:
                    raise TimeoutError(f"no token from {self.model_path} within {wait:.0f}s") from None
                wait = self.timeout
                if item is _DONE:
                    return
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, dict) and item.get("error"):
                    raise RuntimeError(f"xllamacpp error: {item['error']}")
                if isinstance(item, dict) and item.get("timings"):
                    self._last_timings = dict(item["timings"])
                yield item
        finally:
            stop.set()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        result = self._call("handle_completions", self._body(kwargs, prompt=prompt))
        return CompletionResponse(text=result["choices"][0].get("text") or "", raw=result)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        body = self._body(kwargs, prompt=prompt)

        def gen() -> CompletionResponseGen:
            text = ""
            for chunk in self._stream("handle_completions", body):
                delta = "".join((c.get("text") or "") for c in chunk.get("choices") or [])
                text += delta
                yield CompletionResponse(text=text, delta=delta, raw=chunk)

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        result = self._call("handle_chat_completions", self._body(kwargs, messages=self._messages(messages)))
        content = (result["choices"][0].get("message") or {}).get("content") or ""
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=content), raw=result)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        body = self._body(kwargs, messages=self._messages(messages))

        def gen() -> ChatResponseGen:
            text = ""
            for chunk in self._stream("handle_chat_completions", body):
                delta = "".join(((c.get("delta") or {}).get("content") or "") for c in chunk.get("choices") or [])
                text += delta
                yield ChatResponse(
                    message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta, raw=chunk
                )

        return gen()


@register_llm("gguf")
def gguf(arg: str, settings: Settings) -> LLM:
    path = os.path.expanduser(arg)
    if not path:
        raise LLMConfigError("gguf backend needs a model path, e.g. gguf:/models/qwen2.5-1.5b-instruct-q4_k_m.gguf")
    check_gguf(path)
    return XLlamaCppLLM(
        model_path=os.path.realpath(path),
        max_tokens=option(settings, "llm_max_tokens", DEFAULT_MAX_TOKENS),
        context_window=option(settings, "llm_ctx", DEFAULT_CONTEXT),
        n_threads=option(settings, "llm_threads", 0),
        timeout=settings.llm_timeout,
    )


__all__ = [
    "LLMConfigError",
    "XLlamaCppLLM",
    "available_backends",
    "describe_backend",
    "get_llm",
    "load_gguf",
    "register_llm",
]
