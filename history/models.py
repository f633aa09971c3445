"""Political offices ("positions"), the titles each used over time, and the people who held them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Cast
from django.urls import reverse

from history import facts

# What a slug may be (a SlugField's own rule, and its length); anything else never reaches SQL.
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,100}")


class PositionQuerySet(models.QuerySet):
    """Queries on positions."""

    def published(self) -> PositionQuerySet:
        return self.filter(is_published=True)

    def with_slug(self, slug: str) -> PositionQuerySet:
        """The position with this slug; junk (a NUL byte, a thousand characters) finds none."""
        if isinstance(slug, str) and SLUG_PATTERN.fullmatch(slug):
            return self.filter(slug=slug)
        return self.none()

    def visible_to(self, user) -> PositionQuerySet:
        """Published positions, and the viewer's own unpublished ones; every one for a superuser."""
        if user is not None and user.is_authenticated and user.is_superuser:
            return self
        if user is not None and user.is_authenticated:
            return self.filter(Q(is_published=True) | Q(owner=user))
        return self.published()

    def for_position_page(self) -> PositionQuerySet:
        """Everything the position page shows: facts, titles, terms with their holders, associations."""
        return self.prefetch_related(
            "facts",
            "titles",
            Prefetch("titles__terms", queryset=Term.objects.select_related("person")),
            Prefetch("associations", queryset=Association.objects.select_related("person")),
        )

    def facts_for(self, slug: str) -> facts.PositionFacts:
        """The position, its titles, terms and associations as frozen facts, in one UNION query."""
        day, flag, text = models.DateField(), models.BooleanField(), models.TextField()
        types = {
            "starts": day,
            "ends": day,
            "died": flag,
            "is_acting": flag,
            "disputed_starts": day,
            "office_ended": flag,
            "undated_start": flag,
        }

        def branch(queryset: models.QuerySet, kind: str, **paths: str) -> models.QuerySet:
            # Every branch selects the same columns in the same order; absent ones are NULL.
            # Absent columns are typed NULLs (CAST), since PostgreSQL reads a bare NULL parameter as
            # text and refuses to UNION it with a date or boolean column.
            columns = {
                name: models.F(paths[name])
                if name in paths
                else models.Value(kind, text)
                if name == "row_kind"
                else Cast(models.Value(None), types.get(name, text))
                for name in facts.ROW_COLUMNS
            }
            return queryset.order_by().annotate(**columns).values(*facts.ROW_COLUMNS)

        person = {
            "person_full_name": "person__full_name",
            "person_short_name": "person__short_name",
            "person_slug": "person__slug",
            "starts": "start_date",
            "ends": "end_date",
        }
        rows = branch(
            self.filter(slug=slug),
            facts.ROW_POSITION,
            position_name="name",
            position_short_name="short_name",
            position_slug="slug",
            title_name="role_name",
            title_short_name="role_name_plural",
        ).union(
            branch(
                Title.objects.filter(position__slug=slug),
                facts.ROW_TITLE,
                title_name="name",
                title_short_name="short_name",
            ),
            branch(
                Term.objects.filter(title__position__slug=slug),
                facts.ROW_TERM,
                title_name="title__name",
                title_short_name="title__short_name",
                died="died_in_office",
                is_acting="acting",
                text="note",
                disputed_starts="disputed_start_date",
                office_ended="office_abolished",
                **person,
            ),
            branch(
                Association.objects.filter(position__slug=slug),
                facts.ROW_ASSOCIATION,
                died="ended_by_death",
                relation_name="relation",
                text="description",
                undated_start="start_undated",
                **person,
            ),
            all=True,
        )
        rows = list(rows)
        if not rows:
            raise self.model.DoesNotExist(f"No position has the slug {slug!r}.")
        return facts.position_facts_from_rows(rows)


class PositionManager(models.Manager.from_queryset(PositionQuerySet)):
    """Looks positions up by slug for fixtures."""

    def get_by_natural_key(self, slug: str) -> Position:
        return self.get(slug=slug)


