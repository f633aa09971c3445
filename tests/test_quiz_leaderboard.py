import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.leaderboard import AROUND, leaderboard, week_start
from quiz.models import Profile
from tests.factories import PositionFactory
from tests.quiz_factories import finished_attempt, make_attempt, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def position():
    return PositionFactory()


def player(name, *scores, position, finished_at=None, display_name=None):
    user = make_user(username=name)
    if display_name:
        Profile.objects.create(user=user, display_name=display_name)
    for score in scores:
        finished_attempt(user=user, score=score, position=position, finished_at=finished_at)
    return user


def board_rows(board):
    return [(row.rank, row.name, row.total) for row in board.rows]


def test_ties_share_a_rank(position):
    player("a", 10, position=position)
    player("b", 4, 4, position=position)
    player("c", 8, position=position)
    player("d", 5, position=position)

    board = leaderboard()

    assert board_rows(board) == [(1, "a", 10), (2, "b", 8), (2, "c", 8), (4, "d", 5)]
    assert [row.attempts for row in board.rows] == [1, 2, 1, 1]


def test_display_names_are_shown_and_guests_and_unfinished_attempts_left_out(position):
    player("anna", 3, position=position, display_name="Anna K")
    make_attempt(guest_token="guest", position=position)  # a guest's attempt
    unfinished = make_attempt(user=make_user(username="busy"), position=position)
    unfinished.score = 100
    unfinished.save()

    assert board_rows(leaderboard()) == [(1, "Anna K", 3)]


def test_this_week_counts_only_attempts_finished_since_monday(position):
    now = timezone.now()
    monday = week_start(now)
    player("old", 50, position=position, finished_at=monday - dt.timedelta(seconds=1))
    player("new", 5, position=position, finished_at=monday)

    assert board_rows(leaderboard(since=monday)) == [(1, "new", 5)]
    assert board_rows(leaderboard()) == [(1, "old", 50), (2, "new", 5)]


def test_week_starts_on_monday_at_midnight():
    wednesday = dt.datetime(2026, 11, 25, 15, 30, tzinfo=dt.UTC)
    assert week_start(wednesday) == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def test_a_filter_makes_a_board_of_its_own(position):
    other = PositionFactory()
    player("a", 10, position=position)
    player("b", 3, position=other)
    from django.db.models import Q

    assert board_rows(leaderboard(where=Q(position=other))) == [(1, "b", 3)]


def test_pages_and_the_viewer_off_the_page(position):
    users = [player(f"user{n:02}", 100 - n, position=position) for n in range(30)]
    viewer = users[20]  # place 21, off the first page of 10

    board = leaderboard(viewer=viewer, per_page=10)

    assert len(board.rows) == 10
    assert board.page.paginator.num_pages == 3
    assert not board.viewer_on_page
    assert board.viewer_row.rank == 21 and board.viewer_row.name == "user20"
    assert [row.place for row in board.around] == list(range(21 - AROUND, 21 + AROUND + 1))
    assert [row.is_viewer for row in board.around].count(True) == 1


def test_viewer_near_the_top_has_fewer_above(position):
    users = [player(f"user{n:02}", 100 - n, position=position) for n in range(10)]
    board = leaderboard(viewer=users[1], per_page=5)
    assert board.viewer_on_page
    assert [row.place for row in board.around] == [1, 2, 3, 4, 5, 6, 7]


def test_viewers_place_among_ties_follows_the_names(position):
    player("a", 5, position=position)
    viewer = player("b", 5, position=position)
    player("c", 5, position=position)
    board = leaderboard(viewer=viewer)
    assert (board.viewer_row.rank, board.viewer_row.place) == (1, 2)


def test_viewer_without_a_score_has_no_row(position):
    player("a", 5, position=position)
    board = leaderboard(viewer=make_user(username="new"))
    assert board.viewer_row is None and board.around == []


def test_out_of_range_pages_fall_back(position):
    player("a", 5, position=position)
    assert leaderboard(page_number="99").page.number == 1
    assert leaderboard(page_number="junk").page.number == 1


# The page


def test_leaderboard_is_visible_without_logging_in(client, position):
    player("anna", 7, position=position, display_name="Anna K")
    response = client.get(reverse("leaderboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna K" in page
    assert "Log in" in page or "Sign up" in page


def test_leaderboard_highlights_the_viewer_and_shows_them_off_the_page(client, position):
    users = [player(f"user{n:02}", 100 - n, position=position) for n in range(40)]
    client.force_login(users[30])
    page = client.get(reverse("leaderboard")).content.decode()
    assert "Your place" in page
    assert 'class="is-viewer"' in page
    assert "user30" in page and "user25" in page and "user35" in page
    assert "user24" not in page.split("Your place")[1]


def test_week_board_page(client, position):
    player("old", 50, position=position, finished_at=week_start() - dt.timedelta(days=1))
    player("new", 5, position=position)
    page = client.get(reverse("leaderboard"), {"period": "week"}).content.decode()
    assert "new" in page and ">old<" not in page
    assert 'aria-current="page"' in page


def test_unknown_period_falls_back_to_all_time(client, position):
    assert client.get(reverse("leaderboard"), {"period": "nonsense"}).status_code == 200


@pytest.mark.parametrize("users", [3, 40])
def test_leaderboard_query_count_is_fixed(client, position, users, django_assert_num_queries):
    everyone = [player(f"u{n:03}", n, n + 1, position=position) for n in range(users)]
    # count and page rows
    with django_assert_num_queries(2):
        assert client.get(reverse("leaderboard")).status_code == 200
    client.force_login(everyone[0])
    # session, user, count, page rows, the viewer's total, their place, the rows around them
    with django_assert_num_queries(7):
        assert client.get(reverse("leaderboard"), {"page": 2}).status_code == 200
