"""Breaking logical text into lines: where a line may end, hyphenation, isolates across lines.

A line may end at an ordinary space and after a hyphen between letters (UAX #14: no break
before a digit, none inside numbers, none at a no-break space). On top of that, as a careful
typesetter would: no line ends with a one-letter word (Ukrainian "о", Polish "w") or a number
sign ("Nr.", "№", "n°": it stays with its number); values
bind their parts with no-break spaces (a time and its am/pm marker, a day and its month);
a word or name too long for what is left of a body line is hyphenated with pyphen (German
rules for German text and for Latin-script names in other languages), and only a word with
no hyphenation point at all is cut where it must be. In right-to-left text a German term in
brackets, "(Familienkasse)", moves to the next line whole: its pieces on two lines would each
be set right to left around a lone bracket. Only a term longer than a whole line is broken.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import pyphen

from kim_desk import hyphenation
from kim_desk.documents import fonts
from kim_desk.documents.text import BIDI_CONTROLS, ISOLATE_OPENERS, LRI, PDI, Style, text_width

HYPHEN = "-"
_WORD = re.compile(r"[^ ]+")
_BRACKETED = re.compile(r"\([^()]*\)")
_CYRILLIC = frozenset({"uk", "ru", "bg"})
# Signs that stand before a number and stay on its line ("Vermittlung Nr. 42", "направлення № 42").
_NUMBER_SIGNS = frozenset({"Nr.", "nr.", "nr", "№", "No.", "no.", "n°", "N°"})
_MIN_HYPHENATED = 8  # letters in a word before hyphenation is tried when it would fit on the next line
_LARGEST_HYPHENATED = 10.5  # headings and titles move a word to the next line instead


def wrap(text: str, style: Style, width: float) -> list[str]:
    """Break logical text into lines no wider than `width`."""
    return list(_wrap(text, style, width))


def clear_caches() -> None:
    _wrap.cache_clear()


@lru_cache(maxsize=4096)
def _wrap(text: str, style: Style, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    space = text_width(" ", style)
    for paragraph in text.split("\n"):
        units = _units(paragraph, style, width)
        if not units:
            lines.append("")
            continue
        current = ""
        current_width = 0.0
        for piece, whole in units:
            unit = piece
            unit_width = text_width(unit, style)
            extra = unit_width + (space if current else 0.0)
            if current_width + extra <= width:
                current = f"{current} {unit}" if current else unit
                current_width += extra
                continue
            # The unit does not fit: hyphenate it into the rest of this line if it is long enough.
            room = width - current_width - (space if current else 0.0)
            hyphenate = not whole and _letters(unit) >= _MIN_HYPHENATED and style.size <= _LARGEST_HYPHENATED
            head, tail = _hyphenate(unit, style, room) if hyphenate else ("", unit)
            if head:
                lines.append(f"{current} {head}" if current else head)
                current, current_width = "", 0.0
                unit = tail
            elif current:
                lines.append(current)
                current, current_width = "", 0.0
            while text_width(unit, style) > width:
                head, tail = _hyphenate(unit, style, width)
                if not head:
                    head, tail = _cut(unit, style, width)
                lines.append(head)
                unit = tail
            current, current_width = unit, text_width(unit, style)
        lines.append(current)
    return tuple(_close_isolates(lines))


def _units(paragraph: str, style: Style, width: float) -> list[tuple[str, bool]]:
    """The pieces between break opportunities, each with whether it stays whole (a bracketed
    German term in right-to-left text); a one-letter word stays with the next word."""
    units: list[tuple[str, bool]] = []
    carry = ""
    for bare, whole in _words(paragraph, style, width):
        word = f"{carry} {bare}" if carry else bare
        carry = ""
        core = "".join(ch for ch in word if ch not in BIDI_CONTROLS)
        if (len(core) == 1 and core.isalpha()) or core in _NUMBER_SIGNS:
            carry = word
            continue
        units.append((word, whole))
    if carry:
        if units:
            units[-1] = (f"{units[-1][0]} {carry}", units[-1][1])
        else:
            units.append((carry, False))
    return units


def _words(paragraph: str, style: Style, width: float) -> list[tuple[str, bool]]:
    """The words between spaces; in right-to-left text the words of a bracketed Latin-script
    term that fits on a line are joined into one piece that is not hyphenated."""
    words = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(paragraph)]
    terms = [match.span() for match in _BRACKETED.finditer(paragraph) if style.rtl and _latin_term(match.group())]
    result: list[tuple[str, bool]] = []
    index = 0
    while index < len(words):
        start, end, word = words[index]
        term = next(((a, b) for a, b in terms if start < b and end > a), None)
        if term is None:
            result.append((word, False))
            index += 1
            continue
        group = [word]
        index += 1
        while index < len(words) and words[index][0] < term[1]:
            group.append(words[index][2])
            index += 1
        joined = " ".join(group)
        if text_width(_closed(joined), style) <= width:
            result.append((joined, True))
        else:  # longer than a line: it has to break somewhere
            result.extend((piece, False) for piece in group)
    return result


def _latin_term(text: str) -> bool:
    """A bracketed piece written in Latin script only (a German term, a name)."""
    kinds = [unicodedata.bidirectional(ch) for ch in text if ch.isalpha()]
    return "L" in kinds and not any(kind in ("R", "AL") for kind in kinds)


def _letters(unit: str) -> int:
    return sum(1 for ch in unit if ch.isalpha())


def _hyphenate(unit: str, style: Style, room: float) -> tuple[str, str]:
    """The longest head (with its hyphen) that fits into `room`, and the rest; ("", unit) if none."""
    best = ("", unit)
    for position, keeps_hyphen in _break_points(unit, style):
        head = unit[:position] + ("" if keeps_hyphen else HYPHEN)
        if style.rtl:
            head = _hyphen_with_its_word(head)
        if text_width(_closed(head), style) <= room:
            best = (head, unit[position:])
        else:
            break
    return best


def _hyphen_with_its_word(head: str) -> str:
    """In right-to-left text the hyphen of a German word would take the paragraph's direction and
    stand before the word; an isolate around the word's last piece keeps it at the word's end."""
    start = len(head) - 1
    while start > 0 and (head[start - 1].isalpha() or head[start - 1] in "-\u2010"):
        start -= 1
    return head[:start] + LRI + head[start:] + PDI


def _break_points(unit: str, style: Style) -> list[tuple[int, bool]]:
    """Positions inside `unit` where it may break: after a hyphen (kept) or at a hyphenation point."""
    points: dict[int, bool] = {}
    for match in re.finditer(r"[^\W\d_]{2,}", unit):
        word = match.group()
        dictionary = _dictionary(style, word)
        if dictionary is None:
            continue
        for position in dictionary.positions(word):
            points[match.start() + position] = False
    for index, char in enumerate(unit[:-1]):
        # UAX #14: a break after a hyphen, never before a digit (FK-2026 stays whole)
        if char in "-\u2010" and index >= 2 and unit[index - 1].isalpha() and unit[index + 1].isalpha():
            points[index + 1] = True
    return sorted(points.items())


_reading = threading.Lock()  # a print waits for the warm-up's reading of a dictionary, not read it twice
_dictionaries: dict[str, pyphen.Pyphen] = {}


def _pyphen(code: str) -> pyphen.Pyphen:
    return hyphenator(code)


def hyphenator(code: str, cache: Path | None = None) -> pyphen.Pyphen:
    """The hyphenation rules of pyphen's language `code`, read once per process (0.5-0.7 s for German;
    about 0.1 s from the parsed copy in `cache`, see kim_desk.hyphenation)."""
    with _reading:
        rules = _dictionaries.get(code)
        if rules is None:
            rules = _dictionaries[code] = hyphenation.read(code, cache)
        return rules


def _dictionary(style: Style, word: str) -> pyphen.Pyphen | None:
    """The language's own rules where pyphen has them. In Arabic-script and Ethiopic text the
    Latin words are German terms and names: German rules. Turkish and Kurmanji have no rules
    in pyphen, so their words are not hyphenated."""
    latin = all(ord(ch) < 0x0250 for ch in word)
    cyrillic = all(0x0400 <= ord(ch) < 0x0530 for ch in word)
    if not (latin or cyrillic):
        return None
    own = pyphen.language_fallback(style.lang.replace("-", "_"))
    if own == "de":  # pyphen's "de" is Austria's dictionary: Germany's, as for German words in other scripts
        own = "de_DE"  # (one dictionary to read, 0.3-0.6 s, instead of two)
    cyrillic_text = style.lang in _CYRILLIC
    if cyrillic:
        return _pyphen(own) if own and cyrillic_text else None
    if own and not cyrillic_text:
        return _pyphen(own)
    return _pyphen("de_DE") if cyrillic_text or style.family != fonts.LATIN else None


def _cut(unit: str, style: Style, width: float) -> tuple[str, str]:
    """Last resort for a unit without break points (a long number): as much as fits."""
    end = 1
    while end < len(unit) and text_width(_closed(unit[: end + 1]), style) <= width:
        end += 1
    return unit[:end], unit[end:]


def _closed(piece: str) -> str:
    """A piece measured on its own: close the isolates it opens."""
    depth = 0
    for char in piece:
        if char in ISOLATE_OPENERS:
            depth += 1
        elif char == PDI and depth:
            depth -= 1
    return piece + PDI * depth


def _close_isolates(lines: list[str]) -> list[str]:
    """Each line is laid out on its own, so an isolate (LRI/RLI … PDI) that spans a line break
    is closed at the end of its line and opened again on the next: a wrapped phone number or
    German sentence keeps its left-to-right order inside right-to-left text."""
    result: list[str] = []
    open_marks: list[str] = []
    for line in lines:
        prefix = "".join(open_marks)
        for char in line:
            if char in ISOLATE_OPENERS:
                open_marks.append(char)
            elif char == PDI and open_marks:
                open_marks.pop()
        result.append(prefix + line + PDI * len(open_marks))
    return result
