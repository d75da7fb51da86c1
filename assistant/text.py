"""Language-aware text utilities: normalisation, language guess, sentence spans, BM25 tokens.

Everything works on character offsets into the original text so that a quote can
always be checked as ``text[start:end]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

STOPWORDS = {
    "en": set(
        """a about above after again against all also am an and any are as at be because been before
        being below between both but by can could did do does doing down during each few for from further
        had has have having he her here hers herself him himself his how i if in into is it its itself
        just me more most my myself no nor not now of off on once only or other our ours ourselves out
        over own same she should so some such than that the their theirs them themselves then there these
        they this those through to too under until up very was we were what when where which while who
        whom why will with would you your yours yourself yourselves s t don will shall may might must
        one ones per via upon whose whats tell please give name named did does much many""".split()
    ),
    "fr": set(
        """a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais
        me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui quoi quel quelle quels
        quelles sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y été
        étée étées étés étant suis es est sommes êtes sont serai sera seront serait seraient étais était
        étions étiez étaient fus fut furent sois soit soient ai as avons avez ont aurai aura auront
        avais avait avions aviez avaient eu eue eus ceci cela celà cet cette ici ils les leurs quel
        quels quelle quelles sans sous très trop tout tous toute toutes comme comment combien pourquoi
        quand dont donc ainsi alors aussi depuis entre vers chez lors selon afin cependant tandis
        est-ce qu'est-ce y a-t-il travers""".split()
    ),
}
# French modal and auxiliary forms a question is full of ("doit-elle", "pourrait", "va-t-il")
STOPWORDS["fr"] |= set(
    """etre doit doivent devra devront devrait devraient pourra pourront pourrait pourraient peut peuvent
    elles va vont celui celle ceux celles autre autres""".split()
)
# elided function words: "jusqu'à", "lorsqu'il"
STOPWORDS["fr"] |= set("jusqu lorsqu puisqu quoiqu presqu quelqu".split())
# Text is matched folded ("été" -> "ete"): the lists hold both spellings.
for _lang in STOPWORDS:
    STOPWORDS[_lang] |= {unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in STOPWORDS[_lang]}
ALL_STOPWORDS = STOPWORDS["en"] | STOPWORDS["fr"]

_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def strip_accents(text: str) -> str:
    """'Société' -> 'Societe' (used for matching, never for display)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-insensitive form, with typographic apostrophes and spaces unified.

    Cached: the answerer folds the same retrieved chunks many times per question (it was
    45 % of the answer stage's time).
    """
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return strip_accents(text).lower()


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


_FR_MARKERS = re.compile(r"[àâçéèêëîïôûùüÿœ]", re.IGNORECASE)


def detect_language(text: str) -> str:
    """Guess the language of ``text`` ("en", "fr", or an ISO code from py3langid).

    English and French (the product's languages) are told apart by stopword counts,
    which is reliable even for a 4-word question; other scripts fall back to py3langid.
    """
    sample = text[:5000]
    toks = [t.lower() for t in _TOKEN_RE.findall(sample)]
    if not toks:
        return "und"
    en = sum(t in STOPWORDS["en"] for t in toks)
    fr = sum(t in STOPWORDS["fr"] for t in toks)
    fr += 0.5 * len(_FR_MARKERS.findall(sample)) / max(1, len(toks) / 10)
    latin = sum(1 for c in sample if c.isalpha() and c.isascii())
    letters = sum(1 for c in sample if c.isalpha()) or 1
    if latin / letters > 0.6 and (en or fr):
        if en == fr:
            # Tie (e.g. a bare name): the ordinary case in this product is English UI text.
            return "fr" if _FR_MARKERS.search(sample) else "en"
        return "en" if en > fr else "fr"
    try:
        import py3langid

        return py3langid.classify(sample)[0]
    except Exception:  # noqa: BLE001 - py3langid missing or failing: "unknown" is the honest answer
        return "und"


# ---------------------------------------------------------------- sentences

_ABBREV = {
    "m",
    "mm",
    "mme",
    "mmes",
    "mlle",
    "dr",
    "pr",
    "st",
    "ste",
    "mr",
    "mrs",
    "ms",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "vs",
    "etc",
    "env",
    "cf",
    "no",
    "n°",
    "art",
    "p",
    "pp",
    "vol",
    "fig",
    "e.g",
    "i.e",
    "ex",
}
# Abbreviated months, folded: "signed on Jan. 22, 2026", "le 3 janv. 2025" ("févr.", "déc." fold to these).
# Before a number their stop ends no sentence; the answerer reads them as dates.
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "janv",
                       "fev", "fevr", "avr", "juil")  # fmt: skip
_SENT_END = re.compile(r"[.!?…]+[\"'”»)\]]*(?=\s)|\n[ \t]*\n|\n(?=[ \t]*[#*\-•])|(?<=[^\s])[ \t]*\n(?=[A-ZÀ-Ý0-9\"«(])")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans (absolute offsets, whitespace trimmed).

    Paragraph breaks and list/heading lines always end a sentence; a full stop ends one
    unless it follows a known abbreviation or a single capital initial (``J.-D.``).
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SENT_END.finditer(text, start, end):
        cut = m.end()
        token = m.group(0)
        if token[0] == ".":
            before = text[max(cursor, m.start() - 12) : m.start()]
            last = re.findall(r"[\w°]+(?:\.[\w]+)*$", before)
            if last:
                w = last[-1].lower()
                if w in _ABBREV or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", w):
                    continue
                if fold(w) in MONTH_ABBREVIATIONS and re.match(r"\s*\d", text[cut : min(end, cut + 4)]):
                    continue
            # "12.5" never matches (no whitespace follows); next char must start a sentence
            nxt = re.match(r"\s*(\S)", text[cut : min(end, cut + 10)])
            if nxt and nxt.group(1).islower():
                continue
        push_span(text, cursor, cut, spans)
        cursor = cut
    push_span(text, cursor, end, spans)
    return spans


