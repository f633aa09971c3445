"""End to end in a headless Chromium: a teacher makes a set in the admin, a student takes it by
its share code, and the teacher sees the student's result and each question's difficulty."""

import os
import re

import pytest
from playwright.sync_api import expect

from quiz import handwritten
from quiz.accounts import profile_create
from quiz.models import Attempt, QuestionSet
from tests.quiz_factories import make_teacher, make_user

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "a-long-test-password"  # what tests.factories.UserFactory sets
TITLE = "Successions, and the office itself"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def open_page(chromium, *, width: int = 1280):
    return chromium.new_page(width=width)


def fill_handwritten(page, number: int, prompt: str, choices: list[str], explanation: str):
    prefix = f"#id_handwritten_questions-{number}"
    page.locator(f"{prefix}-prompt").fill(prompt)
    for index, choice in enumerate(choices, start=1):
        page.locator(f"{prefix}-choice_{index}").fill(choice)
    page.locator(f"{prefix}-correct_1").check()
    page.locator(f"{prefix}-explanation").fill(explanation)


def test_a_teacher_sets_a_quiz_a_student_takes_it_and_the_teacher_sees_how_it_went(
    chromium, live_server, seed_history
):
    make_teacher(username="teacher")
    student = make_user(username="kim")
    profile_create(user=student, display_name="Kim the Historian")

    # -- the teacher creates and publishes a set: 5 generated and 2 hand-written questions
    teacher = open_page(chromium)
    teacher.goto(f"{live_server.url}/admin/")
    teacher.locator("#id_username").fill("teacher")
    teacher.locator("#id_password").fill(PASSWORD)
    teacher.locator("input[type=submit]").click()
    teacher.get_by_role("link", name="Question sets").first.click()
    teacher.get_by_role("link", name="Add question set").click()

    teacher.locator("#id_title").fill(TITLE)
    teacher.locator("#id_description").fill("Practice for Thursday.")
    teacher.locator("#id_time_limit_minutes").fill("10")
    teacher.locator("#id_is_published").check()
    teacher.locator("#id_kinds-0-kind").select_option("successor")
    teacher.locator("#id_kinds-0-count").fill("3")
    teacher.locator("#kinds-group .add-row a").click()
    teacher.locator("#id_kinds-1-kind").select_option("start_year")
    teacher.locator("#id_kinds-1-count").fill("2")
    fill_handwritten(
        teacher,
        0,
        "Who created the Office of General Secretary in 1922?",
        ["Vladimir Lenin", "Joseph Stalin", "Leon Trotsky"],
        "Lenin created it in 1922.",
    )
    teacher.locator("#handwritten_questions-group .add-row a").click()
    fill_handwritten(
        teacher,
        1,
        "What does the article give as the General Secretary's residence?",
        ["Kremlin Senate", "Winter Palace", "Smolny Institute", "Lubyanka Building"],
        "The infobox gives the Kremlin Senate.",
    )
    # A slip first: two choices ticked correct. The admin says so and keeps what was typed.
    teacher.locator("#id_handwritten_questions-1-correct_3").check()
    teacher.locator("input[name=_save]").click()
    expect(teacher.locator(".errorlist").first).to_contain_text(
        handwritten.TWO_CORRECT_CHOICES.format(numbers="1 and 3")
    )
    assert not QuestionSet.objects.exists()
    teacher.locator("#id_handwritten_questions-1-correct_3").uncheck()
    teacher.locator("input[name=_save]").click()
    expect(teacher.locator(".messagelist .success")).to_contain_text("was added successfully")

    question_set = QuestionSet.objects.get()
    code = question_set.share_code
    assert question_set.is_published and question_set.owner.username == "teacher"
    teacher.locator("#result_list").get_by_role("link", name=TITLE).click()
    expect(teacher.locator(".share-link")).to_contain_text(f"{live_server.url}/s/{code}/")
    teacher.get_by_role("link", name="Preview").click()
    expect(teacher.get_by_text("✓ right answer")).to_have_count(7)

    # -- the student finds it on the home page, opens it by code, logs in and takes it
    kim = open_page(chromium, width=390)
    kim.goto(f"{live_server.url}/")
    expect(kim.get_by_role("link", name=TITLE)).to_be_visible()
    kim.get_by_label("Have a code from your teacher?").fill(code.lower())
    kim.get_by_role("button", name="Open", exact=True).click()
    expect(kim.get_by_role("heading", name=TITLE)).to_be_visible()
    kim.get_by_role("link", name="Log in to take this set").click()
    kim.get_by_label("Username").fill("kim")
    kim.get_by_label("Password").fill(PASSWORD)
    kim.get_by_role("button", name="Log in").click()
    expect(kim.get_by_role("heading", name=TITLE)).to_be_visible()
    kim.get_by_role("button", name="Start the set").click()
    expect(kim.get_by_text("Question 1 of 7")).to_be_visible()
    expect(kim.locator(".timer")).to_contain_text("Answers score until")

    attempt = Attempt.objects.get(user=student)
    assert attempt.question_set == question_set and attempt.time_limit_seconds == 600
    for question in attempt.questions.order_by("order"):
        expect(kim.locator("#question-heading")).to_have_text(question.prompt)
        # Every answer right but Lenin's office: Kim picks Stalin there.
        wrong = question.prompt.startswith("Who created")
        pick = question.correct_choice
        if wrong:
            pick = next(c["id"] for c in question.choices if c["text"] == "Joseph Stalin")
        kim.locator(f'#choices button[value="{pick}"]').click()
        expect(kim.locator("#feedback .verdict")).to_contain_text(
            "Not quite." if wrong else "Right!"
        )
        kim.locator("[data-next]").click()
    expect(kim.get_by_role("heading", name="Your result")).to_be_visible()
    expect(kim.locator(".result-summary")).to_contain_text("12 of 14 points")
    kim.get_by_role("link", name="Back to the set").click()
    kim.get_by_role("link", name="This set's leaderboard").click()
    expect(kim.locator("tr.is-viewer")).to_contain_text("Kim the Historian")
    assert kim.problems == []

    # -- the teacher sees Kim's result and which question was hardest
    teacher.goto(f"{live_server.url}/admin/quiz/questionset/{question_set.pk}/change/")
    teacher.get_by_role("link", name="Class results").click()
    kim_row = teacher.locator("table.results-students tbody tr")
    expect(kim_row).to_have_count(1)
    expect(kim_row).to_contain_text("Kim the Historian")
    expect(kim_row).to_contain_text("12 / 14 (86%)")
    hardest = teacher.locator("table.results-questions tbody tr").first
    expect(hardest).to_contain_text("Who created the Office of General Secretary in 1922?")
    expect(hardest).to_contain_text("0% (0)")
    expect(hardest).to_contain_text("Joseph Stalin (chosen 1 time)")
    expect(teacher.locator("table.results-questions tbody tr")).to_have_count(7)
    assert not [p for p in teacher.problems if re.search("error", p, re.I)], teacher.problems
