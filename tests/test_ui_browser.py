"""The chat page in a real browser (Debian's chromium through playwright): streamed answer,
source cards, [n] links, upload, and document markup that stays inert."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
XSS_NOTE = ROOT / "tests" / "fixtures" / "ui" / "xss-test-note.md"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (`make browser` installs it)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, app_url: str):  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs  # alerts raised by injected markup would land here
    pg.goto(app_url, wait_until="domcontentloaded")
    pg.wait_for_selector("#question textarea", timeout=60_000)
    yield pg
    context.close()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    """Type a question, send it, and wait until the final answer and its sources are shown."""
    before = page.locator("#chat .answer .meta").count()  # .meta closes a final answer only
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .answer .meta').length > n", arg=before, timeout=90_000
    )
    page.wait_for_function("() => document.querySelector('#question textarea').value === ''", timeout=30_000)


def last_answer_text(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#chat .answer").last.inner_text()


def test_streamed_cited_answer_source_cards_and_links(page) -> None:  # type: ignore[no-untyped-def]
    # streamed: the chat shows the answer in parts before the final one (and its sources) arrives
    page.evaluate(
        """() => { window.__parts = []; new MutationObserver(() => {
             const a = document.querySelectorAll('#chat .answer'); if (a.length) window.__parts.push(
               a[a.length - 1].className + '|' + a[a.length - 1].innerText.length); })
           .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }"""
    )
    ask(page, "Who supplies batteries for small Renault cars?")
    page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)
    parts = page.evaluate("window.__parts")
    assert any(p.startswith("answer streaming") for p in parts), parts
    text = last_answer_text(page)
    cards = page.locator("#sources-panel .source-card")
    assert cards.count() >= 1
    # every card shows its quote highlighted, and that quote is in the answer
    for i in range(cards.count()):
        card = cards.nth(i)
        quote = card.locator("mark").inner_text()
        assert quote and re.sub(r"\s+", " ", quote) in re.sub(r"\s+", " ", text)
        assert card.locator(".card-title").inner_text().strip()
        assert card.locator(".file").inner_text().startswith("sources/")
        assert card.locator(".lang").inner_text() in ("en", "fr")
        assert re.search(r"score \d\.\d{3}", card.inner_text())


def test_small_cars_battery_answer_names_aesc_envision(page) -> None:  # type: ignore[no-untyped-def]
    """The issue's acceptance question: the answer and its source card name the supplier."""
    ask(page, "Who supplies batteries for small Renault cars?")
    text = last_answer_text(page)
    assert "AESC Envision" in text, f"the answer does not name AESC Envision: {text!r}"
    marks = page.locator("#sources-panel .source-card mark").all_inner_texts()
    assert any("AESC Envision" in m for m in marks), marks


def test_clicking_a_citation_brings_its_card_into_view(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "Quelle quantité de batteries Verkor livrera-t-elle chaque année à Renault ?")
    links = page.locator("#chat a.cite-ref")
    assert links.count() >= 1
    last = links.last
    n = re.fullmatch(r"\[(\d+)\]", last.inner_text()).group(1)  # type: ignore[union-attr]
    panel = page.locator("#sources-panel")
    panel.evaluate("el => { el.style.maxHeight = '220px'; el.scrollTop = 0; }")  # make the panel scroll
    card = page.locator(f"#cite-{n}")
    if n != "1":
        assert not _inside(panel, card), "the card was already in view: nothing to test"
    last.click()
    page.wait_for_function(f"() => document.getElementById('cite-{n}').classList.contains('targeted')")
    page.wait_for_timeout(400)
    assert _inside(panel, card)
    assert page.evaluate("location.hash") in ("", f"#cite-{n}")
    page.screenshot(path=str(ARTIFACTS / "ui-citation-click.png"), full_page=True)


def _inside(panel, card) -> bool:  # type: ignore[no-untyped-def]
    """True when the card's top is visible within the panel's visible box and the window."""
    p, c = panel.bounding_box(), card.bounding_box()
    vh = card.page.viewport_size["height"]
    return p["y"] - 1 <= c["y"] < p["y"] + p["height"] and 0 <= c["y"] < vh


def test_examples_copy_and_clear(page) -> None:  # type: ignore[no-untyped-def]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Depuis quand Renault est-il actionnaire de Verkor ?").click()
    page.wait_for_function("() => document.querySelector('#chat .answer .meta') !== null", timeout=90_000)
    text = last_answer_text(page)
    assert "2021" in text
    page.click("#copy-btn")
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "2021" in copied and "Sources:" in copied and "<a " not in copied
    page.click("#clear-btn")
    page.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 0")
    assert page.locator("#sources-panel .source-card").count() == 0


def test_uploaded_markup_stays_inert(page, sources_bot: Assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    upload = tmp_path / XSS_NOTE.name
    shutil.copy(XSS_NOTE, upload)
    stored = Path(sources_bot.settings.index_dir).resolve() / "uploads" / XSS_NOTE.name
    try:
        page.get_by_role("tab", name="Documents").click()
        page.set_input_files("#upload-files input[type=file]", str(upload))
        page.wait_for_timeout(500)
        page.click("#ingest-btn")
        page.wait_for_function(
            "() => (document.querySelector('#ingest-report') || {}).innerText?.includes('added 1')", timeout=90_000
        )
        assert "xss-test-note.md" in page.locator("#documents-list").inner_text()
        assert "Security test note" in page.locator("#documents-list").inner_text()
        page.screenshot(path=str(ARTIFACTS / "ui-documents.png"), full_page=True)
        page.get_by_role("tab", name="Chat").click()
        for question in (
            "Which contractor resurfaced the Flins test track?",
            "What codename does the Flins test track use?",
        ):
            ask(page, question)
            card = page.locator("#sources-panel .source-card").first
            card_text = card.inner_text()
            assert "xss-test-note.md" in card_text
            # the markup is displayed as text...
            assert '<img src=x onerror="window.__xss=1">' in card_text
            assert "<script>window.__xss=1</script>" in card_text
            assert "${window.__xss=1}" in card_text
        # ...and nothing of it ran or became an element
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
        assert page.evaluate("[...document.scripts].filter(s => s.text.includes('__xss')).length") == 0
        assert page.dialogs == []
        page.screenshot(path=str(ARTIFACTS / "ui-xss-inert.png"), full_page=True)
    finally:
        sources_bot.remove(stored)
        stored.unlink(missing_ok=True)
