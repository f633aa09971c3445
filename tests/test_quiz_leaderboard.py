import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quiz.accounts import profile_create
from quiz.leaderboard import boards
from quiz.leaderboard.boards import week_start
from quiz.leaderboard.pages import AROUND, leaderboard
from quiz.leaderboard.rebuild import rebuild
from quiz.models import Attempt
from tests.factories import PositionFactory
from tests.quiz_factories import finished_attempt, make_attempt, make_question_set, make_user

pytestmark = pytest.mark.django_db

ALL = boards.all_time()


@pytest.fixture
def position():
    return PositionFactory()


def player(name, *scores, position, finished_at=None, display_name=None, question_set=None):
    user = make_user(username=name)
    if display_name:
        profile_create(user=user, display_name=display_name)
    for score in scores:
        finished_attempt(
            user=user,
            score=score,
            position=position,
            finished_at=finished_at,
            question_set=question_set,
        )
    return user


def many_players(count: int, *, position, score=lambda n: n):
    """Users with one finished attempt each, written in bulk and counted by a rebuild."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"many{n:04}", password="!") for n in range(count)
    )
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            user=user,
            position=position,
            title="Bulk",
            seed=1,
            difficulty="medium",
            question_count=10,
            points_per_correct=2,
            started_at=now,
            finished_at=now,
            answered_count=10,
            score=score(n),
        )
        for n, user in enumerate(users)
    )
    rebuild()
    return users


def board_rows(board):
    return [(row.rank, row.name, row.total) for row in board.rows]


def test_ties_share_a_rank(position):
    player("a", 10, position=position)
    player("b", 4, 4, position=position)
    player("c", 8, position=position)
    player("d", 5, position=position)

    board = leaderboard(board=ALL)

    assert board_rows(board) == [(1, "a", 10), (2, "b", 8), (2, "c", 8), (4, "d", 5)]
    assert [row.attempts for row in board.rows] == [1, 2, 1, 1]
    assert board.players == 4


def test_display_names_are_shown_and_guests_and_unfinished_attempts_left_out(position):
    player("anna", 3, position=position, display_name="Anna K")
    make_attempt(guest_token="guest", position=position)  # a guest's attempt
    unfinished = make_attempt(user=make_user(username="busy"), position=position)
    unfinished.score = 100
    unfinished.save()

    assert board_rows(leaderboard(board=ALL)) == [(1, "Anna K", 3)]


def test_this_week_counts_only_attempts_finished_since_monday(position):
    monday = week_start()
    player("old", 50, position=position, finished_at=monday - dt.timedelta(seconds=1))
    player("new", 5, position=position, finished_at=monday)

    assert board_rows(leaderboard(board=boards.this_week())) == [(1, "new", 5)]
    assert board_rows(leaderboard(board=ALL)) == [(1, "old", 50), (2, "new", 5)]


def test_week_starts_on_monday_at_midnight_and_boards_are_iso_weeks():
    wednesday = dt.datetime(2026, 11, 25, 15, 30, tzinfo=dt.UTC)
    assert week_start(wednesday) == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    assert boards.week_of(wednesday).key == "week:2026-W48"
    # ISO years: 1 January 2027 is a Friday of 2026's last week.
    assert boards.week_of(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).key == "week:2026-W53"
    sunday_night = dt.datetime(2026, 11, 29, 23, 59, 59, tzinfo=dt.UTC)
    assert boards.week_of(sunday_night) == boards.week_of(wednesday)


def test_a_sets_board_ranks_each_players_best_attempt(position):
    question_set = make_question_set(position=position, handwritten=1)
    player("steady", 6, 6, 6, position=position, question_set=question_set)
    player("sharp", 2, 9, 4, position=position, question_set=question_set)
    player("elsewhere", 20, position=position)

    board = leaderboard(board=boards.of_set(question_set.pk))

    assert board_rows(board) == [(1, "sharp", 9), (2, "steady", 6)]
    assert [row.attempts for row in board.rows] == [3, 3]


def test_pages_and_the_viewer_off_the_page(position):
    users = [player(f"user{n:02}", 100 - n, position=position) for n in range(30)]
    viewer = users[20]  # rank 21, off the first page of 10

    board = leaderboard(board=ALL, viewer=viewer, per_page=10)

    assert len(board.rows) == 10
    assert board.page.num_pages == 3
    assert not board.viewer_on_page
    assert board.viewer_row.rank == 21 and board.viewer_row.name == "user20"
    assert [row.rank for row in board.around] == list(range(21 - AROUND, 21 + AROUND + 1))
    assert [row.is_viewer for row in board.around].count(True) == 1

    page_three = leaderboard(board=ALL, viewer=viewer, page_number=3, per_page=10)
    assert [row.rank for row in page_three.rows] == list(range(21, 31))
    assert page_three.viewer_on_page and page_three.around == []


def test_a_page_that_starts_inside_a_tie_ranks_from_the_first_of_it(position):
    many_players(12, position=position, score=lambda n: 7 if n < 8 else n)
    board = leaderboard(board=ALL, page_number=2, per_page=5)
    # order: 11, 10, 9, 8 (ranks 1-4), then eight players at 7 (rank 5 each)
    assert [row.rank for row in board.rows] == [5, 5, 5, 5, 5]
    assert [row.total for row in board.rows] == [7] * 5
    last = leaderboard(board=ALL, page_number=3, per_page=5)
    assert [(row.rank, row.total) for row in last.rows] == [(5, 7), (5, 7)]


def test_ranks_after_a_tie_skip_as_many_places_as_the_tie(position):
    many_players(9, position=position, score=lambda n: [9, 8, 8, 8, 8, 8, 5, 5, 1][n])
    board = leaderboard(board=ALL, page_number=2, per_page=4)
    assert [(row.rank, row.total) for row in board.rows] == [(2, 8), (2, 8), (7, 5), (7, 5)]
    assert [
        (row.rank, row.total) for row in leaderboard(board=ALL, page_number=3, per_page=4).rows
    ] == [(9, 1)]


def test_the_viewer_among_ties_sees_the_players_either_side_by_sign_up(position):
    users = many_players(20, position=position, score=lambda n: 50 if n == 0 else 5)
    viewer = users[10]

    board = leaderboard(board=ALL, viewer=viewer, per_page=3)

    names = [row.name for row in board.around]
    assert names == [f"many{n:04}" for n in range(5, 16)]
    assert {row.rank for row in board.around} == {2}
    assert board.viewer_row.rank == 2 and board.viewer_row.is_viewer


def test_the_viewer_near_the_top_and_bottom_has_fewer_neighbours(position):
    users = many_players(12, position=position, score=lambda n: 100 - n)
    top = leaderboard(board=ALL, viewer=users[1], page_number=2, per_page=3)
    assert [row.rank for row in top.around] == [1, 2, 3, 4, 5, 6, 7]
    bottom = leaderboard(board=ALL, viewer=users[11], per_page=3)
    assert [row.rank for row in bottom.around] == [7, 8, 9, 10, 11, 12]


def test_viewer_without_a_score_has_no_row(position):
    player("a", 5, position=position)
    board = leaderboard(board=ALL, viewer=make_user(username="new"))
    assert board.viewer_row is None and board.around == []


def test_out_of_range_pages_fall_back(position):
    player("a", 5, position=position)
    assert leaderboard(board=ALL, page_number="99").page.number == 1
    assert leaderboard(board=ALL, page_number="junk").page.number == 1
    assert leaderboard(board=ALL, page_number="-4").page.number == 1
    assert leaderboard(board=ALL, page_number=str(10**30)).page.number == 1
    empty = leaderboard(board=boards.of_set(999_999), page_number="3")
    assert empty.rows == [] and empty.page.number == 1 and empty.players == 0


# The page


def test_leaderboard_is_visible_without_logging_in(client, position):
    player("anna", 7, position=position, display_name="Anna K")
    response = client.get(reverse("leaderboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna K" in page
    assert "Log in" in page or "Sign up" in page


def test_leaderboard_rows_escape_names_and_mark_the_viewer(client, position):
    player("ben", 9, position=position, display_name="<b>Ben</b> & co")
    viewer = player("cleo", 4, position=position, display_name="Cleo")
    client.force_login(viewer)
    page = client.get(reverse("leaderboard")).content.decode()
    assert "&lt;b&gt;Ben&lt;/b&gt; &amp; co" in page and "<b>Ben" not in page
    rows = re.findall(
        r"<tr(.*?)>\s*<td class=\"number\">(\d+)</td>\s*<th scope=\"row\">(.*?)</th>", page
    )
    assert [(rank, name) for _, rank, name in rows] == [
        ("1", "&lt;b&gt;Ben&lt;/b&gt; &amp; co"),
        ("2", 'Cleo <span class="visually-hidden">(you)</span>'),
    ]
    assert [attributes for attributes, _, _ in rows] == [
        "",
        ' class="is-viewer" aria-current="true"',
    ]


def test_leaderboard_highlights_the_viewer_and_shows_them_off_the_page(client, position):
    users = [player(f"user{n:02}", 100 - n, position=position) for n in range(40)]
    client.force_login(users[30])
    page = client.get(reverse("leaderboard")).content.decode()
    assert "Your place: rank 31" in page
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


@pytest.mark.parametrize("players", [3, 300])
def test_leaderboard_query_count_is_the_same_for_3_and_300_players(
    client, position, players, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("quiz.leaderboard.pages.PER_PAGE", 2)
    users = many_players(players, position=position)
    # where the page starts (a running sum of the counts), the page's rows with names
    with django_assert_num_queries(2):
        assert client.get(reverse("leaderboard")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(reverse("leaderboard"), {"period": "week"}).status_code == 200
    # the top player is on the first page: the user (the session is a cookie), the page
    client.force_login(users[-1])
    with django_assert_num_queries(3):
        assert client.get(reverse("leaderboard")).status_code == 200
    # the bottom player is off it: the user, the page, their neighbours (one union of four index
    # reads either side of them), the ranks of those
    client.force_login(users[0])
    with django_assert_num_queries(5):
        response = client.get(reverse("leaderboard"))
    assert f"Your place: rank {players}" in response.content.decode()
