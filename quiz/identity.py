"""How names are compared: the key two names share when people would read them as the same."""

import unicodedata


def name_key(name: str) -> str:
    """The name in NFKC with full case folding, so "ÄRGER", "ärger" and "ﬁx"/"FIX" share a key.

    Python's casefold is Unicode full case folding, the same on every database; SQLite's LOWER
    folds ASCII only, so the key is computed here and stored, not left to the database.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
