"""The shared core of the answer checks: check sets, kinds of answer, hints, helpers.

Each exercise has its own module beside this one, named like the exercise
(``escalation.py`` for ``02-escalation``), which registers its questions here.
"""
from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Callable, Iterable

import pandas as pd

from tightrope import attacks, data


class NotYet(AssertionError):
    """The answer is not right yet; the message is the hint."""


class NoAnswer(NotYet):
    """There is no answer yet: the variable is still ``None`` or ``...``."""


class WrongKind(NotYet):
    """The answer is the wrong kind of object (type, columns, shape)."""


TICK = "✓"
SETS: dict[str, "CheckSet"] = {}  # notebook stem -> its checks


# --- The check sets ------------------------------------------------------------

class CheckSet:
    """The checks of one exercise notebook; ``check.q1(answer)`` runs question 1."""

    def __init__(self, notebook: str, title: str):
        self.notebook = notebook  # file stem, e.g. "02-escalation"
        self.title = title
        self.questions: dict[str, Callable] = {}
        SETS[notebook] = self

    def question(self, name: str, expects: str):
        """Register a check. ``expects`` describes the answer, for the plain messages.

        The decorated function receives the answer (never None or ``...``),
        raises :class:`NotYet` with a hint when it is wrong, and returns the
        confirmation shown when it is right.
        """
        def register(func):
            @functools.wraps(func)
            def check(answer=None):
                __tracebackhide__ = True  # pytest: show the message, not this frame
                if answer is None or answer is Ellipsis:
                    got = "None" if answer is None else "... (the placeholder)"
                    raise NoAnswer(f"{name}: no answer yet: expected {expects}, got {got}.")
                try:
                    confirmation = func(answer)
                except NotYet as problem:
                    raise type(problem)(f"{name}: {problem}") from None
                except Exception as problem:  # an odd answer tripped the comparison
                    raise WrongKind(f"{name}: could not check this answer "
                                    f"({type(problem).__name__}: {problem}); expected {expects}.") from None
                print(f"{TICK} {name}: correct. {confirmation}".rstrip())
            check.expects = expects
            self.questions[name] = check
            setattr(self, name, check)
            return check
        return register

    def __repr__(self) -> str:
        return f"<checks for {self.notebook}: {', '.join(self.questions)}>"


# --- Reading the answer: plain messages when it is the wrong kind -------------

def _kind(value) -> str:
    """A short, student-readable name for what was given."""
    if isinstance(value, pd.DataFrame):
        return f"a DataFrame with columns {list(value.columns)}"
    if isinstance(value, pd.Series):
        return f"a Series named {value.name!r}" if value.name is not None else "a Series"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}" if _is_scalar(value) else type(value).__name__


def _is_scalar(value) -> bool:
    return isinstance(value, (numbers.Number, str, bool)) or value is None


def _one_value(answer, expects: str) -> None:
    """WrongKind with the way out when the answer is a Series or DataFrame holding one value."""
    if isinstance(answer, (pd.Series, pd.DataFrame)) and answer.size == 1:
        raise WrongKind(f"expected {expects}, got {_kind(answer)} holding one value: "
                        "take the value out of it (e.g. with .item() or .iloc[0]).")