def push_span(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    """Append ``(a, b)`` to ``out`` with surrounding whitespace trimmed, unless nothing is left."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Blank-line separated blocks, as absolute spans."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n[ \t]*\n", text):
        push_span(text, pos, m.start(), spans)
        pos = m.end()
    push_span(text, pos, len(text), spans)
    return spans


_CLAUSE_CUT = re.compile(
    r"[;:]\s+|,\s+(?=(?:tandis|alors|mais|while|whereas|but|and|et|with|avec|which|qui|où|where)\b)|,\s+"
)


def split_long(text: str, a: int, b: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause boundaries nearest its middle, recursively."""
    if b - a <= max_chars:
        return [(a, b)]
    best = None
    mid = (a + b) / 2
    for m in _CLAUSE_CUT.finditer(text, a, b):
        cut = m.end()
        if cut - a < 40 or b - cut < 40:
            continue
        prio = (
            0
            if m.group(0)[0] in ";:"
            else 1
            if m.group(0).strip() == ","
            and text[cut : cut + 8].split(" ")[0].lower() in {"tandis", "alors", "mais", "while", "whereas", "but"}
            else 2
        )
        key = (abs(cut - mid) * (1 + 0.25 * prio), cut)
        if best is None or key < best[0]:
            best = (key, cut)
    if best is None:
        # no clause boundary: cut at the last space before max_chars
        cut = text.rfind(" ", a, a + max_chars)
        if cut <= a:
            cut = a + max_chars
        best = (None, cut)
    cut = best[1]
    left: list[tuple[int, int]] = []
    push_span(text, a, cut, left)
    right: list[tuple[int, int]] = []
    push_span(text, cut, b, right)
    out: list[tuple[int, int]] = []
    for s in left + right:
        out.extend(split_long(text, s[0], s[1], max_chars))
    return out


# ---------------------------------------------------------------- BM25 tokens


@lru_cache(maxsize=8)
def _stemmer(lang: str):
    import Stemmer

    name = {"en": "english", "fr": "french"}.get(lang)
    return Stemmer.Stemmer(name) if name else None


def index_tokens(text: str, lang: str) -> list[str]:
    """Tokens for BM25: folded, stopwords out, stemmed in the document's language."""
    toks = [t for t in _TOKEN_RE.findall(fold(text)) if t not in ALL_STOPWORDS and (len(t) > 1 or t.isdigit())]
    stem = _stemmer(lang if lang in ("en", "fr") else "en")
    return stem.stemWords(toks) if stem else toks


def query_tokens(text: str) -> list[str]:
    """Query tokens stemmed both ways, so an English word can meet a French document."""
    toks = [t for t in _TOKEN_RE.findall(fold(text)) if t not in ALL_STOPWORDS and (len(t) > 1 or t.isdigit())]
    out: list[str] = []
    for lang in ("en", "fr"):
        for t in _stemmer(lang).stemWords(toks):
            if t not in out:
                out.append(t)
    return out


# ---------------------------------------------------------------- a corpus-made gazetteer

_PLACE_AFTER_PREP = re.compile(
    r"(?:^|\W)(?:à|in|at|near|près de|based in|basée? à|located in|située? à|implantée? à)"
    r"\s+(?:la |le |l'|the )?([A-ZÀ-Ý][\w’'-]+)"
)
_CAPITALISED = re.compile(r"(?<![\w’'-])([A-ZÀ-Ý][\w’'-]+)")
POSSESSIVE = re.compile(r"['’]s$")  # "Renault's": the owner of what follows
MONTHS = (
    "january february march april may june july august september october november december "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre"
).split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche".split()
LANGUAGE_NAMES = frozenset("english french anglais francais german allemand japanese japonais chinese chinois".split())


def place_names(texts: Iterable[str]) -> frozenset[str]:
    """Folded names the texts mostly write after a place preposition ("in Douai", "à Dunkerque").

    "Like Dunkirk, Douai lies in northern France" names two places with no preposition
    before them; the rest of the corpus tells. A name counts when at least a third of its
    capitalised mentions follow a place preposition, so "a stake in Nissan" does not make
    Nissan a town.
    """
    texts = list(texts)
    after_prep: dict[str, int] = {}
    for text in texts:
        for m in _PLACE_AFTER_PREP.finditer(text):
            key = fold(m.group(1))
            if POSSESSIVE.search(key):
                continue  # "at Renault's Revoz plant" says where the plant is, not that Renault is a place
            after_prep[key] = after_prep.get(key, 0) + 1
    mentions: dict[str, int] = {}
    for text in texts if after_prep else ():
        for m in _CAPITALISED.finditer(text):
            key = POSSESSIVE.sub("", fold(m.group(1)))
            if key in after_prep:
                mentions[key] = mentions.get(key, 0) + 1
    return frozenset(
        name
        for name, n in after_prep.items()
        if name not in ALL_STOPWORDS
        and name not in LANGUAGE_NAMES
        and name not in MONTHS  # "in September"
        and name not in WEEKDAYS
        and n * 3 >= mentions.get(name, n)
    )
