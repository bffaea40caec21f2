"""Search keys for personal names, however they were spelled or in which script.

Every name is indexed in three forms: as typed (case-folded, for prefix search in
the original script), transliterated to plain Latin (umlauts expanded), and as a
consonant skeleton that makes spelling variants meet: Mohammed, Muhammad,
Mohamad, Mehmet and محمد all become "mhmt"; Oleksandr, Olexandr, Aleksandr and
Олександр become "lksntr".
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "i",
    "ب": "b", "پ": "p", "ت": "t", "ث": "th", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
    "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k",
    "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "u",
    "ي": "i", "ى": "a", "ی": "i", "ې": "e", "ۍ": "ai", "ټ": "t", "ډ": "d", "ړ": "r",
    "ږ": "zh", "ښ": "sh", "ڼ": "n", "ځ": "dz", "څ": "ts", "ڕ": "r", "ڵ": "l", "ۆ": "o",
    "ێ": "e", "ڤ": "v", "ھ": "h", "ە": "e",
}  # fmt: skip

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye",
    "ё": "yo", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Russian reads "г" as g and "и" as i; Ukrainian as h and y. Index both readings.
_RUSSIAN_OVERRIDES = {"г": "g", "и": "i"}

_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_TOKEN = re.compile(r"[\w']+", re.UNICODE)

# Order matters: longer digraphs first.
_SKELETON_RULES = (
    ("shch", "s"), ("tsch", "c"), ("sch", "s"), ("tch", "c"), ("sh", "s"), ("zh", "s"),
    ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ts", "s"),
    ("tz", "s"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("c", "k"), ("w", "v"), ("z", "s"),
    ("d", "t"), ("b", "p"), ("g", "k"), ("v", "f"), ("j", "y"),
)  # fmt: skip
_VOWELS = re.compile(r"[aeiouy]+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def tokens(text: str) -> list[str]:
    """Case-folded words of a name in its own script (Arabic vowel marks removed)."""
    folded = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text.casefold()))
    return [tok for tok in _TOKEN.findall(folded) if tok.strip("_'")]


def latin_forms(token: str) -> set[str]:
    """Plain-Latin spellings of one token."""
    forms: set[str] = set()
    if any("\u0600" <= ch <= "\u06ff" for ch in token):
        # و and ي are consonants at the start of a word, long vowels inside it
        first = {"و": "w", "ي": "y", "ی": "y"}.get(token[0], _ARABIC.get(token[0], token[0]))
        forms.add(first + "".join(_ARABIC.get(ch, ch) for ch in token[1:]))
    elif any("\u0400" <= ch <= "\u04ff" for ch in token):
        forms.add("".join(_CYRILLIC.get(ch, ch) for ch in token))
        forms.add("".join(_RUSSIAN_OVERRIDES.get(ch, _CYRILLIC.get(ch, ch)) for ch in token))
    else:
        german = "".join(_GERMAN.get(ch, ch) for ch in token)
        forms.add(_strip_marks(german))
        forms.add(_strip_marks(token))
    return {re.sub(r"[^a-z]", "", form) for form in forms} - {""}


def _skeleton(text: str) -> str:
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    text = _VOWELS.sub("", text)
    return re.sub(r"(.)\1+", r"\1", text)


def skeletons(latin: str) -> set[str]:
    """Consonant skeletons of a plain-Latin token (vowels dropped, similar sounds merged).

    "ch" is German/Arabic kh in Achmed but Slavic tsch in Shevchenko: keep both readings.
    """
    text = latin.lower().replace("ue", "u").replace("oe", "o").replace("ae", "a")
    readings = {text}
    if re.search(r"(?<![st])ch", text):
        readings = {re.sub(r"(?<![st])ch", "h", text), re.sub(r"(?<![st])ch", "tsch", text)}
    return {_skeleton(reading) for reading in readings} - {""}


def index_terms(*names: str) -> tuple[str, str]:
    """The two FTS columns for a person: (names, skeletons), space-separated."""
    words: list[str] = []
    skeleton_list: list[str] = []
    for name in names:
        for token in tokens(name):
            words.append(token)
            for form in sorted(latin_forms(token)):
                if form != token:
                    words.append(form)
                skeleton_list.extend(sorted(skeletons(form)))
    return " ".join(dict.fromkeys(words)), " ".join(dict.fromkeys(skeleton_list))


def query_terms(text: str) -> list[tuple[str, set[str]]]:
    """For each typed word: the word itself and the skeletons of its Latin forms."""
    result: list[tuple[str, set[str]]] = []
    for token in tokens(text):
        skels = set().union(*(skeletons(form) for form in latin_forms(token)))
        result.append((token, skels))
    return result
