"""Vietnamese text: accent-insensitive normalisation for search, and alphabetical sort keys."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import get_language

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z ]+")


def normalise_name(text: str) -> str:
    """"Đặng Thị  Ngọc" and "dang thi ngoc" give the same key: no accents, lower case, single spaces."""
    text = unicodedata.normalize("NFD", text.strip())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    # đ/Đ is a letter of its own, not d plus a mark, so NFD leaves it: map it by hand.
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def name_tokens(text: str) -> list[str]:
    return sorted(set(normalise_name(text).split()))


def normalise_id_number(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


# The Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks sort after the base letter: none, grave, hook, tilde, acute, dot below.
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _split_letter(ch: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, tone = decomposed[0], ""
    rest = ""
    for mark in decomposed[1:]:
        if mark in _LETTER_MARKS:
            rest += mark
        elif mark in _TONE_RANK:
            tone = mark
    return unicodedata.normalize("NFC", base + rest), tone


def _word_key(word: str) -> tuple:
    letters, tones = [], []
    for ch in word:
        letter, tone = _split_letter(ch)
        letters.append(_LETTER_RANK.get(letter, 100 + ord(letter[0])))
        tones.append(_TONE_RANK[tone])
    return (tuple(letters), tuple(tones))


def vietnamese_sort_key(name: str) -> tuple:
    """Vietnamese order: by given name (the last word), then the whole name from the family name."""
    words = unicodedata.normalize("NFC", name).split()
    if not words:
        return ((), ())
    return (_word_key(words[-1]), tuple(_word_key(w) for w in words))


def current_language() -> str:
    """The request's language as Haven's two codes: "en", else "vi"."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"
