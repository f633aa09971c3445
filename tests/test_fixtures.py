"""The seed fixture matches its source article's table, row for row."""

import datetime as dt
import re
from pathlib import Path

import pytest

from history.models import Association, Person, Position, PositionFact, Term, Title

pytestmark = pytest.mark.django_db

SOURCE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "000_cb014ced32fb42b8.txt"
)
SLUG = "general-secretary-cpsu"

CHAIRMAN = "Chairman of the Secretariat of the Central Committee of the Russian Communist Party (Bolsheviks)"
RESPONSIBLE = (
    "Responsible Secretary of the Central Committee of the Russian Communist Party (Bolsheviks)"
)
GENSEC_VKPB = (
    "General Secretary of the Central Committee of the All-Union Communist Party (Bolsheviks)"
)
FIRST_CPSU = "First Secretary of the Central Committee of the Communist Party of the Soviet Union"
GENSEC_CPSU = (
    "General Secretary of the Central Committee of the Communist Party of the Soviet Union"
)

# Transcribed by hand from the article's table: name, title, took office, left office, died, acting.
EXPECTED_TERMS = [
    ("Yakov Sverdlov", CHAIRMAN, dt.date(1918, 3, 8), dt.date(1919, 3, 16), True, False),
    ("Elena Stasova", RESPONSIBLE, dt.date(1919, 3, 25), dt.date(1919, 11, 29), False, False),
    ("Nikolay Krestinsky", RESPONSIBLE, dt.date(1919, 11, 29), dt.date(1921, 3, 16), False, False),
    ("Vyacheslav Molotov", RESPONSIBLE, dt.date(1921, 3, 16), dt.date(1922, 4, 3), False, False),
    ("Joseph Stalin", GENSEC_VKPB, dt.date(1922, 4, 3), dt.date(1952, 10, 16), False, False),
    ("Nikita Khrushchev", FIRST_CPSU, dt.date(1953, 9, 7), dt.date(1964, 10, 14), False, False),
    ("Leonid Brezhnev", FIRST_CPSU, dt.date(1964, 10, 14), dt.date(1966, 4, 8), False, False),
    ("Leonid Brezhnev", GENSEC_CPSU, dt.date(1966, 4, 8), dt.date(1982, 11, 10), True, False),
    ("Yuri Andropov", GENSEC_CPSU, dt.date(1982, 11, 12), dt.date(1984, 2, 9), True, False),
    ("Konstantin Chernenko", GENSEC_CPSU, dt.date(1984, 2, 13), dt.date(1985, 3, 10), True, False),
    ("Mikhail Gorbachev", GENSEC_CPSU, dt.date(1985, 3, 11), dt.date(1991, 8, 24), False, False),
    ("Vladimir Ivashko", GENSEC_CPSU, dt.date(1991, 8, 24), dt.date(1991, 8, 29), False, True),
]


def parse_source_table() -> list[dict]:
    """Rows of the article's 'List of officeholders' table, read straight from the source text."""
    text = SOURCE.read_text(encoding="utf-8")
    table = text.split("== List of officeholders ==")[1].split("== Second Secretary")[0]
    rows, title = [], None
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] and not any(cells[1:]):
            title = cells[0]
        elif len(cells) == 6 and re.fullmatch(r"\d{1,2} \w+ \d{4}", cells[2]):
            rows.append(
                {
                    "title": title,
                    "name": cells[1],
                    "start": cells[2],
                    "end": cells[3].removesuffix(" †"),
                    "died": cells[3].endswith("†"),
                    "note": cells[5],
                }
            )
    return rows


def article_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d %B %Y").date()


@pytest.fixture
def terms(seed_history) -> list[Term]:
    return list(Term.objects.select_related("person", "title").order_by("start_date", "end_date"))


def test_source_table_has_twelve_rows_matching_the_hand_transcription():
    rows = parse_source_table()
    assert [
        (row["name"], row["title"], article_date(row["start"]), article_date(row["end"]))
        for row in rows
    ] == [expected[:4] for expected in EXPECTED_TERMS]


