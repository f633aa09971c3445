"""A teacher's own topic: the seed's table round-trips into a second position whose questions pass
the engine's oracle; history's loader decides what is valid; the topic stays private until a
superuser publishes it."""

import html
import io
import json
import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from history.models import Person, Position, Term
from quiz import engine
from quiz.classroom.imports.files import ImportRefused, ProblemCode
from quiz.classroom.imports.topics import TopicDetails, read_topic_file, topic_csv, topic_save
from quiz.models import Attempt
from quiz.scope import Scope
from quiz.services import question_set_problems
from tests.quiz_factories import make_teacher, make_user
from tests.test_engine import Oracle

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "topic-example.csv"
COPY = TopicDetails(
    name="General Secretaries, our class's copy",
    short_name="General Secretary",
    country="Soviet Union",
    source_title="General Secretary of the Communist Party of the Soviet Union",
    source_kind="Encyclopedia article",
)
HEADER = "title,person,start,end,died_in_office,acting,note\n"
# A made-up office, so that nothing here can be wrong about real history.
TEN_TERMS = HEADER + "".join(
    f"Warden of Example Island,Holder Number{n},{1900 + 5 * n}-01-01,{1905 + 5 * n}-01-01,"
    f"{'yes' if n == 3 else 'no'},{'yes' if n == 7 else ''},Note {n}\n"
    for n in range(10)
)
ISLAND = TopicDetails(name="Warden of Example Island", short_name="Warden", source_title="Notes")


@pytest.fixture
def seed(seed_history):
    return Position.objects.prefetch_related("titles__terms__person").get(
        slug="general-secretary-cpsu"
    )


@pytest.fixture
def teacher():
    return make_teacher(username="ms-ada")


def read(data, *, teacher, details=COPY, name="topic.csv"):
    data = data.encode() if isinstance(data, str) else data
    return read_topic_file(data=data, file_name=name, details=details, owner=teacher)


def table(position) -> list[tuple]:
    return [
        (
            term.title.name,
            term.title.short_name,
            term.person.full_name,
            term.start_date,
            term.end_date,
            term.died_in_office,
            term.acting,
            term.note,
        )
        for term in position.terms_in_order()
    ]


# -- the seed's own table, round trip --------------------------------------------------------------


def test_the_docs_example_is_the_seeds_table_in_the_import_columns(seed):
    assert EXAMPLE.read_text(encoding="utf-8") == topic_csv(seed)


def test_the_seeds_table_round_trips_into_a_second_position_that_the_engine_serves(seed, teacher):
    people_before = Person.objects.count()
    result = read(EXAMPLE.read_bytes(), teacher=teacher)
    assert result.is_valid, result.problems
    assert Position.objects.count() == 1, "reading saves nothing"
    copy = topic_save(records=result.records, file_name="topic-example.csv")
    assert copy.owner == teacher and not copy.is_published and copy.slug != seed.slug
    copy = Position.objects.prefetch_related("titles__terms__person").get(pk=copy.pk)
    assert table(copy) == table(seed)
    assert Person.objects.count() == people_before, "the holders are the same people"

    facts = Position.objects.facts_for(copy.slug)
    oracle = Oracle(facts)
    for seed_number in range(25):
        for question in engine.generate_questions(
            facts, rng=random.Random(seed_number), count=10, difficulty=engine.Difficulty.HARD
        ):
            oracle.check(question)
    # The copy has the table but not the seed's associations, which only ever hold questions back.
    seed_count = engine.distinct_question_count(Position.objects.facts_for(seed.slug))
    assert engine.distinct_question_count(facts) >= seed_count > 0
    assert (
        question_set_problems(
            position=copy,
            scope=Scope(),
            counts={"successor": 5, "died_in_office": 1},
            difficulty="medium",
        )
        == []
    )


def test_a_ten_term_topic_of_new_people_from_xlsx(teacher, db):
    workbook = Workbook()
    for line in TEN_TERMS.splitlines():
        workbook.active.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read(buffer.getvalue(), teacher=teacher, details=ISLAND, name="island.xlsx")
    assert result.is_valid, result.problems
    position = topic_save(records=result.records, file_name="island.xlsx")
    terms = list(Term.objects.of_position(position).select_related("person"))
    assert len(terms) == 10 and terms[0].person.short_name == "Number0"
    assert [t.died_in_office for t in terms].count(True) == 1 and terms[7].acting
    assert Person.objects.filter(slug="holder-number9").exists()


# -- validated exactly as load_history validates ---------------------------------------------------

