"""The chat UI's handlers (plain functions, no browser) and its API through gradio_client."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import free_port

from assistant import Answer, Assistant, Citation, extract_text
from assistant.gradio_ui import (
    EMPTY_PANEL,
    MODE_EXTRACTIVE,
    MODE_GENERATIVE,
    UploadRejected,
    build_app,
    chat_turn,
    check_upload,
    citation_window,
    ensure_index,
    ingest_uploads,
    launch,
    llm_choice,
    load_auth,
    plain_answer,
    remove_document,
    render_answer,
    render_card,
    render_documents,
    render_partial,
    render_sources,
    render_stats,
    sanitize_filename,
    store_upload,
)

ROOT = Path(__file__).resolve().parents[1]
XSS_NOTE = ROOT / "tests" / "fixtures" / "ui" / "xss-test-note.md"
PAYLOADS = ("<script>", "<img src=x onerror=")


@pytest.fixture
def note_bot(toy_bot: Assistant) -> Assistant:
    """Toy-embedder assistant over the XSS test note (a document full of markup)."""
    toy_bot.ingest([XSS_NOTE])
    return toy_bot


def _tags(fragment: str) -> list[str]:
    return re.findall(r"<\s*([a-zA-Z]+)", fragment)


# ------------------------------------------------------------------ import hygiene


def test_ui_module_imports_without_gradio() -> None:
    code = "import sys, assistant.gradio_ui, assistant; assert 'gradio' not in sys.modules, 'gradio imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ------------------------------------------------------------------ answer rendering


def test_answer_with_markup_is_escaped_and_citations_link_to_cards(note_bot: Assistant) -> None:
    ans = note_bot.ask("When was the Flins test track resurfaced?")
    assert ans.citations and not ans.abstained
    assert any(p in ans.citations[0].quote for p in PAYLOADS)  # the quote really carries markup
    out = render_answer(ans)
    assert "<img" not in out and "<script" not in out
    assert html.escape(ans.citations[0].quote) in out
    assert set(_tags(out)) <= {"div", "p", "a", "br", "span"}
    for c in ans.citations:
        assert f'<a href="#cite-{c.n}" class="cite-ref"' in out
    assert "\n\n" not in out  # one HTML block: the chatbot's markdown pass must not split it


def test_render_answer_links_only_existing_citations_and_marks_extras() -> None:
    cite = Citation(1, "/nowhere/a.txt", "A", "It is 12 GWh.", 0, 13, 0.9, "en", context="It is 12 GWh.")
    ans = Answer(
        text="It is 12 GWh [1]. Verkor is in Grenoble [7].",
        abstained=False,
        citations=[cite],
        unsupported=["Verkor is in Grenoble [7]."],
        notice="LLM unreachable: connection refused (extractive answer shown)",
        mode="generative",
    )
    out = render_answer(ans)
    assert 'href="#cite-1"' in out and 'href="#cite-7"' not in out and "[7]" in out
    assert '<span class="unsupported"' in out and "1 sentence from the model not supported by any quote (marked)" in out
    assert 'class="notice"' in out and "LLM unreachable" in out
    assert "generative" in out


def test_unsupported_sentences_left_out_of_the_text_are_listed_struck() -> None:
    ans = Answer(
        text="It is 12 GWh [1].",
        abstained=False,
        citations=[Citation(1, "/nowhere/a.txt", "A", "It is 12 GWh.", 0, 13, 0.9, "en")],
        unsupported=["The plant runs on <b>moonlight</b> [2]."],
        mode="generative",
    )
    out = render_answer(ans)
    assert '<li class="unsupported">The plant runs on &lt;b&gt;moonlight&lt;/b&gt; [2].</li>' in out
    assert "(left out)" in out and "<b>" not in out


def test_abstention_looks_different_from_an_answer(note_bot: Assistant) -> None:
    ans = note_bot.ask("What is the capital of Peru?")
    assert ans.abstained
    out = render_answer(ans)
    assert 'class="answer abstained"' in out and "No answer in the sources" in out
    fr = note_bot.ask("Quelle est la capitale du Pérou ?")
    assert fr.abstained and "Pas de réponse dans les sources" in render_answer(fr)
    panel = render_sources(ans)
    if ans.related:  # reading offered on abstention is labelled as not an answer
        assert "Related reading (not an answer)" in panel and 'id="related-1"' in panel
        assert 'id="cite-' not in panel


def test_partial_render_is_escaped() -> None:
    out = render_partial('Colas <img src=x onerror="alert(1)"> [2]')
    assert "<img" not in out and "&lt;img src=x" in out and 'href="#cite-2"' in out


def test_plain_answer_lists_sources_for_the_clipboard(note_bot: Assistant) -> None:
    ans = note_bot.ask("When was the Flins test track resurfaced?")
    text = plain_answer(ans)
    assert text.startswith(ans.text.strip())
    assert "Sources:" in text and "[1] " in text and "xss-test-note.md" in text
    assert "<a " not in text


# ------------------------------------------------------------------ source cards


def test_card_highlights_the_quote_in_wider_escaped_context(note_bot: Assistant) -> None:
    ans = note_bot.ask("When was the Flins test track resurfaced?")
    c = ans.citations[0]
    assert any(p in c.quote for p in PAYLOADS)
    before, quote, after = citation_window(c)
    doc = extract_text(c.source)
    assert quote == doc[c.start : c.end] == c.quote
    assert doc[c.start - len(before.lstrip("…")) : c.start] == before.lstrip("…")
    assert len(before) + len(after) > len(c.context) - len(c.quote)  # wider than the chunk alone
    card = render_card(c)
    assert f'id="cite-{c.n}"' in card
    assert f"<mark>{html.escape(c.quote)}</mark>" in card
    assert "<img" not in card and "<script" not in card and "&lt;script&gt;" in card  # neighbour sentence too
    assert c.title in html.unescape(card) and "xss-test-note.md" in card and f"{c.score:.3f}" in card
    assert f">{c.lang}<" in card
    panel = render_sources(ans)
    assert panel.count('class="source-card"') == len(ans.citations)


def test_card_falls_back_to_chunk_context_when_the_file_changed(tmp_path: Path, toy_bot: Assistant) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Renault named its battery partner. The partner is Verkor, based in Grenoble. More text follows.")
    toy_bot.ingest([doc])
    ans = toy_bot.ask("Where is Verkor based?")
    c = ans.citations[0]
    doc.write_text("Rewritten entirely <b>later</b>.")
    before, quote, after = citation_window(c)
    assert quote == c.quote and (before + quote + after) == c.context
    assert "Rewritten" not in render_card(c)


def test_empty_panel_and_no_answer() -> None:
    assert render_sources(None) == EMPTY_PANEL


# ------------------------------------------------------------------ chat turns


def test_chat_turn_streams_then_shows_sources_and_keeps_history(note_bot: Assistant) -> None:
    states = list(chat_turn(note_bot, "When was the Flins test track resurfaced?", [], []))
    partial = [s for s in states if s[3] is None]
    assert len(partial) >= 3  # user turn shown, then several streamed deltas before the final answer
    chat, panel, pairs, ans = states[-1]
    assert ans is not None and not ans.abstained
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert chat[-1]["content"] == render_answer(ans)
    assert panel == render_sources(ans) and 'id="cite-1"' in panel
    assert pairs == [["When was the Flins test track resurfaced?", ans.text]]
    # a follow-up carries the history: the pairs grow and the chat keeps both turns
    chat2, _panel2, pairs2, ans2 = list(chat_turn(note_bot, "And who did it?", chat, pairs))[-1]
    assert ans2 is not None and len(chat2) == 4 and len(pairs2) == 2 and pairs2[0] == pairs[0]


def test_chat_turn_reports_a_bad_question_without_losing_the_chat(note_bot: Assistant) -> None:
    before = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    chat, panel, pairs, ans = list(chat_turn(note_bot, "   ", before, [["hi", "hello"]]))[-1]
    assert ans is None and panel is None and pairs == [["hi", "hello"]]
    assert chat[:2] == before and "question is empty" in chat[-1]["content"]
    chat, *_ = list(chat_turn(note_bot, "x" * 5000, [], []))[-1]
    assert "too long" in chat[-1]["content"]


def test_user_message_is_escaped(note_bot: Assistant) -> None:
    chat, *_ = list(chat_turn(note_bot, "Is <img src=x onerror=alert(1)> the codename?", [], []))[-1]
    assert "<img" not in chat[0]["content"] and "&lt;img" in chat[0]["content"]


def test_mode_switch_maps_to_the_llm_argument(tmp_path: Path) -> None:
    assert llm_choice(MODE_EXTRACTIVE) is False and llm_choice("extractive") is False
    assert llm_choice(MODE_GENERATIVE) is None and llm_choice("auto") is None and llm_choice(None) is None
    # llm=False answers extractively even when a backend is configured (here one that cannot load)
    from conftest import ToyEmbedding

    bot = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding(), llm="gguf:/nonexistent/model.gguf")
    bot.ingest([XSS_NOTE])
    ans = list(chat_turn(bot, "When was the Flins test track resurfaced?", [], [], MODE_EXTRACTIVE))[-1][3]
    assert ans is not None and ans.mode == "extractive" and "2019" in ans.text


@pytest.mark.slow
def test_generative_mode_with_a_configured_llm(tmp_path: Path) -> None:
    """With an LLM configured the switch is shown; generative answers stream checked text, and
    "extractive" keeps the LLM out of it (the real openai-like client against a scripted server)."""
    from conftest import ToyEmbedding
    from openai_stub_server import OpenAIStubServer, passage_with

    def reply(body: dict) -> str:
        n = passage_with(body, "resurfaced in 2019")
        return f"The Flins test track was resurfaced in 2019 by the contractor Colas [{n}]. It also hosts a moon-rocket museum [{n}]."

    with OpenAIStubServer(reply) as srv:
        bot = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding(), llm=srv.spec())
        bot.ingest([XSS_NOTE])
        demo = build_app(bot)
        modes = [c for c in demo.config["components"] if c.get("props", {}).get("elem_id") == "answer-mode"]
        assert modes and modes[0]["props"]["visible"] is True
        assert modes[0]["props"]["value"] == MODE_GENERATIVE
        states = list(chat_turn(bot, "When was the Flins test track resurfaced?", [], [], MODE_GENERATIVE))
        ans = states[-1][3]
        assert ans is not None and ans.mode == "generative" and len(srv.requests) == 1
        assert "Colas" in ans.text and "moon-rocket" not in ans.text
        assert any("moon-rocket" in u for u in ans.unsupported)
        html_out = states[-1][0][-1]["content"]
        assert "moon-rocket" in html_out and 'class="unsupported' in html_out and "<img" not in html_out
        extractive = list(chat_turn(bot, "When was the Flins test track resurfaced?", [], [], MODE_EXTRACTIVE))[-1][3]
        assert extractive is not None and extractive.mode == "extractive" and len(srv.requests) == 1


def test_mode_switch_hidden_without_llm(toy_bot: Assistant) -> None:
    demo = build_app(toy_bot)
    modes = [c for c in demo.config["components"] if c.get("props", {}).get("elem_id") == "answer-mode"]
    assert modes and modes[0]["props"]["visible"] is False


# ------------------------------------------------------------------ uploads


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("report.md", "report.md"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("/etc/cron.d/evil.md", "evil.md"),
        ("C:\\Users\\me\\Notes Final.DOCX", "Notes Final.docx"),
        (".hidden.md", "hidden.md"),
        ("..", "upload"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("<script>x</script>.html", "script_.html"),
        ("-rf.txt", "rf.txt"),
        ("rapport été.md", "rapport été.md"),
    ],
)
def test_sanitize_filename(sent: str, stored: str) -> None:
    assert sanitize_filename(sent) == stored


def test_sanitized_names_are_short_and_plain() -> None:
    name = sanitize_filename("x" * 500 + ".pdf")
    assert len(name) <= 100 and name.endswith(".pdf")
    assert "/" not in sanitize_filename("a/../../b.md") and not sanitize_filename("...md").startswith(".")


def test_upload_limits_give_clear_messages(tmp_path: Path) -> None:
    ok = tmp_path / "ok.md"
    ok.write_text("fine")
    check_upload(ok, "ok.md", max_mb=1)
    with pytest.raises(UploadRejected, match=r"unsupported file type \.exe; accepted: \.txt"):
        check_upload(ok, "tool.exe", max_mb=1)
    with pytest.raises(UploadRejected, match="no extension"):
        check_upload(ok, "README", max_mb=1)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 1024 * 1024))
    with pytest.raises(UploadRejected, match=r"big.txt: file too large \(2.0 MB; the limit is 1 MB\)"):
        check_upload(big, "big.txt", max_mb=1)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(UploadRejected, match="empty"):
        check_upload(empty, "empty.txt", max_mb=1)


def test_same_name_never_overwrites(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    a, b = tmp_path / "a" / "note.md", tmp_path / "b" / "note.md"
    a.parent.mkdir()
    b.parent.mkdir()
    a.write_text("first version")
    b.write_text("second, different version")
    p1, new1 = store_upload(a, "note.md", uploads)
    p2, new2 = store_upload(b, "note.md", uploads)
    p3, new3 = store_upload(a, "../note.md", uploads)  # identical content again: reuse, no copy
    assert (p1.name, p2.name, p3) == ("note.md", "note-2.md", p1)
    assert (new1, new2, new3) == (True, True, False)
    assert p1.read_text() == "first version" and p2.read_text() == "second, different version"
    assert sorted(x.name for x in uploads.iterdir()) == ["note-2.md", "note.md"]


def test_ingest_uploads_stores_indexes_and_reports(toy_bot: Assistant, tmp_path: Path) -> None:
    bad_type = tmp_path / "data.csv"
    bad_type.write_text("a,b\n1,2\n")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    progress: list[tuple[int, int]] = []
    result = ingest_uploads(
        toy_bot, [str(XSS_NOTE), str(bad_type), {"path": str(binary), "orig_name": "binary.txt"}],
        lambda done, total, _p: progress.append((done, total)),
    )  # fmt: skip
    uploads = Path(toy_bot.settings.index_dir) / "uploads"
    stored = uploads / "xss-test-note.md"
    assert result.report is not None
    assert result.report.added == [str(stored.resolve())]
    assert [n for n, _ in result.rejected] == ["data.csv"] and "unsupported file type .csv" in result.rejected[0][1]
    assert [Path(p).name for p, _ in result.report.failed] == ["binary.txt"]
    assert not (uploads / "binary.txt").exists()  # a file that cannot be indexed is not kept
    assert sorted(x.name for x in uploads.iterdir()) == ["xss-test-note.md"]
    assert progress and progress[-1][0] == progress[-1][1]
    docs = toy_bot.documents()
    assert [d["path"] for d in docs] == [str(stored.resolve())] and docs[0]["chunks"] > 0
    d = result.to_dict()
    assert d["report"]["added"] and d["rejected"][0]["name"] == "data.csv" and "rejected" in d["summary"]
    # the same upload again: nothing new stored, nothing re-embedded
    again = ingest_uploads(toy_bot, [str(XSS_NOTE)])
    assert again.report is not None and again.report.unchanged == [str(stored.resolve())]
    assert again.report.chunks_embedded == 0


def test_documents_and_stats_render_escaped(note_bot: Assistant) -> None:
    docs_html = render_documents(note_bot)
    assert "xss-test-note.md" in docs_html and "Security test note" in docs_html
    assert "<script" not in docs_html
    stats_html = render_stats(note_bot)
    assert "toy:hash-64" in stats_html and "embedded" in stats_html and ">1<" in stats_html


def test_remove_document_deletes_only_uploaded_copies(toy_bot: Assistant, tmp_path: Path) -> None:
    result = ingest_uploads(toy_bot, [str(XSS_NOTE)])
    stored = Path(result.stored[0][1])
    outside = tmp_path / "kept.txt"
    outside.write_text("Renault and Verkor signed a battery supply deal in Grenoble.")
    toy_bot.ingest([outside])
    assert "deleted its uploaded copy" in remove_document(toy_bot, str(stored))
    assert not stored.exists()
    msg = remove_document(toy_bot, str(outside))
    assert msg.startswith("Removed") and outside.exists()
    assert toy_bot.documents() == []
    assert "not in the index" in remove_document(toy_bot, str(outside))
    assert remove_document(toy_bot, "") == "Choose a document to remove."


def test_ensure_index_syncs_only_the_sources_folder(toy_bot: Assistant, tmp_path: Path) -> None:
    src = tmp_path / "sources"
    src.mkdir()
    (src / "a.txt").write_text("Verkor will supply 12 GWh of batteries to Renault every year.")
    (src / "b.txt").write_text("AESC Envision will supply batteries for small Renault cars from Douai.")
    ingest_uploads(toy_bot, [str(XSS_NOTE)])
    first = ensure_index(toy_bot, src)
    assert first is not None and len(first.added) == 2
    (src / "b.txt").unlink()
    second = ensure_index(toy_bot, src)
    assert second is not None and [Path(p).name for p in second.removed] == ["b.txt"]
    assert sorted(Path(d["path"]).name for d in toy_bot.documents()) == ["a.txt", "xss-test-note.md"]
    assert ensure_index(toy_bot, tmp_path / "missing") is None


# ------------------------------------------------------------------ auth


def test_load_auth(tmp_path: Path) -> None:
    assert load_auth("") is None
    assert load_auth("alice:s3cr:et") == [("alice", "s3cr:et")]
    f = tmp_path / "users"
    f.write_text("# team\nalice:one\n\nbob:two\n")
    assert load_auth(str(f)) == [("alice", "one"), ("bob", "two")]
    f.write_text("alice\n")
    with pytest.raises(ValueError, match="line 1: expected user:password"):
        load_auth(str(f))
    with pytest.raises(ValueError, match="expected user:password"):
        load_auth("nopassword")


# ------------------------------------------------------------------ the launched app, through gradio_client


@pytest.mark.slow
def test_api_ask_returns_the_answer_with_checkable_citations(app_url: str) -> None:
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    names = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/ask", "/ingest", "/documents", "/stats", "/remove"} <= set(names)
    q = "How many GWh of batteries per year will Verkor supply to Renault?"
    ans = client.predict(question=q, api_name="/ask")
    assert ans["abstained"] is False and "12 GWh" in ans["text"] and ans["citations"]
    for c in ans["citations"]:
        assert {"n", "source", "title", "quote", "start", "end", "score", "lang"} <= set(c)
        assert extract_text(c["source"])[c["start"] : c["end"]] == c["quote"]
        assert f"[{c['n']}]" in ans["text"]
    follow = client.predict(question="And where will it build them?", history=[[q, ans["text"]]], api_name="/ask")
    assert follow["question"] == "And where will it build them?" and isinstance(follow["citations"], list)
    extractive = client.predict(question=q, mode="extractive", api_name="/ask")
    assert extractive["mode"] == "extractive" and extractive["text"] == ans["text"]
    with pytest.raises(Exception, match="The question is empty"):
        client.predict(question="   ", api_name="/ask")


@pytest.mark.slow
def test_api_upload_list_and_remove(app_url: str, sources_bot: Assistant, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    client = Client(app_url, verbose=False)
    before = client.predict(api_name="/stats")
    other = tmp_path / "xss-test-note.md"  # same name, other content: must not overwrite the first upload
    other.write_text("# Another note\n\nThe Douai plant is run by AESC Envision for Renault's small cars.\n")
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n")
    stored: list[str] = []
    try:
        out = client.predict(files=[handle_file(str(XSS_NOTE)), handle_file(str(bad))], api_name="/ingest")
        stored += [s["stored_as"] for s in out["stored"]]
        assert [Path(p).name for p in out["report"]["added"]] == ["xss-test-note.md"]
        assert out["rejected"][0]["name"] == "notes.csv" and "unsupported file type" in out["rejected"][0]["reason"]
        out2 = client.predict(files=[handle_file(str(other))], api_name="/ingest")
        stored += [s["stored_as"] for s in out2["stored"]]
        assert [Path(p).name for p in out2["report"]["added"]] == ["xss-test-note-2.md"]
        uploads = Path(sources_bot.settings.index_dir) / "uploads"
        assert all(Path(p).parent == uploads.resolve() for p in stored)
        docs = {d["file"]: d for d in client.predict(api_name="/documents")}
        assert set(stored) <= set(docs) and all(docs[p]["chunks"] > 0 for p in stored)
        assert client.predict(api_name="/stats")["documents"] == before["documents"] + 2
        ans = client.predict(question="Which contractor resurfaced the Flins test track?", api_name="/ask")
        assert ans["citations"] and ans["citations"][0]["source"] == stored[0]
    finally:
        for p in stored:
            client.predict(path=p, api_name="/remove")
    after = client.predict(api_name="/stats")
    assert after["documents"] == before["documents"] and after["chunks"] == before["chunks"]
    assert not any(Path(p).exists() for p in stored)


@pytest.mark.slow
def test_login_is_required_when_auth_is_set(sources_bot: Assistant) -> None:
    import httpx
    from gradio_client import Client

    port = free_port()
    settings = sources_bot.settings.with_(auth="alice:wonder-land", port=port)
    demo = launch(sources_bot, settings, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert httpx.get(url + "config").status_code == 401
        bad = httpx.post(url + "login", data={"username": "alice", "password": "wrong"})
        assert bad.status_code == 400
        client = Client(url, auth=("alice", "wonder-land"), verbose=False)
        assert client.predict(api_name="/stats")["documents"] > 0
    finally:
        demo.close()