class Position(models.Model):
    """A political office whose holders are tracked over time, under one or more titles."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    body = models.CharField(max_length=200, blank=True, help_text="The body the office belongs to.")
    country = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True)
    role_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "How questions name the holder under any of the office's titles, with its article: "
            "“the party's leading secretary”."
        ),
    )
    role_name_plural = models.CharField(
        max_length=200,
        blank=True,
        help_text="The same in the plural: “the party's leading secretaries”.",
    )
    deputy_title = models.CharField(max_length=200, blank=True)
    deputy_description = models.TextField(blank=True)
    source_title = models.CharField(max_length=300, help_text="The work every fact is taken from.")
    source_kind = models.CharField(max_length=100, default="Encyclopedia article")
    source_reference = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="The teacher who imported it; empty for the curated data loaded from fixtures.",
    )
    is_published = models.BooleanField(
        "published",
        default=True,
        help_text="Everyone sees a published position; an unpublished one only its owner sees.",
    )

    objects = PositionManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Teachers' private topics may share a name with each other's; what everyone sees
            # may not, nor may one teacher's own.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(is_published=True) | Q(owner__isnull=True),
                name="unique_public_position_name",
                violation_error_message="A published position already has this name.",
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="unique_owned_position_name",
                violation_error_message="You already have a position with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("position-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def first_holder_note(self, terms: list[Term]) -> str:
        """Why the infobox's first holder is not the list's first row (it counts from the first
        to bear the position's own title), or "" when they agree."""
        fact = next((f for f in self.facts.all() if f.label == "First holder"), None)
        if fact is None or not terms or terms[0].person.full_name == fact.value:
            return ""
        named = next((t for t in terms if t.person.full_name == fact.value), None)
        first = terms[0]
        which = (
            f", the first {named.title.short_name} (from {named.start_date.year})" if named else ""
        )
        return (
            f"The infobox names {fact.value}{which}; the list of holders starts earlier, with "
            f"{first.person.full_name}, {first.title.short_name} from "
            f"{facts.format_date(first.start_date)}."
        )

    def terms_in_order(self) -> list[Term]:
        """Every term under every title, by start date (uses the page's prefetch when present)."""
        terms = [term for title in self.titles.all() for term in title.terms.all()]
        return sorted(terms, key=lambda term: (term.start_date, term.end_date or dt.date.max))


class PositionFactManager(models.Manager):
    """Looks infobox facts up by position and label for fixtures."""

    def get_by_natural_key(self, position_slug: str, label: str) -> PositionFact:
        return self.get(position__slug=position_slug, label=label)


class PositionFact(models.Model):
    """One line of a position's infobox (residence, seat, appointer, salary, ...)."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="facts")
    label = models.CharField(max_length=100)
    value = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    objects = PositionFactManager()

    class Meta:
        ordering = ["position", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["position", "label"], name="unique_fact_label"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"

    def natural_key(self) -> tuple[str, str]:
        return (self.position.slug, self.label)

    natural_key.dependencies = ["history.position"]


class TitleManager(models.Manager):
    """Looks titles up for fixtures: by position slug and name, or by name alone.

    A name alone finds a title of the curated positions (those no teacher owns), so the seed
    fixtures name titles as they always have; a teacher's topic names its position too.
    """

    def get_by_natural_key(self, *key: str) -> Title:
        if len(key) == 1:
            return self.get(name=key[0], position__owner__isnull=True)
        position_slug, name = key
        return self.get(position__slug=position_slug, name=name)


class Title(models.Model):
    """A name a position went by for a span of time."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="titles")
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=100)

    objects = TitleManager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "name"],
                name="unique_title_per_position",
                violation_error_message="This position already has a title with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.position.slug, self.name)

    natural_key.dependencies = ["history.position"]


class PersonQuerySet(models.QuerySet):
    """Queries on people."""

    def for_person_page(self, viewer=None) -> PersonQuerySet:
        """Everything the person page shows: terms with titles and positions, associations;
        only those of positions the viewer may see."""
        visible = Position.objects.visible_to(viewer)
        return self.prefetch_related(
            Prefetch(
                "terms",
                queryset=Term.objects.filter(title__position__in=visible)
                .select_related("title", "title__position")
                .order_by("start_date"),
            ),
            Prefetch(
                "associations",
                queryset=Association.objects.filter(position__in=visible).select_related(
                    "position"
                ),
            ),
        )


class PersonManager(models.Manager.from_queryset(PersonQuerySet)):
    """Looks people up by full name for fixtures."""

    def get_by_natural_key(self, full_name: str) -> Person:
        return self.get(full_name=full_name)


