"""load_history validates before it writes: a bad file is refused whole and named."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

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
