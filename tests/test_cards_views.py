"""The study pages: the no-JS path (POST-redirect-GET), the htmx path, permissions, bad input,
decks, quiz misses feeding the next session, practising mistakes, and fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from quiz.cards.models import Card, Fact, Review, StudyDeck
from quiz.cards.services import card_key_for_question, deck_add, facts_sync
from quiz.engine import keys
from quiz.models import AttemptQuestion
from quiz.services import attempt_answer
from tests.cards_factories import CardFactory, FactFactory
from tests.quiz_factories import (
    add_handwritten,
    make_attempt,
    make_question_set,
    make_user,
    wrong_choice,
)

pytestmark = pytest.mark.django_db
SLUG = "general-secretary-cpsu"
STALIN_TO_KHRUSHCHEV = keys.succession_key(SLUG, "joseph-stalin", "nikita-khrushchev")


@pytest.fixture
def student(client):
    user = make_user(username="sam")
    client.force_login(user)
    return user


@pytest.fixture
def seed_deck(seed_history, student):
    from history.models import Position

    deck_add(user=student, position=Position.objects.get(slug=SLUG))
    return student


def page(client, url=None, **params):
    return client.get(url or reverse("study"), params).content.decode()


def test_guests_are_sent_to_log_in(client):
    response = client.get(reverse("study"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_new_student_is_offered_a_deck(client, student):
    assert "You have no flashcards yet" in page(client)


def test_adding_the_seed_deck_gives_every_fact_card(client, seed_history, student):
    response = client.post(reverse("study-deck-add"), {"position": SLUG})
    assert response.status_code == 302
    assert (
        Card.objects.filter(user=student).count()
        == Fact.objects.filter(position__slug=SLUG).count()
        == 70
    )
    assert StudyDeck.objects.filter(user=student).count() == 1
    again = client.post(reverse("study-deck-add"), {"position": SLUG}, follow=True)
    assert "already in your study" in again.content.decode()
    assert Card.objects.filter(user=student).count() == 70


def test_an_unknown_deck_gets_a_clear_message(client, student):
    response = client.post(reverse("study-deck-add"), {"position": "no-such-office"}, follow=True)
    assert response.status_code == 200 and "There is no such deck" in response.content.decode()
    response = client.post(reverse("study-deck-add"), {}, follow=True)
    assert "There is no such deck" in response.content.decode()


def test_the_no_js_path_shows_flips_rates_and_redirects(client, seed_deck):
    first = page(client)
    card = Card.objects.filter(user=seed_deck).order_by("new_order", "fact_id").first()
    assert escape(card.fact.front) in first and "Show answer" in first
    assert "10 new cards left today" in first
    flipped = page(client, show=card.pk)
    assert escape(card.fact.back) in flipped and "Again" in flipped and "10 min" in flipped
    response = client.post(
        reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 3, "duration_ms": 4200}
    )
    assert response.status_code == 302 and response["Location"] == reverse("study")
    review = Review.objects.get(card=card)
    assert (review.rating, review.duration_ms) == (3, 4200)
    assert "1 card in learning" not in page(client)  # due in 10 minutes, not now
    assert "9 new cards left today" in page(client)


def test_the_htmx_path_swaps_the_card_fragment(client, seed_deck):
    card = Card.objects.filter(user=seed_deck).order_by("new_order", "fact_id").first()
    flipped = client.get(
        reverse("study"), {"show": card.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert flipped.strip().startswith('<section id="study-card"') and "<html" not in flipped
    response = client.post(
        reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 4}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.strip().startswith('<section id="study-card"')
    assert escape(card.fact.front) not in body  # the next card came in


def test_a_stale_rating_applies_once_with_a_polite_message(client, seed_deck):
    card = Card.objects.filter(user=seed_deck).order_by("fact_id").first()
    form = {"card": card.pk, "reps": 0, "rating": 3}
    client.post(reverse("study-rate"), form)
    replay = client.post(reverse("study-rate"), form, follow=True)
    assert "already rated" in replay.content.decode()
    htmx = client.post(reverse("study-rate"), form, HTTP_HX_REQUEST="true").content.decode()
    assert "already rated" in htmx
    assert Review.objects.filter(card=card).count() == 1


@pytest.mark.parametrize(
    "form",
    [
        {"rating": "9", "reps": "0"},
        {"rating": "good", "reps": "0"},
        {"rating": "", "reps": "0"},
        {"rating": "3", "reps": "x"},
    ],
)
def test_bad_ratings_get_a_message_and_change_nothing(client, seed_deck, form):
    card = Card.objects.filter(user=seed_deck).order_by("fact_id").first()
    response = client.post(reverse("study-rate"), {"card": card.pk, **form}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please rate the card" in body or "already rated" in body
    assert not Review.objects.exists()


def test_another_students_card_is_never_rated_or_acted_on(client, student):
    theirs = CardFactory()
    response = client.post(
        reverse("study-rate"), {"card": theirs.pk, "reps": 0, "rating": 3}, follow=True
    )
    assert "There is no such card" in response.content.decode()
    assert (
        client.post(
            reverse("study-card-action", args=[theirs.pk]), {"action": "suspend"}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert not theirs.suspended and not Review.objects.exists()
    assert (
        client.post(reverse("study-rate"), {"card": "abc", "rating": 3}, follow=True).status_code
        == 200
    )


def test_all_done_after_the_daily_limit_says_when_the_next_card_is_due(client, seed_deck):
    for _ in range(10):
        card = Card.objects.filter(user=seed_deck, state=Card.State.NEW).order_by("fact_id").first()
        client.post(reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 4})
    done = page(client)
    assert "All done for today." in done and "The next card is due" in done


def test_siblings_wait_for_another_day(client, seed_deck):
    forward = Card.objects.get(user=seed_deck, fact__key=STALIN_TO_KHRUSHCHEV)
    client.post(reverse("study-rate"), {"card": forward.pk, "reps": 0, "rating": 4})
    reverse_card = Card.objects.get(
        user=seed_deck,
        fact__key__startswith="predecessor:",
        fact__sibling_group=STALIN_TO_KHRUSHCHEV,
    )
    for _ in range(12):
        body = page(client)
        assert escape(reverse_card.fact.front) not in body
        card = (
            Card.objects.filter(user=seed_deck, state=Card.State.NEW)
            .exclude(pk=reverse_card.pk)
            .order_by("fact_id")
            .first()
        )
        client.post(reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 4})


def test_the_study_page_and_a_rating_take_a_fixed_number_of_queries(
    client, seed_deck, django_assert_num_queries
):
    card = Card.objects.filter(user=seed_deck).order_by("new_order", "fact_id").first()
    with django_assert_num_queries(5):
        client.get(reverse("study"))
    with django_assert_num_queries(5):
        client.get(reverse("study"), {"show": card.pk})
    with django_assert_num_queries(7):
        client.post(reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 3})
    # Many more cards, the same counts.
    CardFactory.create_batch(30, user=seed_deck)
    with django_assert_num_queries(5):
        client.get(reverse("study"))
    card = Card.objects.filter(user=seed_deck, state=Card.State.NEW).order_by("fact_id").first()
    with django_assert_num_queries(7):
        client.post(reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 3})


def test_a_wrong_quiz_answer_puts_the_fact_first_in_the_next_session(client, seed_history, student):
    attempt = make_attempt(user=student, count=2)
    question = attempt.questions.get(order=0)
    AttemptQuestion.objects.filter(pk=question.pk).update(
        kind="predecessor", about={"fact_key": STALIN_TO_KHRUSHCHEV}
    )
    question.refresh_from_db()
    attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    card = Card.objects.get(user=student)
    assert card.fact.key == keys.predecessor_key(SLUG, "joseph-stalin", "nikita-khrushchev")
    assert card.missed_at is not None
    assert escape(card.fact.front) in page(client)
    # Answered rightly, or with no fact key, a question feeds nothing.
    second = attempt.questions.get(order=1)
    attempt_answer(attempt=attempt, question=second, choice=wrong_choice(second))
    assert Card.objects.filter(user=student).count() == 1


def test_a_missed_fact_already_studied_is_due_now(seed_history, student):
    from history.models import Position

    deck_add(user=student, position=Position.objects.get(slug=SLUG))
    key = keys.died_key(SLUG, "leonid-brezhnev")
    card = Card.objects.get(user=student, fact__key=key)
    Card.objects.filter(pk=card.pk).update(
        state=Card.State.REVIEW, stability=30, difficulty=5, due="2099-01-01T00:00Z"
    )
    attempt = make_attempt(user=student, count=1)
    question = attempt.questions.get()
    AttemptQuestion.objects.filter(pk=question.pk).update(
        kind="died_in_office", about={"fact_key": key}
    )
    question.refresh_from_db()
    attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    card.refresh_from_db()
    assert card.due.year < 2099 and card.missed_at is not None


def test_practise_my_mistakes_studies_exactly_those_facts(client, seed_history, student):
    attempt = make_attempt(user=student, count=2)
    first, second = attempt.questions.order_by("order")
    key = keys.died_key(SLUG, "yuri-andropov")
    AttemptQuestion.objects.filter(pk=first.pk).update(
        kind="died_in_office", about={"fact_key": key}
    )
    for question in (first, second):
        question.refresh_from_db()
        attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    result = client.get(reverse("attempt-result", args=[attempt.pk])).content.decode()
    assert "Practise my mistakes" in result
    response = client.post(reverse("study-mistakes", args=[attempt.pk]))
    assert response["Location"] == f"{reverse('study')}?mistakes={attempt.pk}"
    session = page(client, mistakes=attempt.pk)
    fact = Fact.objects.get(key=key)
    assert escape(fact.front) in session and "Practising your mistakes" in session
    card = Card.objects.get(user=student, fact=fact)
    client.post(
        reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 3, "mistakes": attempt.pk}
    )
    assert "All your mistakes are practised" in page(client, mistakes=attempt.pk)
    other = make_attempt(user=make_user(), count=1)
    assert client.post(reverse("study-mistakes", args=[other.pk]), follow=True).status_code == 200


def test_a_teachers_set_becomes_a_deck_with_its_handwritten_questions(
    client, seed_history, student
):
    from history.models import Position

    question_set = make_question_set(
        position=Position.objects.get(slug=SLUG), kinds={"successor": 3, "acting": 1}
    )
    add_handwritten(
        question_set,
        prompt="Which congress abolished the office?",
        choices=["The 19th", "The 20th", "The 18th"],
    )
    assert "Study as flashcards" in page(client, question_set.get_absolute_url())
    client.post(reverse("study-deck-add"), {"question_set": question_set.share_code})
    kinds = set(Card.objects.filter(user=student).values_list("fact__kind", flat=True))
    assert kinds == {"succession", "acting", "handwritten"}
    handwritten = Fact.objects.get(kind="handwritten")
    assert (handwritten.front, handwritten.back) == (
        "Which congress abolished the office?",
        "The 19th",
    )
    assert Card.objects.filter(user=student).count() == 10 + 1 + 1


def test_settings_are_validated_and_saved(client, student):
    bad = client.post(
        reverse("study-settings"),
        {
            "desired_retention": "0.99",
            "new_per_day": "10",
            "max_reviews_per_day": "200",
            "time_zone": "Mars/Olympus",
            "day_start_hour": "4",
        },
    ).content.decode()
    assert "less than or equal to 0.97" in bad and "Select a valid choice" in bad
    client.post(
        reverse("study-settings"),
        {
            "desired_retention": "0.85",
            "new_per_day": "5",
            "max_reviews_per_day": "50",
            "time_zone": "Europe/Berlin",
            "day_start_hour": "6",
        },
    )
    saved = student.study_settings
    assert (saved.desired_retention, saved.new_per_day, saved.time_zone, saved.day_start_hour) == (
        0.85,
        5,
        "Europe/Berlin",
        6,
    )


def test_the_card_browser_searches_filters_suspends_and_forgets(client, seed_deck):
    found = page(client, reverse("study-cards"), q="Ivashko", state="new")
    assert "Vladimir Ivashko" in found and "Sverdlov" not in found
    card = Card.objects.get(user=seed_deck, fact__key=keys.acting_key(SLUG, "vladimir-ivashko"))
    client.post(reverse("study-card-action", args=[card.pk]), {"action": "suspend"})
    assert Card.objects.get(pk=card.pk).suspended
    assert "Vladimir Ivashko" in page(client, reverse("study-cards"), state="suspended")
    client.post(reverse("study-card-action", args=[card.pk]), {"action": "unsuspend"})
    client.post(reverse("study-card-action", args=[card.pk]), {"action": "explode"})
    Card.objects.filter(pk=card.pk).update(state=Card.State.REVIEW, stability=3)
    client.post(reverse("study-card-action", args=[card.pk]), {"action": "forget"})
    card.refresh_from_db()
    assert card.state == Card.State.NEW and not card.suspended and card.stability is None
    assert page(client, reverse("study-cards"), deck="nonsense", state="bogus", page="zz")


def test_a_leech_is_shown_as_suspended_in_the_browser(client, student):
    CardFactory(user=student, suspended=True, lapses=8, fact=FactFactory(front="A hard one?"))
    listing = page(client, reverse("study-cards"))
    assert "Suspended (leech: forgotten 8 times)" in listing


def test_the_home_page_shows_cards_due_and_the_streak(client, seed_deck):
    home = page(client, reverse("home"))
    assert "<strong>10</strong> cards to study today" in home and "Study now" in home
    card = Card.objects.filter(user=seed_deck).order_by("fact_id").first()
    client.post(reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 4})
    assert "1-day streak" in page(client, reverse("home"))


def test_the_home_page_offers_an_unfinished_quiz_and_open_sets(client, student):
    attempt = make_attempt(user=student, count=3)
    question_set = make_question_set(title="Lenin to Stalin")
    StudyDeck.objects.create(user=student, question_set=question_set, added_at=attempt.started_at)
    home = page(client, reverse("home"))
    assert "Your unfinished quiz" in home and reverse("attempt-detail", args=[attempt.pk]) in home
    assert "Lenin to Stalin" in home


def test_real_quiz_questions_answered_wrongly_all_reach_the_next_session(
    client, seed_history, student
):
    from history.models import Position
    from quiz.services import attempt_start

    attempt = attempt_start(
        user=student, position=Position.objects.get(slug=SLUG), difficulty="medium", seed=11
    )
    questions = list(attempt.questions.order_by("order"))
    for question in questions:
        attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    expected = {
        card_key_for_question(q.kind, q.about["fact_key"])
        for q in questions
        if q.kind != "longest_tenure"
    }
    assert (
        expected
        and set(Card.objects.filter(user=student).values_list("fact__key", flat=True)) == expected
    )
    session = page(client)
    assert f"{len(expected)} card" in session and "from your quiz mistakes" in session


def test_a_wrong_answer_queues_its_card_in_a_fixed_number_of_statements(
    seed_history, student, django_assert_num_queries
):
    from history.models import Position

    facts_sync(position=Position.objects.get(slug=SLUG))
    attempt = make_attempt(user=student, count=3)  # neither answer the last
    keys_asked = [STALIN_TO_KHRUSHCHEV, keys.died_key(SLUG, "yuri-andropov")]
    questions = list(attempt.questions.order_by("order"))[:2]
    for question, key in zip(questions, keys_asked, strict=True):
        AttemptQuestion.objects.filter(pk=question.pk).update(
            kind="predecessor" if key == STALIN_TO_KHRUSHCHEV else "died_in_office",
            about={"fact_key": key},
        )
        question.refresh_from_db()
    Card.objects.create(
        user=student,
        fact=Fact.objects.get(key=keys_asked[1]),
        due="2099-01-01T00:00Z",
        added_at="2026-01-01T00:00Z",
    )
    # a new card, then a card already studied, the same: the 4 of any answer (BEGIN, insert the
    # answer, update the attempt, COMMIT), the fact, and one upsert of the card
    for question in questions:
        with django_assert_num_queries(6):
            attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    cards = Card.objects.filter(user=student)
    assert {card.fact.key: card.due == card.missed_at for card in cards} == {
        card_key_for_question(question.kind, question.about["fact_key"]): True
        for question in questions
    }


def test_a_wrong_answer_to_a_comparison_no_card_asks_costs_no_flashcard_statement(
    seed_history, student, django_assert_num_queries
):
    from history.models import Position

    facts_sync(position=Position.objects.get(slug=SLUG))
    synced = {fact.pk: fact.changed_at for fact in Fact.objects.all()}
    attempt = make_attempt(user=student, count=3)
    questions = list(attempt.questions.order_by("order"))[:2]
    tenure_keys = [keys.tenure_key(SLUG), keys.tenure_key(SLUG, "Chairman")]
    for question, key in zip(questions, tenure_keys, strict=True):
        AttemptQuestion.objects.filter(pk=question.pk).update(
            kind="longest_tenure", about={"fact_key": key}
        )
        question.refresh_from_db()
        # the 4 of any answer; no fact read, and no second making of the position's cards
        with django_assert_num_queries(4):
            attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    assert not Card.objects.exists()
    assert {fact.pk: fact.changed_at for fact in Fact.objects.all()} == synced