def _must_be_number(answer, expects: str) -> None:
    """WrongKind unless the answer is a single number (not a bool, not a one-cell table)."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Number):
        _one_value(answer, expects)
        raise WrongKind(f"expected {expects}, got {_kind(answer)}.")
    if pd.isna(answer) or math.isinf(float(answer)):
        raise WrongKind(f"expected {expects}, got {answer!r}.")


def whole_number(answer, expects: str) -> int:
    """The answer as an int, or WrongKind naming what was expected."""
    _must_be_number(answer, expects)
    if float(answer) != int(answer):
        raise WrongKind(f"expected {expects} (a whole number), got {answer!r}.")
    return int(answer)


def number(answer, expects: str) -> float:
    """The answer as a float, or WrongKind naming what was expected."""
    _must_be_number(answer, expects)
    return float(answer)


def frame(answer, columns: Iterable[str], expects: str) -> pd.DataFrame:
    """The answer as a DataFrame with (at least) these columns, or WrongKind."""
    columns = list(columns)
    if isinstance(answer, pd.Series):
        raise WrongKind(f"expected {expects}: a DataFrame with columns {columns}, got {_kind(answer)}; "
                        "a Series becomes a DataFrame with .reset_index() or .to_frame().")
    if not isinstance(answer, pd.DataFrame):
        raise WrongKind(f"expected {expects}: a DataFrame with columns {columns}, got {_kind(answer)}.")
    missing = [c for c in columns if c not in answer.columns]
    if missing:
        hint = ""
        if set(missing) & set(answer.index.names):
            hint = " (some are in the index: .reset_index() turns them into columns)"
        raise WrongKind(f"expected {expects}: a DataFrame with columns {columns}; "
                        f"missing {missing}{hint}, got columns {list(answer.columns)}.")
    return answer


def choice(answer, options: dict[str, str]) -> str:
    """The answer as one option letter (case and spaces ignored), or WrongKind."""
    letters = ", ".join(repr(k) for k in options)
    if not isinstance(answer, str):
        raise WrongKind(f"expected one of the letters {letters} as a string, got {_kind(answer)}.")
    letter = answer.strip().upper()
    if letter not in options:
        raise WrongKind(f"expected one of the letters {letters}, got {answer!r}.")
    return letter


def chart_spec(answer) -> dict:
    """The Vega-Lite spec of an Altair chart (or of a chart the grader read back as data), or WrongKind."""
    import altair as alt

    from tightrope.answers import ExportedChart
    if isinstance(answer, ExportedChart):
        return dict(answer)
    if not isinstance(answer, alt.TopLevelMixin):
        raise WrongKind(f"expected an Altair chart (alt.Chart(...)...), got {_kind(answer)}.")
    try:
        return answer.to_dict()
    except Exception as problem:  # an invalid spec: say why, in one line
        first = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem).__name__
        raise WrongKind(f"the chart is not a valid Vega-Lite spec yet: {first}") from None


# --- Comparing: hints for the mistakes people actually make ---------------------

def diagnose(value, expected, mistakes: Iterable[tuple[object, str]], otherwise: str,
             *, close: Callable[[object, object], bool] | None = None) -> None:
    """Raise NotYet unless ``value`` matches ``expected``.

    ``mistakes`` pairs the result of a known wrong method with the hint that
    explains it; every pair whose value matches gives its hint, so a value
    that several mistakes give names each of them (a mistake that happens to
    give the right value is skipped). ``otherwise`` is the hint for anything else.
    """
    same = close or (lambda a, b: a == b)
    if same(value, expected):
        return
    hints = list(dict.fromkeys(hint for wrong, hint in mistakes  # each hint once, in order
                               if wrong is not None and not same(wrong, expected) and same(value, wrong)))
    if len(hints) > 1:
        raise NotYet("this could come from more than one mistake: "
                     + " ".join(f"({n}) {hint}" for n, hint in enumerate(hints, start=1)))
    raise NotYet(hints[0] if hints else otherwise)


def near(tolerance: float = 0.01) -> Callable[[object, object], bool]:
    """Compare numbers allowing for rounding (absolute tolerance)."""
    return lambda a, b: a is not None and b is not None and abs(float(a) - float(b)) <= tolerance


# --- Showing failures briefly in IPython ------------------------------------------

def _short_traceback(shell, etype, value, tb, tb_offset=None):
    """Show a failed check as one line, ``NotYet: q1: hint``, not a traceback."""
    lines = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, lines)
    return lines


def _install_short_tracebacks() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: the normal traceback is fine
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "_showtraceback"):
        shell.set_custom_exc((NotYet,), _short_traceback)


_install_short_tracebacks()


# --- Shared helpers for the questions ------------------------------------------------

ATTACK = "indirect fire"  # the book's "attack": rockets and mortars fired at a site
CASUALTY_COLUMNS = [f"{outcome}_{group}" for outcome in ("killed", "wounded")
                    for group in ("us", "coalition", "contractor", "iraqi")]


def _attacks(start=None, end=None, kinds=(ATTACK,)) -> pd.DataFrame:
    """Incidents of these kinds dated from ``start`` to ``end`` (both inclusive)."""
    return attacks.attacks(data.incidents(), start=start, end=end, kinds=kinds)


MONTH_FORMATS = ("ISO8601", "%B %Y", "%b %Y")  # '2019-10' or a date, 'October 2019', 'Oct 2019'


def _month_labels(values) -> list[str]:
    """Months given as Periods, Timestamps or text, as 'YYYY-MM' labels."""
    series = pd.Series(list(values))
    if isinstance(series.dtype, pd.PeriodDtype):
        return series.astype(str).str[:7].tolist()
    text = series.astype(str).str.strip()
    months = pd.to_datetime(text, format=MONTH_FORMATS[0], errors="coerce")
    for form in MONTH_FORMATS[1:]:  # explicit formats: pandas never guesses a missing year
        months = months.fillna(pd.to_datetime(text, format=form, errors="coerce"))
    if months.notna().all():
        return months.dt.strftime("%Y-%m").tolist()
    odd = text[months.isna()].iloc[0]
    if not re.search(r"\d{4}", odd):
        raise WrongKind(f"each month needs its year, e.g. 'June 2019', got values like {odd!r}.")
    raise WrongKind("the month column should hold months (a Period, a date, or text such as "
                    f"'2019-10'), got values like {odd!r}.")


def _per_month(rows: pd.DataFrame, start: str, end: str) -> dict[str, int]:
    """Attacks per month label, every month from start to end included (zeros too)."""
    months = pd.period_range(start, end, freq="M").astype(str)
    counts = rows["date"].dt.strftime("%Y-%m").value_counts()
    return {m: int(counts.get(m, 0)) for m in months}


def _monthly_answer(answer, expects: str) -> dict[str, int]:
    """Read a month/attacks table into {month label: count}, in the answer's row order."""
    table = frame(answer, ["month", "attacks"], expects)
    months = _month_labels(table["month"])
    counts = [whole_number(v, "whole numbers in the attacks column") for v in table["attacks"]]
    if len(set(months)) != len(months):
        raise NotYet("a month appears more than once; group by month so each month has one row.")
    return dict(zip(months, counts))


