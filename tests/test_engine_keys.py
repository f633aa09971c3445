"""Fact keys: stable, readable, and the same however a fact is asked."""

from quiz.engine import keys


def test_slug_keeps_words_and_drops_punctuation_and_accents():
    assert keys.slug("Responsible Secretary (Bolsheviks)") == "responsible-secretary-bolsheviks"
    assert keys.slug("Nikita Khrushchëv") == "nikita-khrushchev"
    assert keys.slug("  All-Union  ") == "all-union"


def test_keys_name_their_kind_and_parts():
    key = keys.term_key("gs", "leonid-brezhnev", "First Secretary of the CC")
    assert key == "term:gs:leonid-brezhnev:first-secretary-of-the-cc"
    assert keys.kind_of(key) == "term"
    assert keys.first_key("gs") == "first:gs"
    assert keys.first_key("gs", "First Secretary") == "first:gs:first-secretary"
    assert keys.succession_key("gs", "a", "b") == "succession:gs:a:b"
    assert keys.kind_of(keys.title_span_key("gs", "X")) == "title-span"
