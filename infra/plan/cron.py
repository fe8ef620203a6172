"""Application Auto Scaling cron expressions: checked as the service accepts them, and
their firing times in a year (for the idle cost floor of a scheduled endpoint).

Format (Application Auto Scaling API reference, PutScheduledAction `Schedule`; the
botocore model in the virtualenv carries the same text): `cron(Minutes Hours
Day_of_Month Month Day_of_Week Year)`, "six fields separated by white spaces". The
field values and wildcards are EventBridge's ("Cron expressions reference", which the
Application Auto Scaling User Guide, "Schedule recurring scaling actions", points to):

| field | values | wildcards |
|---|---|---|
| minutes | 0-59 | , - * / |
| hours | 0-23 | , - * / |
| day-of-month | 1-31 | , - * ? / L W |
| month | 1-12 or JAN-DEC | , - * / |
| day-of-week | 1-7 or SUN-SAT | , - * ? L # |
| year | 1970-2199 | , - * / |

Day-of-month and day-of-week cannot both be given: one of them is `?`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_MONTHS = {name: i + 1 for i, name in enumerate(calendar.month_abbr[1:])}
_MONTHS = {k.upper(): v for k, v in _MONTHS.items()}
_DAYS = {name: i + 1 for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
_EXPRESSION = re.compile(r"^cron\((\S+( \S+){5})\)$")


class CronError(ValueError):
    """What is wrong with an expression, in words."""


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    low: int
    high: int
    names: dict[str, int]


_FIELDS = (
    _Field("minutes", 0, 59, {}),
    _Field("hours", 0, 23, {}),
    _Field("day-of-month", 1, 31, {}),
    _Field("month", 1, 12, _MONTHS),
    _Field("day-of-week", 1, 7, _DAYS),
    _Field("year", 1970, 2199, {}),
)


def _number(field: _Field, text: str) -> int:
    value = field.names.get(text.upper()) if field.names else None
    if value is None:
        if not text.isdigit():
            raise CronError(f"{field.name} field: {text!r} is not a number")
        value = int(text)
    if not field.low <= value <= field.high:
        raise CronError(f"{field.name} field: {value} is outside {field.low}-{field.high}")
    return value


def _values(field: _Field, text: str) -> frozenset[int]:
    """A field of numbers: lists of `*`, `a`, `a-b`, each with an optional `/step`."""
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise CronError(f"{field.name} field: {part!r} has no positive step")
            step = int(step_text)
        if base == "*":
            low, high = field.low, field.high
        elif "-" in base:
            first, _, last = base.partition("-")
            low, high = _number(field, first), _number(field, last)
            if low > high:
                raise CronError(f"{field.name} field: range {base!r} runs backwards")
        else:
            low = _number(field, base)
            high = field.high if step_text else low
        values.update(range(low, high + 1, step))
    return frozenset(values)


def _weekday(day: date) -> int:
    """1 (Sunday) to 7 (Saturday), as cron numbers days of the week."""
    return (day.weekday() + 1) % 7 + 1


def _last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _day_of_month(text: str) -> Callable[[date], bool]:
    field = _FIELDS[2]
    if text == "L":
        return lambda d: d.day == _last_day(d)
    if text == "LW":
        return lambda d: d == _nearest_weekday(d.replace(day=_last_day(d)))
    if text.endswith("W"):
        target = _number(field, text[:-1])
        return lambda d: target <= _last_day(d) and d == _nearest_weekday(d.replace(day=target))
    values = _values(field, text)
    return lambda d: d.day in values


def _nearest_weekday(day: date) -> date:
    """The weekday nearest `day` in its month (cron's `W`)."""
    if day.weekday() == 5:  # Saturday: Friday, unless that is last month
        return day - timedelta(days=1) if day.day > 1 else day + timedelta(days=2)
    if day.weekday() == 6:  # Sunday: Monday, unless that is next month
        return day + timedelta(days=1) if day.day < _last_day(day) else day - timedelta(days=2)
    return day


def _day_of_week(text: str) -> Callable[[date], bool]:
    field = _FIELDS[4]
    if text == "L":
        return lambda d: _weekday(d) == 7
    if text.endswith("L"):
        weekday = _number(field, text[:-1])
        return lambda d: _weekday(d) == weekday and d.day + 7 > _last_day(d)
    if "#" in text:
        weekday_text, _, nth_text = text.partition("#")
        weekday = _number(field, weekday_text)
        if not nth_text.isdigit() or not 1 <= int(nth_text) <= 5:
            raise CronError(f"day-of-week field: {text!r} needs #1 to #5")
        nth = int(nth_text)
        return lambda d: _weekday(d) == weekday and (d.day - 1) // 7 + 1 == nth
    values = _values(field, text)
    return lambda d: _weekday(d) in values


@dataclass(frozen=True)
class Cron:
    """A parsed expression: when it fires."""

    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    months: frozenset[int]
    years: frozenset[int] | None  # None: every year
    on_day: Callable[[date], bool]

    def fires_in(self, year: int) -> Iterator[datetime]:
        """Every time it fires in `year`, in order (wall-clock time of its time zone)."""
        if self.years is not None and year not in self.years:
            return
        day = date(year, 1, 1)
        while day.year == year:
            if day.month in self.months and self.on_day(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        yield datetime(year, day.month, day.day, hour, minute)
            day += timedelta(days=1)


def parse_cron(expression: str) -> Cron:
    """The expression, or CronError saying what Application Auto Scaling would refuse."""
    match = _EXPRESSION.match(expression)
    if match is None:
        raise CronError(
            "must be cron(minutes hours day-of-month month day-of-week year): six fields"
        )
    minutes, hours, dom, month, dow, year = match.group(1).split(" ")
    if (dom == "?") == (dow == "?"):
        raise CronError("give day-of-month or day-of-week, and ? in the other")
    if "?" in (minutes, hours, month, year):
        raise CronError("? is only for day-of-month or day-of-week")
    return Cron(
        expression=expression,
        minutes=_values(_FIELDS[0], minutes),
        hours=_values(_FIELDS[1], hours),
        months=_values(_FIELDS[3], month),
        years=None if year == "*" else _values(_FIELDS[5], year),
        on_day=_day_of_week(dow) if dom == "?" else _day_of_month(dom),
    )
