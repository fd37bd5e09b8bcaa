"""Self-report measures (PHQ-9, GAD-7, PEG, daily mood): definitions and exact scoring.

The definitions are data (``resources/measures/*.toml``, read by :func:`load_measures`);
this module holds the model, the loader and the arithmetic. Series for charts and export
are built in :mod:`journal_app.domain.trends`. Answers, item wording and scores are journal
content: they stay out of reprs and exception messages (errors name the item number only).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from journal_app.domain.datafile import DataFileError, DataSource, Fields, read_toml
from journal_app.domain.entities import aware, now
from journal_app.errors import UsageError


class Scoring(enum.StrEnum):
    SUM = "sum"
    MEAN = "mean"


class IncompleteAnswersError(UsageError, ValueError):
    """The answers can't be scored: one is missing, not a whole number, or not a choice.

    ``item`` is the 1-based item number at fault (None when there are too many answers).
    The message names the measure and the item, never an answer or a score.
    """

    def __init__(self, measure_id: str, item: int | None, problem: str) -> None:
        self.measure_id = measure_id
        self.item = item
        super().__init__(problem)


class UnknownMeasureError(UsageError, LookupError):
    """A check-in names a measure that isn't defined (e.g. from a newer version's data)."""

    def __init__(self, measure_id: str) -> None:
        self.measure_id = measure_id
        super().__init__(f"There is no measure called '{measure_id}'.")


@dataclass(frozen=True)
class Scale:
    """The choices for one item: every whole number from ``minimum`` to ``maximum``.

    ``labels`` pairs values with their wording: every value for a verbal scale (PHQ-9's
    "Not at all" … "Nearly every day"), only the anchors for a 0-10 rating.
    """

    minimum: int
    maximum: int
    labels: tuple[tuple[int, str], ...] = ()

    @property
    def values(self) -> range:
        return range(self.minimum, self.maximum + 1)

    @property
    def fully_labelled(self) -> bool:
        """True when every value has its own wording (show radio buttons, not a 0-10 row)."""
        return {v for v, _ in self.labels} == set(self.values)

    def label_for(self, value: int) -> str | None:
        return next((text for v, text in self.labels if v == value), None)


@dataclass(frozen=True)
class Item:
    number: int  # 1-based, as printed on the questionnaire
    text: str = field(repr=False)
    scale: Scale = field(repr=False)


@dataclass(frozen=True)
class Band:
    """A severity band of the total, inclusive at both ends (e.g. PHQ-9 "mild" = 5-9)."""

    id: str
    label: str
    minimum: int
    maximum: int

    def contains(self, total: float) -> bool:
        return self.minimum <= total <= self.maximum


@dataclass(frozen=True)
class SafetyRule:
    """Answers above ``above`` to any of ``items`` raise the safety flag, whatever the total."""

    items: tuple[int, ...]
    above: int = 0


@dataclass(frozen=True)
class ChangeRule:
    """Response: a drop of at least ``response_drop_percent`` from baseline.
    Remission: a total below ``remission_below``."""

    response_drop_percent: int
    remission_below: int


@dataclass(frozen=True, repr=False)
class Measure:
    id: str
    version: int
    name: str
    title: str
    topic: str
    recall: str
    instructions: str
    scoring: Scoring
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    safety: SafetyRule | None = None
    change: ChangeRule | None = None
    source: str = ""
    terms: str = ""
    order: int = 100

    def __repr__(self) -> str:
        return f"Measure(id={self.id!r}, version={self.version})"

    @property
    def min_total(self) -> int | float:
        return self._combine([item.scale.minimum for item in self.items])

    @property
    def max_total(self) -> int | float:
        return self._combine([item.scale.maximum for item in self.items])

    def _combine(self, values: Sequence[int]) -> int | float:
        if self.scoring is Scoring.MEAN:
            return sum(values) / len(values)
        return sum(values)

    def validate(self, answers: Sequence[object]) -> tuple[int, ...]:
        """The answers as a tuple of ints, or :class:`IncompleteAnswersError` naming the item."""
        values = tuple(answers)
        for item in self.items:
            index = item.number - 1
            if index >= len(values) or values[index] is None:
                raise self._incomplete(item.number, "has no answer")
            value = values[index]
            if not isinstance(value, int) or isinstance(value, bool):
                raise self._incomplete(item.number, "is not a whole number")
            if value not in item.scale.values:
                scale = item.scale
                raise self._incomplete(
                    item.number, f"is not one of the choices ({scale.minimum}-{scale.maximum})")
        if len(values) > len(self.items):
            raise IncompleteAnswersError(
                self.id, None, f"{self.name} has {len(self.items)} items but "
                               f"{len(values)} answers were given.")
        return cast("tuple[int, ...]", values)  # each checked to be a whole number above

    def _incomplete(self, number: int, problem: str) -> IncompleteAnswersError:
        return IncompleteAnswersError(self.id, number,
                                      f"{self.name} item {number} {problem}; nothing was scored.")

    def band_for(self, total: float) -> Band | None:
        return next((band for band in self.bands if band.contains(total)), None)

    def format_total(self, total: float) -> str:
        """Sums as whole numbers; means to one decimal (display only — totals stay exact)."""
        return f"{total:.1f}" if self.scoring is Scoring.MEAN else str(int(total))

    def score(self, answers: Sequence[object]) -> Score:
        return score(self, answers)

    def new_check_in(self, answers: Sequence[object], *, taken_at: dt.datetime | None = None,
                     session_id: int | None = None, note: str = "") -> CheckIn:
        """A validated, unsaved check-in of this measure (raises IncompleteAnswersError)."""
        return CheckIn(measure_id=self.id, measure_version=self.version,
                       answers=self.validate(answers), taken_at=taken_at or now(),
                       session_id=session_id, note=note)


@dataclass(frozen=True)
class Score:
    """One scored administration. ``total`` is exact (an int for sums, a float mean for PEG);
    ``display_total`` is what to show. ``band`` is None for measures without bands."""

    measure_id: str
    measure_version: int
    total: int | float = field(repr=False)
    display_total: str = field(repr=False)
    band: Band | None = field(repr=False)
    safety_flag: bool = field(repr=False)

    @property
    def band_label(self) -> str | None:
        return self.band.label if self.band else None


def score(measure: Measure, answers: Sequence[object]) -> Score:
    """Score complete answers exactly; incomplete ones raise :class:`IncompleteAnswersError`."""
    values = measure.validate(answers)
    total = measure._combine(values)
    flag = False
    if measure.safety is not None:
        flag = any(values[n - 1] > measure.safety.above for n in measure.safety.items)
    return Score(measure.id, measure.version, total, measure.format_total(total),
                 measure.band_for(total), flag)


@dataclass(frozen=True)
class CheckIn:
    """One completed measure as stored. ``id`` is None until stored; the score is always
    recomputed from ``answers`` so a scoring fix reaches old check-ins too."""

    measure_id: str
    answers: tuple[int, ...] = field(repr=False)
    taken_at: dt.datetime = field(default_factory=now)
    measure_version: int = 1
    session_id: int | None = None
    note: str = field(default="", repr=False)
    id: int | None = None
    uid: str | None = None
    created_at: dt.datetime = field(default_factory=now)

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", tuple(self.answers))
        object.__setattr__(self, "taken_at", aware(self.taken_at))
        object.__setattr__(self, "created_at", aware(self.created_at))


# --------------------------------------------------------------------------- change


@dataclass(frozen=True)
class Change:
    """A total compared with a baseline total. ``absolute`` is current − baseline (negative
    is a drop). ``percent`` is None when the baseline is 0; ``response`` is None then too,
    and both ``response`` and ``remission`` are None for measures without a change rule."""

    baseline: int | float = field(repr=False)
    current: int | float = field(repr=False)
    absolute: int | float = field(repr=False)
    percent: float | None = field(repr=False)
    response: bool | None = field(repr=False)
    remission: bool | None = field(repr=False)


def change_from_baseline(measure: Measure, baseline: Score | float,
                         current: Score | float) -> Change:
    base = baseline.total if isinstance(baseline, Score) else baseline
    cur = current.total if isinstance(current, Score) else current
    percent = None if base == 0 else (cur - base) * 100 / base
    response = remission = None
    rule = measure.change
    if rule is not None:
        # Integer arithmetic for sums, so an exact 50 % drop counts as a response.
        response = None if base == 0 else (base - cur) * 100 >= rule.response_drop_percent * base
        remission = cur < rule.remission_below
    return Change(base, cur, cur - base, percent, response, remission)


# --------------------------------------------------------------------------- loading


def load_measures(source: DataSource | None = None) -> dict[str, Measure]:
    """All measures, by id, in display order (PHQ-9, GAD-7, PEG, mood).

    ``source`` is a folder of ``*.toml`` files or one file; by default the bundled
    ``resources/measures``. A malformed file raises :class:`DataFileError` naming it.
    """
    if source is None:
        from journal_app.paths import resource  # the domain reads data, never writes it

        source = resource("measures")
    files = sorted((f for f in source.iterdir() if f.name.endswith(".toml")),
                   key=lambda f: f.name) if source.is_dir() else [source]
    if not files:
        raise DataFileError(source, "no measure files (*.toml) were found")
    measures: dict[str, Measure] = {}
    for file in files:
        measure = load_measure(file)
        if measure.id in measures:
            raise DataFileError(file, f"the measure id '{measure.id}' is used twice")
        measures[measure.id] = measure
    return dict(sorted(measures.items(), key=lambda kv: (kv[1].order, kv[0])))


def load_measure(source: DataSource) -> Measure:
    """One measure definition from one TOML file, checked for consistency."""
    top = Fields(source, read_toml(source))
    scoring_text = top.text("scoring")
    if scoring_text not in set(Scoring):
        raise top.fail(f"'scoring' must be one of {', '.join(Scoring)}")
    default_scale = top.sub("scale")
    items = tuple(_item(number, fields, default_scale)
                  for number, fields in enumerate(top.table_list("items"), start=1))
    version = top.integer("version")
    if version < 1:
        raise top.fail("'version' must be 1 or more")
    measure = Measure(
        id=_measure_id(top), version=version, name=top.text("name"), title=top.text("title"),
        topic=top.text("topic"), recall=top.text("recall"),
        instructions=top.text("instructions"), scoring=Scoring(scoring_text), items=items,
        bands=tuple(_band(f) for f in top.table_list("bands", required=False)),
        safety=_safety(top.sub("safety")), change=_change(top.sub("change")),
        source=top.optional_text("source"), terms=top.optional_text("terms"),
        order=top.integer("order", 100),
    )
    _check_consistency(top, measure)
    return measure


def _measure_id(top: Fields) -> str:
    value = top.text("id")
    if not all(c.islower() or c.isdigit() or c == "-" for c in value):
        raise top.fail("'id' may hold only lower-case letters, digits and '-'")
    return value


def _item(number: int, fields: Fields, default_scale: Fields | None) -> Item:
    own = fields.sub("scale")
    scale = own if own is not None else default_scale
    if scale is None:
        raise fields.fail("no 'scale' for this item and no default [scale]")
    return Item(number, fields.text("text"), _scale(scale))


def _scale(fields: Fields) -> Scale:
    low, high = fields.integer("min"), fields.integer("max")
    if high <= low:
        raise fields.fail("'max' must be greater than 'min'")
    if "labels" in fields.table and "anchors" in fields.table:
        raise fields.fail("give either 'labels' or 'anchors', not both")
    labels: list[tuple[int, str]] = []
    if "labels" in fields.table:
        texts = fields.table["labels"]
        if not isinstance(texts, list) or not all(isinstance(t, str) and t for t in texts):
            raise fields.fail("'labels' must be a list of texts")
        if len(texts) != high - low + 1:
            raise fields.fail(f"'labels' needs one text per value ({high - low + 1})")
        labels = list(zip(range(low, high + 1), texts, strict=True))
    for anchor in fields.table_list("anchors", required=False):
        value = anchor.integer("value")
        if not low <= value <= high or any(v == value for v, _ in labels):
            raise anchor.fail("'value' must be a distinct value on the scale")
        labels.append((value, anchor.text("label")))
    return Scale(low, high, tuple(sorted(labels)))


def _band(fields: Fields) -> Band:
    band = Band(fields.text("id"), fields.text("label"), fields.integer("min"),
                fields.integer("max"))
    if band.maximum < band.minimum:
        raise fields.fail("'max' must not be below 'min'")
    return band


def _safety(fields: Fields | None) -> SafetyRule | None:
    if fields is None:
        return None
    items = fields.int_list("items")
    if not items:
        raise fields.fail("'items' must name at least one item")
    return SafetyRule(tuple(items), fields.integer("above", 0))


def _change(fields: Fields | None) -> ChangeRule | None:
    if fields is None:
        return None
    rule = ChangeRule(fields.integer("response_drop_percent"), fields.integer("remission_below"))
    if not 0 < rule.response_drop_percent <= 100:
        raise fields.fail("'response_drop_percent' must be between 1 and 100")
    return rule


def _check_consistency(top: Fields, measure: Measure) -> None:
    if measure.safety is not None:
        for number in measure.safety.items:
            if not 1 <= number <= len(measure.items):
                raise top.fail(f"safety: there is no item {number}")
            scale = measure.items[number - 1].scale
            if not scale.minimum <= measure.safety.above < scale.maximum:
                raise top.fail(f"safety: 'above' is outside item {number}'s choices")
    if not measure.bands:
        return
    if measure.scoring is not Scoring.SUM:
        raise top.fail("bands are only supported for summed scores")
    expected = measure.min_total
    for band in sorted(measure.bands, key=lambda b: b.minimum):
        if band.minimum != expected:
            raise top.fail(f"bands: band '{band.id}' should start at {expected}")
        expected = band.maximum + 1
    if expected != measure.max_total + 1:
        raise top.fail(f"bands: the bands must reach the highest total ({measure.max_total})")
