"""load_history validates before it writes: a bad file is refused whole and named."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from history.loading import (
    FixtureError,
    LoadReport,
    checks,
    documents,
    history_load,
    history_load_documents,
    history_parse,
)
from history.models import Association, Person, Position, PositionFact, Term, Title

pytestmark = pytest.mark.django_db

FIRST_CPSU = "First Secretary of the Central Committee of the Communist Party of the Soviet Union"
HISTORY_MODELS = (Position, PositionFact, Title, Person, Term, Association)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in HISTORY_MODELS}


def snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in HISTORY_MODELS]


def write(tmp_path: Path, records, name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(records if isinstance(records, str) else json.dumps(records), encoding="utf-8")
    return path


def new_person(name: str = "Ada Newcomer") -> dict:
    return {
        "model": "history.person",
        "fields": {"full_name": name, "short_name": name.split()[-1], "slug": "ada-newcomer"},
    }


def term(**fields) -> dict:
    base = {"person": ["Ada Newcomer"], "title": [FIRST_CPSU], "start_date": "1995-01-01"}
    return {"model": "history.term", "fields": {**base, **fields}}


def test_loads_every_fixture_with_no_argument():
    call_command("load_history", verbosity=0)
    assert row_counts()["Term"] == 12
    assert row_counts()["Person"] == 23  # 11 holders and 12 people the article names


def test_loading_twice_changes_nothing(capsys):
    call_command("load_history")
    first = snapshot()
    capsys.readouterr()
    call_command("load_history")
    assert snapshot() == first
    assert "0 created, 0 changed" in capsys.readouterr().out


def test_a_corrected_record_updates_its_row_in_place(tmp_path, seed_history):
    fixture = json.loads(Path("fixtures/cpsu_general_secretary.json").read_text(encoding="utf-8"))
    for record in fixture:
        if record["model"] == "history.positionfact" and record["fields"]["label"] == "Salary":
            record["fields"]["value"] = "12,000 Rbls annually"
    before = row_counts()
    call_command("load_history", str(write(tmp_path, fixture)), verbosity=0)
    assert row_counts() == before
    assert PositionFact.objects.get(label="Salary").value == "12,000 Rbls annually"


def fact(**fields) -> dict:
    base = {"position": ["general-secretary-cpsu"], "label": "Motto", "value": "Forward"}
    return {"model": "history.positionfact", "fields": {**base, **fields}}


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def de_facto(**fields) -> dict:
    base = {
        "position": ["general-secretary-cpsu"],
        "person": ["Ada Newcomer"],
        "relation": "de_facto_holder",
        "start_date": "1995-01-01",
        "end_date": "1995-02-01",
        "description": "Led the office in practice.",
    }
    return {"model": "history.association", "fields": {**base, **fields}}


BAD_FILES = {
    "overlap": (
        [new_person(), term(start_date="1960-01-01", end_date="1961-01-01")],
        "record 2, field 'start_date'",
        "overlaps Nikita Khrushchev",
    ),
    "end before start": (
        [new_person(), term(start_date="1995-06-01", end_date="1995-01-01")],
        "record 2, field 'end_date'",
        "cannot end before it starts",
    ),
    "unknown title": (
        [new_person(), term(title=["Grand Vizier"])],
        "record 2, field 'title'",
        "unknown title 'Grand Vizier'",
    ),
    "unknown person": (
        [term(person=["Nobody Atall"])],
        "record 1, field 'person'",
        "unknown person 'Nobody Atall'",
    ),
    "malformed date": (
        [new_person(), term(start_date="31 February 1995")],
        "record 2, field 'start_date'",
        "YYYY-MM-DD",
    ),
    "impossible date": (
        [new_person(), term(start_date="1995-02-31")],
        "record 2, field 'start_date'",
        "invalid date",
    ),
    "missing field": (
        [new_person(), {"model": "history.term", "fields": {"person": ["Ada Newcomer"]}}],
        "record 2, field 'title'",
        "missing this required field",
    ),
    "unknown field": (
        [new_person(), term(colour="red")],
        "record 2, field 'colour'",
        "no such field",
    ),
    "the same association twice": (
        [new_person(), de_facto(), de_facto(description="Said again.")],
        "record 3",
        "is already recorded (record 2)",
    ),
    "unknown model": ([{"model": "auth.user", "fields": {}}], "record 1", "unknown model"),
    "not a list": ({"model": "history.person"}, "bad.json", "JSON list"),
    "not json": ("[{", "bad.json", "not valid JSON"),
    "a number for a date": (
        [new_person(), term(start_date=19950101)],
        "record 2, field 'start_date'",
        "expected a date as text like 1917-04-12, got a number (19950101)",
    ),
    "a list for a text": (
        [new_person(), term(note=["a", "list"])],
        "record 2, field 'note'",
        "expected text, got a list",
    ),
    "an object for a whole number": (
        [fact(order={"n": 1})],
        "record 1, field 'order'",
        "expected a whole number, got an object",
    ),
    "a fraction for a whole number": (
        [fact(order=1.5)],
        "record 1, field 'order'",
        "expected a whole number, got a number (1.5)",
    ),
    "text for true or false": (
        [new_person(), term(acting="yes")],
        "record 2, field 'acting'",
        "expected true or false, got text ('yes')",
    ),
    "a number for a text": (
        [{**new_person(), "fields": {**new_person()["fields"], "short_name": 7}}],
        "record 1, field 'short_name'",
        "expected text, got a number (7)",
    ),
    "null for a required date": (
        [new_person(), term(start_date=None)],
        "record 2, field 'start_date'",
        "expected a date as text like 1917-04-12, got null",
    ),
    "text for a reference": (
        [new_person(), term(person="Ada Newcomer")],
        "record 2, field 'person'",
        "got text ('Ada Newcomer'); write [\"Ada Newcomer\"]",
    ),
    "a NUL character": (
        [new_person(), term(note="a\x00b")],
        "record 2, field 'note'",
        "NUL character",
    ),
    "nesting deep enough to parse": (
        [new_person(), term(note=nested(50))],
        "record 2, field 'note'",
        "more than 20 levels deep",
    ),
    "nesting too deep to parse": (
        json.dumps([new_person(), term(note="HERE")]).replace(
            '"HERE"', "[" * 100_000 + "]" * 100_000
        ),
        "record 2, field 'note'",
        "more than 20 levels deep",
    ),
    "a number of more digits than Python reads": (
        json.dumps([fact(order=0)]).replace('"order": 0', '"order": ' + "9" * 5000),
        "bad.json",
        "is not valid JSON",
    ),
    "a database id": (
        [{**new_person(), "pk": 7}],
        "record 1",
        "records are matched by natural key",
    ),
    "a died-in-office term with no end": (
        [new_person(), term(died_in_office=True)],
        "record 2",
        "A holder who died in office needs an end date.",
    ),
    "an association that ends before it starts": (
        [new_person(), de_facto(start_date="1995-02-01", end_date="1995-01-01")],
        "record 2",
        "An association cannot end before it starts.",
    ),
    "two people of one slug": (
        [new_person(), new_person("Bea Newcomer")],
        "record 2, field 'slug'",
        "Person with this Slug already exists. (record 1)",
    ),
    "a person's slug the database has": (
        [{**new_person(), "fields": {**new_person()["fields"], "slug": "joseph-stalin"}}],
        "record 1, field 'slug'",
        "Person with this Slug already exists.",
    ),
    "two terms of the file that overlap": (
        [
            new_person(),
            new_person("Bea Newcomer")
            | {"fields": {**new_person("Bea Newcomer")["fields"], "slug": "bea"}},
            term(end_date="1995-06-01"),
            term(person=["Bea Newcomer"], start_date="1995-03-01"),
        ],
        "record 4, field 'start_date'",
        "overlaps Ada Newcomer's term from 1995-01-01",
    ),
    "a changed term that now overlaps the next": (
        [term(person=["Nikita Khrushchev"], start_date="1953-09-07", end_date="1965-01-01")],
        "record 1, field 'start_date'",
        "overlaps Leonid Brezhnev's term from 1964-10-14",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_is_refused_whole_and_named(case, tmp_path, seed_history):
    records, where, what = BAD_FILES[case]
    path = write(tmp_path, records)
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("load_history", str(path))
    message = str(raised.value)
    assert message.startswith("Nothing was loaded.")
    assert "\n" not in message
    assert len(message) < 400
    assert str(path) in message
    assert where in message
    assert what in message
    assert snapshot() == before


def test_a_bad_second_file_keeps_the_good_first_file_out(tmp_path):
    good = write(tmp_path, [new_person()], name="good.json")
    bad = write(tmp_path, [term(start_date="not a date")], name="bad.json")
    with pytest.raises(CommandError, match=r"bad\.json, record 1"):
        call_command("load_history", str(good), str(bad))
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_history", str(tmp_path / "absent.json"))


def test_command_line_exit_code_and_no_traceback(tmp_path):
    path = write(tmp_path, [term(person=["Nobody Atall"])])
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PATH": ""}

    def manage(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    unmigrated = manage("load_history", str(path))
    assert unmigrated.returncode != 0
    assert "Traceback" not in unmigrated.stderr
    assert "migrate" in unmigrated.stderr
    assert manage("migrate", "--no-input").returncode == 0
    result = manage("load_history", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "record 1, field 'person'" in result.stderr


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split()[0] for query in queries.captured_queries]


def test_records_are_checked_before_a_short_transaction_that_only_writes(tmp_path, seed_history):
    # Two new people and their associations, then two hundred: the same queries, in bulk.
    for count in (2, 200):
        people = [
            {
                "model": "history.person",
                "fields": {
                    "full_name": f"P{count}-{n}",
                    "short_name": "P",
                    "slug": f"p{count}-{n}",
                },
            }
            for n in range(count)
        ]
        ties = [de_facto(person=[f"P{count}-{n}"], relation="contemporary") for n in range(count)]
        salary = fact(label="Salary", value=f"{count},000 Rbls annually")
        path = write(tmp_path, [*people, *ties, salary], name=f"{count}.json")
        with CaptureQueriesContext(connection) as queries:
            report = history_load(paths=[path])
        assert (report.created, report.changed) == (2 * count, 1)
        done = statements(queries)
        begin = done.index("SAVEPOINT")
        assert done[:begin] == ["SELECT"] * 7
        assert set(done[begin + 1 : -1]) == {"INSERT", "UPDATE"}
        assert done[-1] == "RELEASE"


def test_loading_what_is_there_already_opens_no_transaction(seed_history):
    with CaptureQueriesContext(connection) as queries:
        call_command("load_history", verbosity=0)
    assert set(statements(queries)) == {"SELECT"}


def test_a_dry_run_checks_and_writes_nothing(tmp_path, seed_history):
    documents = [(Path("new.json"), [new_person(), term()])]
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = history_load_documents(documents=documents, dry_run=True)
    assert report == LoadReport(records=2, created=2, changed=0)
    assert set(statements(queries)) == {"SELECT"}
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_while_the_records_are_checked_another_client_writes(monkeypatch):
    inside_a_transaction, failures = [], []
    check_overlaps = checks._Checker.check_overlaps

    def other_client_writes() -> None:
        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA busy_timeout = 0")  # fail at once if locked out
            Group.objects.create(name="written while load_history checks")
        except DatabaseError as error:
            failures.append(error)
        finally:
            connection.close()

    def checks_with_a_writer(checker) -> None:
        inside_a_transaction.append(connection.in_atomic_block)
        writer = threading.Thread(target=other_client_writes)
        writer.start()
        writer.join()
        check_overlaps(checker)

    monkeypatch.setattr(checks._Checker, "check_overlaps", checks_with_a_writer)
    call_command("load_history", verbosity=0)
    assert inside_a_transaction == [False]
    assert failures == []
    assert Group.objects.filter(name="written while load_history checks").exists()
    assert row_counts()["Term"] == 12


def test_a_row_written_between_check_and_write_refuses_the_load_whole(
    monkeypatch, tmp_path, seed_history
):
    check_overlaps = checks._Checker.check_overlaps

    def someone_else_adds_her(checker) -> None:
        check_overlaps(checker)
        Person.objects.create(full_name="Ada Newcomer", short_name="Newcomer", slug="ada-2")

    monkeypatch.setattr(checks._Checker, "check_overlaps", someone_else_adds_her)
    path = write(tmp_path, [new_person(), term()])
    with pytest.raises(CommandError, match="another change came in meanwhile") as raised:
        call_command("load_history", str(path))
    assert "\n" not in str(raised.value)
    assert Person.objects.get(full_name="Ada Newcomer").slug == "ada-2"
    assert not Term.objects.filter(person__full_name="Ada Newcomer").exists()


def test_terms_are_checked_against_the_records_changes_to_others(tmp_path, seed_history):
    # A new term in a gap that a later record opens, by ending Khrushchev's term earlier.
    fixture = json.loads(Path("fixtures/cpsu_general_secretary.json").read_text(encoding="utf-8"))
    khrushchev = next(
        r
        for r in fixture
        if r["model"] == "history.term" and r["fields"]["person"] == ["Nikita Khrushchev"]
    )
    khrushchev["fields"]["end_date"] = "1964-06-01"
    path = write(
        tmp_path, [new_person(), term(start_date="1964-06-01", end_date="1964-10-14"), khrushchev]
    )
    call_command("load_history", str(path), verbosity=0)
    assert (
        Term.objects.get(person__full_name="Nikita Khrushchev").end_date.isoformat() == "1964-06-01"
    )
    assert Term.objects.filter(person__full_name="Ada Newcomer").exists()


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_FIXTURE_BYTES", 1000)
    path = write(tmp_path, [new_person()] * 20)
    expected = f"is {path.stat().st_size:,} bytes; a fixture file may be at most 1,000 bytes."
    with pytest.raises(CommandError, match=expected):
        call_command("load_history", str(path))
    with pytest.raises(FixtureError, match="may be at most 1,000 bytes"):
        history_parse(path=path, text=path.read_text(encoding="utf-8"))
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.parametrize("model", HISTORY_MODELS)
def test_every_constraint_condition_is_evaluated_in_memory(model):
    for constraint in model._meta.constraints:
        if constraint.condition is not None:
            checks._holds(constraint.condition, model())  # NotImplementedError if it cannot


def test_without_insert_returning_rows_are_saved_one_by_one(monkeypatch, db):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    call_command("load_history", verbosity=0)
    assert row_counts() == {
        "Position": 1,
        "PositionFact": 16,
        "Title": 5,
        "Person": 23,
        "Term": 12,
        "Association": 16,
    }
    assert Term.objects.filter(title__position__slug="general-secretary-cpsu").count() == 12
