"""A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

It speaks the real wire protocol (JSON, or server-sent events when ``stream`` is true)
so the real llama-index/openai client talks to it over a real socket. What it replies
is decided by the test: a fixed string, or a function of the request (which can read
the numbered passages out of the prompt, like a model would).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | Callable[[dict[str, Any]], str]


class OpenAIStubServer:
    """``with OpenAIStubServer(reply) as srv: ... srv.base_url ...``; ``srv.requests``/``srv.headers`` hold what it got."""

    def __init__(
        self,
        reply: Reply = "",
        *,
        model: str = "stub-model",
        chunk_chars: int = 7,
        status: int = 200,
        delay_s: float = 0.0,
    ) -> None:
        self.reply = reply
        self.delay_s = delay_s  # pause before each streamed chunk, to observe streaming
        self.finished_at = 0.0  # time.monotonic() just before the last chunk of a streamed reply was sent
        self.model = model
        self.chunk_chars = chunk_chars
        self.status = status
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="openai-stub", daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def spec(self) -> str:
        return f"openai-like:{self.base_url}#{self.model}"

    def __enter__(self) -> OpenAIStubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def text_for(self, body: dict[str, Any]) -> str:
        return self.reply(body) if callable(self.reply) else self.reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence request logging
                return

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": server.model, "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                if server.status != 200:
                    self._json(server.status, {"error": {"message": f"model {body.get('model')!r} not found"}})
                    return
                text = server.text_for(body)
                created = int(time.time())
                if not body.get("stream"):
                    self._json(
                        200,
                        {
                            "id": "chatcmpl-stub",
                            "object": "chat.completion",
                            "created": created,
                            "model": server.model,
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": text},
                                    "finish_reason": "stop",
                                }
                            ],
                            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                        },
                    )
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = [text[i : i + server.chunk_chars] for i in range(0, len(text), server.chunk_chars)]
                deltas = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces]
                for i, delta in enumerate(deltas):
                    if server.delay_s:
                        time.sleep(server.delay_s)
                    last = i == len(deltas) - 1
                    chunk = {
                        "id": "chatcmpl-stub",
                        "object": "chat.completion.chunk",
                        "created": created,
                        "model": server.model,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if last else None}],
                    }
                    if last:  # stamped before the write: a client cannot read the end before it is stamped
                        server.finished_at = time.monotonic()
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


def passages_in(body: dict[str, Any]) -> dict[int, str]:
    """The numbered passages of the prompt in a request: {n: passage text}."""
    user = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
    return {int(n): t.strip() for n, t in re.findall(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', user, re.DOTALL)}


def passage_with(body: dict[str, Any], needle: str) -> int:
    """Number of the first passage containing ``needle`` (case-insensitive); 0 when none does."""
    for n, text in sorted(passages_in(body).items()):
        if needle.lower() in text.lower():
            return n
    return 0
