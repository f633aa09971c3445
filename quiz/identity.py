"""How names are compared and which display names are refused: the same rules on every database.

A name's key is what two names share when people would read them as the same; the database
keeps keys in unique columns, so no race can create two names with one key.
"""

import unicodedata

from confusable_homoglyphs import categories

# Format (Cf: zero-width and bidi controls), control (Cc) and private-use (Co) characters let a
# name look like another one ("Tess\u200b tess1", "\u202eevil"); these letters draw nothing too.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co"})
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Characters every script uses (digits, punctuation, spaces; combining marks).
SHARED_SCRIPTS = frozenset({"COMMON", "INHERITED"})
# Unicode's "highly restrictive" level (UTS #39, 5.2): one script, or Latin with the scripts
# Japanese, Chinese or Korean writing mixes, so "山田はなこ" and "Ma Tianyu 马天宇" stay valid.
SCRIPT_MIXES_ALLOWED = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)


def name_key(name: str) -> str:
    """The name in NFKC with full case folding, so "ÄRGER", "ärger" and "ﬁx"/"FIX" share a key.

    Python's casefold is Unicode full case folding, the same on every database; SQLite's LOWER
    folds ASCII only, so the key is computed here and stored, not left to the database.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def display_name_normalize(name: str) -> str:
    """The name in NFKC, each run of whitespace one space, without spaces at the ends."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def display_name_has_hidden_characters(name: str) -> bool:
    """Whether the name holds a character that shows nothing or changes how the rest shows."""
    return any(
        unicodedata.category(char) in HIDDEN_CATEGORIES or char in BLANK_LETTERS for char in name
    )


def scripts_of(name: str) -> frozenset[str]:
    """The scripts the name's letters are written in, leaving out characters all scripts share."""
    return frozenset(categories.unique_aliases(name)) - SHARED_SCRIPTS


def display_name_mixes_scripts(name: str) -> bool:
    """Whether the name mixes scripts as look-alikes do ("Demo" with a Cyrillic \u0435 for e)."""
    scripts = scripts_of(name)
    return len(scripts) > 1 and not any(scripts <= allowed for allowed in SCRIPT_MIXES_ALLOWED)