def _plain(value):
    """A cell value in a form that compares simply (dates as text, NA as None)."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, numbers.Number) and float(value) == int(value):
        return int(value)
    return value if isinstance(value, (int, float)) else str(value)


def _records(table: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(_plain(v) for v in row) for row in table[columns].itertuples(index=False)]


def _option_hints(letter: str, options: dict[str, str], right: str, why: dict[str, str]) -> str:
    """The confirmation for the right option; NotYet with that option's hint otherwise."""
    if letter != right:
        raise NotYet(why[letter])
    return options[right]


def _spec_parts(spec: dict) -> tuple[str, dict, dict]:
    """(mark type, encoding, top-level spec) of a single-view chart."""
    if any(key in spec for key in ("layer", "hconcat", "vconcat", "concat", "facet")):
        raise WrongKind("expected a single chart (alt.Chart(...).mark_...().encode(...)), "
                        "not a layered or combined one.")
    mark = spec.get("mark")
    mark = mark.get("type") if isinstance(mark, dict) else mark
    return str(mark), spec.get("encoding", {}), spec


def _chart_data(spec: dict) -> list[dict]:
    """The rows a chart carries (Altair stores a DataFrame under spec['datasets'])."""
    name = spec.get("data", {}).get("name")
    return spec.get("datasets", {}).get(name, []) if name else spec.get("data", {}).get("values", [])


def _finished(spec: dict) -> None:
    """NotYet unless the chart went through charts.finish (title, source line, description)."""
    title = spec.get("title")
    subtitle = title.get("subtitle", []) if isinstance(title, dict) else []
    subtitle = [subtitle] if isinstance(subtitle, str) else subtitle
    if not title or not spec.get("description") or not any(str(s).startswith("Source:") for s in subtitle):
        raise NotYet("every chart in the book is finished with charts.finish(chart, title=..., source=..., "
                     "description=...): it adds the title, the source line and the text description.")


def _axis_title(encoding: dict, channel: str) -> str:
    enc = encoding.get(channel, {})
    return str(enc.get("title") or (enc.get("axis") or {}).get("title") or "")


def _counts_on_y(encoding: dict) -> None:
    """NotYet unless the y field, a count, is quantitative and shown as it is (or summed)."""
    y = encoding.get("y", {})
    if y.get("type") != "quantitative":
        raise NotYet(f"{y.get('field')} is a count: encode it as quantitative (:Q).")
    if y.get("aggregate", "sum") != "sum":
        raise NotYet(f"the bars should show the counts in the table, not their {y['aggregate']}: "
                     f"encode '{y.get('field')}:Q' without an aggregate.")


# --- Helpers that several exercises share ------------------------------------------

def _status_counts(section: str | None) -> dict[str, int]:
    claims = data.claims()
    if section is not None:
        claims = claims[claims["section"] == section]
    counts = claims["status"].astype(str).value_counts()
    return {s: int(n) for s, n in counts.items() if n}


STRIKES = "2019-12-29-us-strikes-kh"  # events id of the US strikes on Kata'ib Hezbollah


def _event_date(event_id: str) -> pd.Timestamp:
    events = data.events().set_index("id")
    return events.loc[event_id, "date"]


def _k1_attack() -> pd.Series:
    """The December 2019 attack on K-1 (the one that killed a US contractor)."""
    rows = _attacks("2019-12-01", "2019-12-31").query("site == 'k-1'")
    return rows.iloc[0]


# --- Questions that weigh the data: numbers worked out, then a reading chosen -------------

def _judged(answer, numbers_: dict[str, tuple[object, list[tuple[object, str]], str]],
            options: dict[str, str], right: Iterable[str], why: dict[str, str], expects: str) -> str:
    """Check a dict answer holding computed numbers and the letter of a reading (key ``reading``).

    ``numbers_`` maps each numeric key to (expected value, [(wrong value, hint), ...], otherwise);
    ``right`` holds every letter the question accepts, ``why`` a hint for each other letter.
    Returns the confirmation: the chosen reading.
    """
    keys = [*numbers_, "reading"]
    if not isinstance(answer, dict):
        raise WrongKind(f"expected {expects} (a dict with keys {keys}), got {_kind(answer)}.")
    missing = [k for k in keys if k not in answer]
    if missing:
        raise WrongKind(f"expected a dict with keys {keys}; missing {missing}, got a dict with keys {list(answer)}.")
    for key, (expected, mistakes, otherwise) in numbers_.items():
        value = whole_number(answer[key], f"a whole number for {key!r}")
        try:
            diagnose(value, expected, mistakes, otherwise)
        except NotYet as problem:
            raise NotYet(f"{key!r}: {problem}") from None
    letter = choice(answer["reading"], options)
    if letter not in set(right):
        raise NotYet(f"'reading': {why[letter]}")
    return options[letter]