class Person(models.Model):
    """Someone who held a position, or whom the source ties to one."""

    full_name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=100, help_text="How prompts name them: a surname.")
    slug = models.SlugField(max_length=100, unique=True)

    objects = PersonManager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("person-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.full_name,)


def spans_overlap(
    start: dt.date, end: dt.date | None, other: dt.date, other_end: dt.date | None
) -> bool:
    """Whether two spans share more than a handover day (an open end runs on): the rule
    TermQuerySet.overlapping puts in SQL, for spans held in memory."""
    return (other_end is None or other_end > start) and (end is None or other < end)


class TermQuerySet(models.QuerySet):
    """Queries on terms of office."""

    def of_position(self, position: Position) -> TermQuerySet:
        """Terms held under any title of the position."""
        return self.filter(title__position=position)

    def in_force_on(self, day: dt.date) -> TermQuerySet:
        """Terms that had begun and not yet ended on the day (both ends count)."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def overlapping(self, start: dt.date, end: dt.date | None) -> TermQuerySet:
        """Terms sharing more than a handover day with the span from start to end (open if None)."""
        overlap = Q(end_date__isnull=True) | Q(end_date__gt=start)
        if end is not None:
            overlap &= Q(start_date__lt=end)
        return self.filter(overlap)


class TermManager(models.Manager.from_queryset(TermQuerySet)):
    """Looks terms up by holder, title (as TitleManager takes it) and start date for fixtures."""

    def get_by_natural_key(self, person_name: str, *title_and_start: str) -> Term:
        *title_key, start_date = title_and_start
        if len(title_key) == 1:
            title = {"title__name": title_key[0], "title__position__owner__isnull": True}
        else:
            title = {"title__position__slug": title_key[0], "title__name": title_key[1]}
        return self.get(person__full_name=person_name, start_date=start_date, **title)


class Term(models.Model):
    """One person's continuous tenure of a position under one title."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="terms")
    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="terms")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Empty while in office.")
    died_in_office = models.BooleanField(default=False)
    acting = models.BooleanField(default=False)
    office_abolished = models.BooleanField(
        default=False, help_text="The office itself was abolished when this term ended."
    )
    note = models.TextField(blank=True, help_text="The source table's note, word for word.")
    source_discrepancy = models.TextField(
        blank=True, help_text="Where the source contradicts itself, what the other passage says."
    )
    disputed_start_date = models.DateField(
        null=True,
        blank=True,
        help_text="A different start date that another passage of the source gives, if any.",
    )

    objects = TermManager()

    class Meta:
        ordering = ["start_date", "end_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="term_ends_after_it_starts",
                violation_error_message="A term cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(died_in_office=False) | Q(end_date__isnull=False),
                name="term_death_needs_end_date",
                violation_error_message="A holder who died in office needs an end date.",
            ),
            models.UniqueConstraint(
                fields=["person", "title", "start_date"], name="unique_term_start"
            ),
        ]

    def __str__(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "present"
        return f"{self.person} ({self.title.short_name}, {self.start_date.isoformat()} to {end})"

    def natural_key(self) -> tuple[str, str, str, str]:
        return (self.person.full_name, *self.title.natural_key(), _iso(self.start_date))

    natural_key.dependencies = ["history.person", "history.title"]

    def clean(self) -> None:
        """Refuse a term that overlaps another term of the same position (a handover day is fine)."""
        super().clean()
        self.clean_dates()
        if self.title_id is None or self.start_date is None:
            return
        clash = (
            Term.objects.filter(title__position_id=self.title.position_id)
            .overlapping(self.start_date, self.end_date)
            .exclude(pk=self.pk)
            .select_related("person")
            .first()
        )
        if clash is not None:
            raise self.overlap_error(clash)

    def clean_dates(self) -> None:
        """Refuse an end before the start: the part of clean() that needs no database."""
        if None not in (self.start_date, self.end_date) and self.end_date < self.start_date:
            raise ValidationError({"end_date": "A term cannot end before it starts."})

    def overlap_error(self, clash: Term) -> ValidationError:
        """The error for a term that overlaps `clash`."""
        return ValidationError(
            {"start_date": f"This term overlaps {clash.person}'s term from {clash.start_date}."}
        )

    @property
    def duration(self) -> Duration | None:
        """Years, months and days from start to end; None while in office."""
        if self.end_date is None:
            return None
        return Duration.between(self.start_date, self.end_date)


def _iso(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


class Duration:
    """A calendar span in whole years, months and days."""

    def __init__(self, years: int, months: int, days: int, total_days: int) -> None:
        self.years, self.months, self.days, self.total_days = years, months, days, total_days

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Duration:
        """The span from start to end, counting whole calendar months first."""
        months = (end.year - start.year) * 12 + end.month - start.month
        if end.day < start.day:
            months -= 1
        anchor = _add_months(start, months)
        return cls(months // 12, months % 12, (end - anchor).days, (end - start).days)

    def __str__(self) -> str:
        parts = [
            f"{n} {unit}{'' if n == 1 else 's'}"
            for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day"))
            if n
        ]
        return ", ".join(parts) if parts else "0 days"


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return dt.date(year, month_index + 1, min(day.day, last_day))


class AssociationManager(models.Manager):
    """Looks associations up by position, person and relation for fixtures."""

    def get_by_natural_key(self, position_slug: str, person_name: str, relation: str):
        return self.get(
            position__slug=position_slug, person__full_name=person_name, relation=relation
        )


class Association(models.Model):
    """A tie the source draws between a person and a position outside the formal list of terms."""

    class Relation(models.TextChoices):
        DE_FACTO_HOLDER = "de_facto_holder", "de facto holder"
        DEPUTY = "deputy", "deputy"
        CONTEMPORARY = "contemporary", "contemporary"

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="associations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="associations")
    relation = models.CharField(max_length=30, choices=Relation.choices)
    start_date = models.DateField(null=True, blank=True)
    start_undated = models.BooleanField(
        "start not dated",
        default=False,
        help_text="The source gives no day for the start: the start date is only the earliest "
        "it can be (say, the day the body was created).",
    )
    end_date = models.DateField(null=True, blank=True)
    ended_by_death = models.BooleanField(
        default=False, help_text="The tie ended because the person died."
    )
    description = models.TextField(help_text="What the source says, close to its words.")

    objects = AssociationManager()

    class Meta:
        ordering = ["position", "start_date", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "person", "relation"], name="unique_association"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="association_ends_after_it_starts",
                violation_error_message="An association cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_relation_display()} of {self.position.short_name}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.position.slug, self.person.full_name, self.relation)

    natural_key.dependencies = ["history.position", "history.person"]