def test_every_term_matches_the_source_table(terms):
    rows = parse_source_table()
    assert len(terms) == len(rows) == 12
    for term, row in zip(terms, rows, strict=True):
        assert term.person.full_name == row["name"]
        assert term.title.name == row["title"]
        assert term.start_date == article_date(row["start"])
        assert term.end_date == article_date(row["end"])
        assert term.died_in_office is row["died"]
        assert term.note == row["note"]


def test_died_in_office_and_acting_marks(terms):
    assert [(t.person.full_name, t.died_in_office, t.acting) for t in terms] == [
        (name, died, acting) for name, _title, _start, _end, died, acting in EXPECTED_TERMS
    ]


def test_brezhnev_holds_two_terms_under_two_titles(terms):
    brezhnev = [t for t in terms if t.person.full_name == "Leonid Brezhnev"]
    assert [t.title.name for t in brezhnev] == [FIRST_CPSU, GENSEC_CPSU]
    assert brezhnev[0].end_date == brezhnev[1].start_date == dt.date(1966, 4, 8)


def test_khrushchev_start_follows_the_table_and_notes_the_text(terms):
    khrushchev = next(t for t in terms if t.person.full_name == "Nikita Khrushchev")
    assert khrushchev.start_date == dt.date(1953, 9, 7)
    assert "14 September 1953" in khrushchev.source_discrepancy
    assert khrushchev.disputed_start_date == dt.date(1953, 9, 14)
    assert "14 September" in SOURCE.read_text(encoding="utf-8")
    others = [t for t in terms if t.person.full_name != "Nikita Khrushchev"]
    assert all(t.source_discrepancy == "" and t.disputed_start_date is None for t in others)


def test_titles_and_short_names(seed_history):
    titles = dict(Title.objects.values_list("name", "short_name"))
    assert titles == {
        CHAIRMAN: "Chairman of the Secretariat",
        RESPONSIBLE: "Responsible Secretary",
        GENSEC_VKPB: "General Secretary",
        FIRST_CPSU: "First Secretary",
        GENSEC_CPSU: "General Secretary",
    }


def test_position_cites_the_article_and_keeps_the_deputy_paragraph(seed_history):
    position = Position.objects.get(slug=SLUG)
    assert position.source_title == "General Secretary of the Communist Party of the Soviet Union"
    assert position.deputy_description.startswith("The Second Secretary was the deputy")
    assert position.deputy_description in SOURCE.read_text(encoding="utf-8")


def test_infobox_facts_are_stored_as_written(seed_history):
    text = SOURCE.read_text(encoding="utf-8")
    facts = dict(PositionFact.objects.values_list("label", "value"))
    for label, source_key in [
        ("Residence", "Residence"),
        ("Seat", "Seat"),
        ("Appointer", "Appointer"),
        ("Term length", "Termlength"),
        ("Deputy", "Deputy"),
        ("Superseded by", "Superseded By"),
        ("Member of", "Member Of"),
        ("Salary", "Salary"),
    ]:
        assert f"- {source_key}: {facts[label]}\n" in text
    assert facts["Salary"] == "10,000 Rbls annually"


def test_people_named_in_the_article_who_never_held_the_title(seed_history):
    non_holders = set(
        Person.objects.filter(terms__isnull=True).values_list("short_name", flat=True)
    )
    assert non_holders == {
        "Malenkov", "Kosygin", "Podgorny", "Suslov", "Kozlov", "Lenin",
        "Zinoviev", "Kamenev", "Trotsky", "Beria", "Kaganovich", "Yeltsin",
    }  # fmt: skip
    assert all(Person.objects.get(short_name=name).associations.exists() for name in non_holders)


def test_de_facto_holders_cover_the_interregnum(seed_history):
    de_facto = {
        a.person.short_name: (a.start_date, a.end_date, a.ended_by_death)
        for a in Association.objects.filter(relation="de_facto_holder").select_related("person")
    }
    assert de_facto["Stalin"] == (dt.date(1952, 10, 16), dt.date(1953, 3, 5), True)
    assert de_facto["Malenkov"] == (dt.date(1953, 3, 5), dt.date(1953, 3, 14), False)
    assert de_facto["Khrushchev"][1] == dt.date(1953, 9, 7)
