"""The home, position and person pages: content, timeline structure, 404s and query counts."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from history.models import Association
from tests.factories import (
    AssociationFactory,
    PersonFactory,
    PositionFactFactory,
    PositionFactory,
    TermFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db

SLUG = "general-secretary-cpsu"
SVG = "{http://www.w3.org/2000/svg}"
HOME_QUERIES = 2  # positions; the published question sets (quiz's template tag)
# The position, then its facts, titles, terms with holders, and associations with people.
POSITION_QUERIES = 5
# The person, then their terms with titles and positions, and their associations with positions.
PERSON_QUERIES = 3

SEED_ORDER = [
    ("yakov-sverdlov", "1918-03-08"),
    ("elena-stasova", "1919-03-25"),
    ("nikolay-krestinsky", "1919-11-29"),
    ("vyacheslav-molotov", "1921-03-16"),
    ("joseph-stalin", "1922-04-03"),
    ("nikita-khrushchev", "1953-09-07"),
    ("leonid-brezhnev", "1964-10-14"),
    ("leonid-brezhnev", "1966-04-08"),
    ("yuri-andropov", "1982-11-12"),
    ("konstantin-chernenko", "1984-02-13"),
    ("mikhail-gorbachev", "1985-03-11"),
    ("vladimir-ivashko", "1991-08-24"),
]
DIED_IN_OFFICE = {
    ("yakov-sverdlov", "1918-03-08"),
    ("leonid-brezhnev", "1966-04-08"),
    ("yuri-andropov", "1982-11-12"),
    ("konstantin-chernenko", "1984-02-13"),
}
DIED_MARK = 'aria-label="died in office"'
TERM_ROW = re.compile(
    r'<tbody class="(?P<classes>[^"]*)"(?: data-holder="(?P<holder>[^"]*)")? '
    r'data-start="(?P<start>[^"]*)">(?P<body>.*?)</tbody>',
    re.DOTALL,
)


def position_url(slug: str = SLUG) -> str:
    return reverse("position-detail", kwargs={"slug": slug})


def person_url(slug: str) -> str:
    return reverse("person-detail", kwargs={"slug": slug})


def term_rows(html: str) -> list[re.Match]:
    return list(TERM_ROW.finditer(html))


def svg_of(html: str) -> ET.Element:
    """The timeline picture, parsed as XML (which also proves it is well-formed)."""
    match = re.search(r'<svg class="timeline-chart".*?</svg>', html, re.DOTALL)
    assert match, "no timeline picture on the page"
    return ET.fromstring(match.group(0))


def svg_groups(svg: ET.Element, css_class: str) -> list[ET.Element]:
    return [
        element for element in svg.iter(f"{SVG}g") if css_class in element.get("class", "").split()
    ]


def bar_rect(group: ET.Element) -> tuple[float, float]:
    rect = group.find(f"{SVG}rect")
    return float(rect.get("x")), float(rect.get("x")) + float(rect.get("width"))


# Home


def test_home_lists_positions(client, seed_history):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{position_url()}"' in html
    assert "General Secretary of the Communist Party of the Soviet Union" in html
    assert "<h1" in html


def test_home_without_positions_says_how_to_load_them(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "load_history" in response.content.decode()


def test_home_query_count_does_not_grow(client, db, django_assert_num_queries):
    PositionFactory()
    with django_assert_num_queries(HOME_QUERIES):
        client.get(reverse("home"))
    PositionFactory.create_batch(5)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.content.decode().count('class="card"') == 6


# Position page


@pytest.fixture
def position_html(client, seed_history) -> str:
    response = client.get(position_url())
    assert response.status_code == 200
    return response.content.decode()


def test_position_page_heading_summary_and_facts_in_order(position_html):
    assert "<h1>General Secretary of the Communist Party of the Soviet Union</h1>" in position_html
    assert "From 1924 until the country&#x27;s dissolution in 1991" in position_html
    labels = re.findall(r"<dt>(.*?)</dt>", position_html)
    assert labels[0] == "Post"
    assert labels[-1] == "Salary"
    assert len(labels) == 16
    assert "<dd>10,000 Rbls annually</dd>" in position_html


def test_position_page_lists_all_twelve_terms_in_order(position_html):
    rows = term_rows(position_html)
    assert [(row["holder"], row["start"]) for row in rows] == SEED_ORDER
    for row in rows:
        assert f'href="{person_url(row["holder"])}"' in row["body"]


def test_terms_show_titles_dates_and_durations(position_html):
    sverdlov = term_rows(position_html)[0]["body"]
    assert '<span class="title-short">Chairman of the Secretariat</span>' in sverdlov
    assert (
        '<span class="title-full">Chairman of the Secretariat of the Central Committee of the '
        "Russian Communist Party (Bolsheviks)</span>"
    ) in sverdlov
    assert '<time datetime="1918-03-08">8 March 1918</time>' in sverdlov
    assert '<time datetime="1919-03-16">16 March 1919</time>' in sverdlov
    assert "1 year, 8 days" in sverdlov
    assert "Sverdlov was one of five secretaries" in sverdlov
    stalin = term_rows(position_html)[4]["body"]
    assert "30 years, 6 months, 13 days" in stalin


def test_died_in_office_marks_exactly_the_four_who_died(position_html):
    for row in term_rows(position_html):
        expected = 1 if (row["holder"], row["start"]) in DIED_IN_OFFICE else 0
        assert row["body"].count(DIED_MARK) == expected, row["holder"]
        assert row["body"].count("†") == expected, row["holder"]
        assert ("died" in row["classes"].split()) == bool(expected)


def test_ivashko_is_marked_acting(position_html):
    rows = {(row["holder"], row["start"]): row for row in term_rows(position_html)}
    ivashko = rows[("vladimir-ivashko", "1991-08-24")]
    assert '<span class="badge">acting</span>' in ivashko["body"]
    assert "acting" in ivashko["classes"].split()
    others = [row for key, row in rows.items() if key[0] != "vladimir-ivashko"]
    assert all('class="badge"' not in row["body"] for row in others)


def test_khrushchev_discrepancy_note_is_shown_on_his_term_only(position_html):
    rows = term_rows(position_html)
    with_discrepancy = [row["holder"] for row in rows if 'class="discrepancy"' in row["body"]]
    assert with_discrepancy == ["nikita-khrushchev"]
    assert "Central Committee plenum on 14 September 1953" in rows[5]["body"]


def test_deputy_associations_and_source(position_html):
    assert "Deputy: Second Secretary of the Communist Party of the Soviet Union" in position_html
    assert "Prominent Second Secretaries include Mikhail Suslov" in position_html
    headings = re.findall(r"<h3>(.*?)</h3>", position_html)
    assert headings == ["De facto holders", "Deputies", "Contemporaries"]
    de_facto = position_html.split("<h3>De facto holders</h3>")[1].split("<h3>")[0]
    assert [slug for slug in re.findall(r'href="/people/([^/]+)/"', de_facto)] == [
        "yakov-sverdlov",  # first among the secretaries from 1917, before the chair existed
        "joseph-stalin",
        "georgy-malenkov",
        "nikita-khrushchev",
    ]
    assert '<time datetime="1953-03-05">5 March 1953</time>' in de_facto
    assert 'aria-label="ended by death"' in de_facto
    for slug in ("mikhail-suslov", "alexei-kosygin", "boris-yeltsin", "vladimir-lenin"):
        assert f'href="{person_url(slug)}"' in position_html
    assert "<cite>General Secretary of the Communist Party of the Soviet Union</cite>" in (
        position_html
    )
    assert "(Encyclopedia article)" in position_html
    assert "fixtures/sources/000_cb014ced32fb42b8.txt" in position_html


def test_timeline_is_an_accessible_picture(position_html):
    svg = svg_of(position_html)
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert svg.get("viewBox").startswith("0 0 1000 ")
    assert svg.get("aria-labelledby") == "timeline-title"
    assert svg.find(f"{SVG}title").get("id") == "timeline-title"
    assert svg.find(f"{SVG}desc").get("id") == "timeline-desc"
    assert "No one held the office from 16 October 1952" in svg.find(f"{SVG}desc").text
    described_by = svg.get("aria-describedby").split()
    assert described_by == ["timeline-desc", "timeline-caption"]
    assert '<figcaption id="timeline-caption">' in position_html
    assert 'href="#terms"' in position_html
    assert 'id="terms"' in position_html


def test_timeline_has_one_bar_per_term_in_title_lanes(position_html):
    bars = svg_groups(svg_of(position_html), "term")
    assert len(bars) == 12
    assert [bar.get("data-start") for bar in bars] == [start for _, start in SEED_ORDER]
    lanes = [int(bar.get("data-lane")) for bar in bars]
    assert lanes == [0, 1, 1, 1, 2, 3, 3, 4, 4, 4, 4, 4]
    died = [bar.get("data-holder") for bar in bars if "died" in bar.get("class").split()]
    assert died == ["Yakov Sverdlov", "Leonid Brezhnev", "Yuri Andropov", "Konstantin Chernenko"]
    marks = [bar for bar in bars if bar.find(f"{SVG}text[@class='died-mark']") is not None]
    assert len(marks) == 4


def test_timeline_shows_the_1952_gap(position_html):
    svg = svg_of(position_html)
    bars = {bar.get("data-start"): bar for bar in svg_groups(svg, "term")}
    _, stalin_end = bar_rect(bars["1922-04-03"])
    khrushchev_start, _ = bar_rect(bars["1953-09-07"])
    (gap,) = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "gap"]
    assert (gap.get("data-start"), gap.get("data-end")) == ("1952-10-16", "1953-09-07")
    assert float(gap.get("x")) == pytest.approx(stalin_end, abs=0.1)
    assert khrushchev_start - stalin_end == pytest.approx(float(gap.get("width")), abs=0.2)
    # 326 days of a 74-year axis 972 units wide.
    assert khrushchev_start - stalin_end == pytest.approx(326 / 27028 * 972, abs=0.2)


def test_timeline_shows_the_1966_rename(position_html):
    svg = svg_of(position_html)
    brezhnev = [
        bar for bar in svg_groups(svg, "term") if bar.get("data-holder") == "Leonid Brezhnev"
    ]
    assert [bar.get("data-lane") for bar in brezhnev] == ["3", "4"]
    first_classes = set(brezhnev[0].get("class").split())
    second_classes = set(brezhnev[1].get("class").split())
    assert "lane-3" in first_classes
    assert "lane-4" in second_classes
    _, first_end = bar_rect(brezhnev[0])
    second_start, _ = bar_rect(brezhnev[1])
    assert first_end == pytest.approx(second_start, abs=0.1)
    (continuation,) = svg_groups(svg, "continuation")
    assert continuation.get("data-day") == "1966-04-08"
    line = continuation.find(f"{SVG}line")
    assert float(line.get("x1")) == second_start


def test_pages_need_no_inline_script_or_style(position_html):
    assert "style=" not in position_html
    assert "<style" not in position_html
    assert not re.search(r"<script(?![^>]*\bsrc=)", position_html)
    assert not re.search(r"<[^>]+\son[a-z]+=", position_html)


def test_position_page_query_count_is_pinned(client, seed_history, django_assert_num_queries):
    with django_assert_num_queries(POSITION_QUERIES):
        response = client.get(position_url())
    assert response.status_code == 200


def test_position_page_query_count_does_not_grow(client, db, django_assert_num_queries):
    position = PositionFactory()
    titles = TitleFactory.create_batch(2, position=position)
    TermFactory(title=titles[0], start_date=dt.date(1900, 1, 1), end_date=dt.date(1901, 1, 1))
    PositionFactFactory(position=position)
    AssociationFactory(position=position)
    with django_assert_num_queries(POSITION_QUERIES):
        client.get(position_url(position.slug))

    for year in range(1901, 1921):
        TermFactory(
            title=titles[year % 2],
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year + 1, 1, 1),
            died_in_office=year % 3 == 0,
        )
    PositionFactFactory.create_batch(5, position=position)
    AssociationFactory.create_batch(5, position=position)
    AssociationFactory(position=position, relation=Association.Relation.DEPUTY)
    with django_assert_num_queries(POSITION_QUERIES):
        response = client.get(position_url(position.slug))
    assert len(term_rows(response.content.decode())) == 21
    assert len(svg_groups(svg_of(response.content.decode()), "term")) == 21


def test_position_without_terms_has_no_timeline(client, db):
    position = PositionFactory()
    response = client.get(position_url(position.slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" not in html
    assert "No terms have been recorded" in html


# Person page


def test_person_page_shows_each_term(client, seed_history):
    response = client.get(person_url("leonid-brezhnev"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Leonid Brezhnev</h1>" in html
    rows = term_rows(html)
    assert [row["start"] for row in rows] == ["1964-10-14", "1966-04-08"]
    assert [row["body"].count(DIED_MARK) for row in rows] == [0, 1]
    assert '<span class="title-short">First Secretary' in rows[0]["body"]
    assert f'href="{position_url()}"' in rows[0]["body"]
    assert "1 year, 5 months, 25 days" in rows[0]["body"]
    assert '<time datetime="1982-11-10">10 November 1982</time>' in rows[1]["body"]
    assert "The office of First Secretary was renamed General Secretary" in rows[0]["body"]


def test_person_page_for_acting_holder(client, seed_history):
    html = client.get(person_url("vladimir-ivashko")).content.decode()
    (row,) = term_rows(html)
    assert '<span class="badge">acting</span>' in row["body"]
    assert "5 days" in row["body"]


def test_person_page_shows_discrepancy(client, seed_history):
    html = client.get(person_url("nikita-khrushchev")).content.decode()
    (row,) = term_rows(html)
    assert 'class="discrepancy"' in row["body"]
    assert "Also named in the source" in html
    assert "De facto holder" in html
    assert "14 March 1953" in html


def test_a_tie_the_source_does_not_date_says_so(client, seed_history):
    html = client.get(person_url("yakov-sverdlov")).content.decode()
    assert 'undated, not before <time datetime="1917-08-19">19 August 1917</time>' in html
    assert "rose to first among them" in html


def test_person_who_never_held_office_says_so_and_why(client, seed_history):
    response = client.get(person_url("georgy-malenkov"))
    assert response.status_code == 200
    html = response.content.decode()
    assert term_rows(html) == []
    assert "Georgy Malenkov never held any office listed here." in html
    assert "Why the source names Malenkov" in html
    assert "briefly ranked first in the Secretariat" in html
    assert f'href="{position_url()}"' in html


def test_person_with_two_ties_lists_both(client, seed_history):
    html = client.get(person_url("nikolai-podgorny")).content.decode()
    assert "<strong>Deputy</strong>" in html
    assert "<strong>Contemporary</strong>" in html


def test_person_page_query_count_is_pinned(client, seed_history, django_assert_num_queries):
    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(person_url("leonid-brezhnev"))
    assert response.status_code == 200


def test_person_page_query_count_does_not_grow(client, db, django_assert_num_queries):
    person = PersonFactory()
    TermFactory(person=person)
    with django_assert_num_queries(PERSON_QUERIES):
        client.get(person_url(person.slug))

    for year in range(1960, 1970):
        TermFactory(person=person, start_date=dt.date(year, 1, 1), end_date=None)
    AssociationFactory.create_batch(4, person=person)
    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(person_url(person.slug))
    html = response.content.decode()
    assert len(term_rows(html)) == 11
    assert html.count("In office") == 10


# Errors and methods


@pytest.mark.parametrize("url_name", ["position-detail", "person-detail"])
def test_unknown_slug_is_404(client, seed_history, url_name):
    response = client.get(reverse(url_name, kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/", f"/positions/{SLUG}/", "/people/joseph-stalin/"],
    ids=["home", "position", "person"],
)
def test_pages_are_read_only(client, seed_history, url):
    assert client.post(url).status_code == 405


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_the_infobox_first_holder_is_explained_beside_the_lists_first_row(position_html):
    assert (
        "The infobox names Joseph Stalin, the first General Secretary (from 1922); the list of "
        "holders starts earlier, with Yakov Sverdlov, Chairman of the Secretariat from "
        "8 March 1918."
    ) in position_html