BAD_ROWS = {
    "overlap": (
        "Warden of Example Island,Ada Overlap,1920-06-01,1921-01-01,,,\n",
        "start",
        "overlaps Holder Number4's term",
    ),
    "end before start": (
        "Warden of Example Island,Ada Backwards,1990-01-01,1980-01-01,,,\n",
        "end",
        "cannot end before it starts",
    ),
    "bad date": (
        "Warden of Example Island,Ada Baddate,1990-02-30,,,,\n",
        "start",
        "invalid date",
    ),
    "death without end": (
        "Warden of Example Island,Ada Deathless,1990-01-01,,yes,,\n",
        "",
        "died in office needs an end date",
    ),
    "duplicate row": (
        "Warden of Example Island,Holder Number2,1910-01-01,1915-01-01,no,,Note 2\n",
        "",
        "is already recorded",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_one_bad_row_is_refused_by_the_loaders_rules_and_named(case, teacher, db):
    line, column, words = BAD_ROWS[case]
    result = read(TEN_TERMS + line, teacher=teacher, details=ISLAND)
    (problem,) = result.problems
    assert problem.row == 12 and problem.column == column, problem
    assert words in problem.message
    assert not Position.objects.exists()


def test_a_same_day_handover_is_fine(teacher, db):
    handover = "Warden of Example Island,Ada Next,1950-01-01,1951-01-01,,,\n"
    assert read(TEN_TERMS + handover, teacher=teacher, details=ISLAND).is_valid


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda text: text.replace("Note 4", "=1+1"), (6, "note", ProblemCode.FORMULA)),
        (
            lambda text: text.replace(",no,", ",maybe,", 1),
            (2, "died_in_office", ProblemCode.INVALID),
        ),
        (lambda text: text.replace("Holder Number5,", ",", 1), (7, "person", ProblemCode.MISSING)),
    ],
    ids=["formula", "not yes or no", "no person"],
)
def test_cells_are_checked_before_the_loader(change, expected, teacher, db):
    result = read(change(TEN_TERMS), teacher=teacher, details=ISLAND)
    assert expected in [(p.row, p.column, p.code) for p in result.problems]


def test_missing_columns_and_missing_details_are_named(teacher, db):
    with pytest.raises(ImportRefused) as refusal:
        read("title,person\nA,B\n", teacher=teacher, details=ISLAND)
    assert "“start”" in refusal.value.message
    result = read(TEN_TERMS, teacher=teacher, details=TopicDetails())
    assert {p.column for p in result.problems} >= {"the form's name", "the form's source title"}


def test_a_teacher_cannot_give_two_of_their_topics_one_name(teacher, db):
    topic_save(records=read(TEN_TERMS, teacher=teacher, details=ISLAND).records, file_name="a")
    again = read(TEN_TERMS, teacher=teacher, details=ISLAND)
    assert "You already have a position with this name" in again.problems[0].message
    other = read(TEN_TERMS, teacher=make_teacher(username="mr-bo"), details=ISLAND)
    assert other.is_valid, "another teacher's private topic may share the name"


# -- our JSON fixture format -----------------------------------------------------------------------


def seed_as_new_topic() -> list[dict]:
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "cpsu_general_secretary.json"
    records = json.loads(fixture.read_text(encoding="utf-8"))
    for record in records:
        fields = record["fields"]
        if record["model"] == "history.position":
            fields |= {"slug": "gensec-copy", "name": "General Secretaries (copy)"}
        if fields.get("position") == ["general-secretary-cpsu"]:
            fields["position"] = ["gensec-copy"]
    return records


def test_the_seed_fixture_under_a_new_slug_imports_as_json(seed, teacher):
    result = read(json.dumps(seed_as_new_topic()), teacher=teacher, name="copy.json")
    assert result.is_valid, result.problems
    copy = topic_save(records=result.records, file_name="copy.json")
    copy = Position.objects.prefetch_related("titles__terms__person").get(pk=copy.pk)
    assert table(copy) == table(seed) and copy.associations.count() == seed.associations.count()
    assert copy.owner == teacher and not copy.is_published


def test_json_that_reaches_outside_its_position_or_sets_the_owner_is_refused(seed, teacher):
    records = seed_as_new_topic()
    records[0]["fields"]["is_published"] = True
    term = next(r for r in records if r["model"] == "history.term")
    term["fields"]["title"] = ["general-secretary-cpsu", term["fields"]["title"][0]]
    result = read(json.dumps(records), teacher=teacher, name="copy.json")
    columns = {p.column for p in result.problems}
    assert "is_published" in columns and "title" in columns
    records = seed_as_new_topic()
    records[0]["fields"]["slug"] = "general-secretary-cpsu"
    result = read(json.dumps(records), teacher=teacher, name="copy.json")
    assert result.problems[0].code == ProblemCode.DUPLICATE


# -- private until published ----------------------------------------------------------------------


@pytest.fixture
def island(teacher):
    result = read(TEN_TERMS, teacher=teacher, details=ISLAND)
    return topic_save(records=result.records, file_name="island.csv")


def test_an_unpublished_topic_is_only_its_owners(client, island, teacher, seed):
    person = Person.objects.get(full_name="Holder Number0")
    urls = [island.get_absolute_url(), person.get_absolute_url()]
    quiz = f"{reverse('quiz-start')}?position={island.slug}"
    for viewer in (None, make_user(username="kim"), make_teacher(username="mr-bo")):
        if viewer is not None:
            client.force_login(viewer)
        assert "Warden of Example Island" not in client.get(reverse("home")).content.decode()
        assert [client.get(url).status_code for url in [*urls, quiz]] == [404, 404, 404]
        assert "Warden" not in client.get(reverse("quiz-start")).content.decode()
    client.force_login(teacher)
    assert "Warden of Example Island" in client.get(reverse("home")).content.decode()
    assert [client.get(url).status_code for url in [*urls, quiz]] == [200, 200, 200]


def test_a_quick_quiz_on_a_position_that_is_no_slug_is_not_found(client, db):
    for junk in ("\x01", "a" * 500, "../x"):
        assert client.get(reverse("quiz-start"), {"position": junk}).status_code == 404
    # A NUL byte never reaches the view (config.guards refuses it).
    assert client.get(reverse("quiz-start"), {"position": "\x00"}).status_code == 400


def test_the_owner_takes_a_quick_quiz_on_it(client, island, teacher):
    client.force_login(teacher)
    response = client.post(reverse("quiz-start"), {"position": island.slug, "difficulty": "easy"})
    assert response.status_code == 302
    assert Attempt.objects.get().position == island


def test_other_teachers_cannot_build_sets_on_it(client, island):
    client.force_login(make_teacher(username="mr-bo"))
    page = client.get(reverse("admin:quiz_questionset_add")).content.decode()
    assert "Warden of Example Island" not in page


def test_a_superuser_publishes_it_for_everyone(client, island):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.post(
        reverse("admin:history_position_changelist"),
        {"action": "publish", "_selected_action": [island.pk]},
    )
    island.refresh_from_db()
    assert island.is_published
    client.logout()
    assert client.get(island.get_absolute_url()).status_code == 200


# -- the pages -------------------------------------------------------------------------------------


def test_upload_preview_confirm(client, teacher, db):
    client.force_login(teacher)
    form = {"name": ISLAND.name, "short_name": "Warden", "source_title": "Notes"}
    response = client.post(
        reverse("topic-import"),
        {**form, "file": SimpleUploadedFile("island.csv", TEN_TERMS.encode())},
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "10 terms" in page and 'class="timeline-chart"' in page and "Holder Number9" in page
    assert not Position.objects.exists()
    confirm = client.post(reverse("topic-import-confirm"), {"token": response.context["token"]})
    position = Position.objects.get()
    assert confirm.url == position.get_absolute_url() and position.owner == teacher
    again = client.post(reverse("topic-import-confirm"), {"token": response.context["token"]})
    assert again.status_code == 302 and Position.objects.count() == 1


def test_a_bad_row_on_the_page_saves_nothing(client, teacher, db):
    client.force_login(teacher)
    bad = TEN_TERMS + BAD_ROWS["overlap"][0]
    response = client.post(
        reverse("topic-import"),
        {
            "name": ISLAND.name,
            "short_name": "Warden",
            "source_title": "Notes",
            "file": SimpleUploadedFile("island.csv", bad.encode()),
        },
    )
    assert response.status_code == 400
    assert "Row 12, start" in html.unescape(response.content.decode())
    assert not Position.objects.exists()


def test_the_terms_export_keeps_formulas_as_text(client, teacher, island):
    Term.objects.filter(title__position=island).update(note="=HYPERLINK(1)")
    client.force_login(teacher)
    body = client.get(reverse("topic-csv", args=[island.slug])).content.decode()
    assert "'=HYPERLINK(1)" in body
    result = read(
        body, teacher=teacher, details=TopicDetails(name="Again", short_name="W", source_title="N")
    )
    assert result.is_valid
    assert {r["fields"].get("note") for r in result.records if r["model"] == "history.term"} == {
        "=HYPERLINK(1)"
    }


def test_nobody_but_teachers_imports(client, db):
    client.force_login(make_user(username="kim"))
    assert client.get(reverse("topic-import")).status_code == 403
