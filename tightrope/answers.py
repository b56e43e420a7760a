"""Answers as data: saved by the student's kernel, read and checked by the grader.

When a notebook is graded, the value each check cell checks is saved, just
before that cell runs, as data only, never as a Python object: JSON for
numbers, text, lists and dictionaries; a Parquet table for a DataFrame or a
Series; the Vega-Lite JSON of an Altair chart. The grader reads those files in
its own process and runs the checks there (:func:`check`), so nothing the
notebook prints, defines or patches can change a verdict: a replaced
``check`` object or a patched module only changes what the kernel shows.

A value that cannot be saved as data, or an answer expression that raised,
becomes :class:`Unreadable` with the reason.
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import numbers
from pathlib import Path

PARQUET_COLUMN = "__value__"  # the column a Series is saved under


class Unreadable(ValueError):
    """The answer could not be read as data; the message says why."""


class ExportedChart(dict):
    """The Vega-Lite spec of a chart answer, as the grader reads it back."""


# --- In the student's kernel --------------------------------------------------------

def save(question: str, get_value, folder: str) -> None:
    """Save the answer to ``question`` (``get_value()``) in ``folder``; record why if it cannot be."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        record = _describe(question, get_value(), folder)
    except Exception as problem:  # the answer expression itself raised (a name not defined, ...)
        record = {"error": f"{type(problem).__name__}: {problem}"}
    (folder / f"{question}.json").write_text(json.dumps(record), encoding="utf-8")


def _describe(question: str, value, folder: Path) -> dict:
    import pandas as pd

    if value is None:
        return {"kind": "none"}
    if value is Ellipsis:
        return {"kind": "placeholder"}
    if isinstance(value, pd.DataFrame):
        _parquet(value, folder / f"{question}.parquet")
        return {"kind": "frame"}
    if isinstance(value, pd.Series):
        _parquet(value.to_frame(name=PARQUET_COLUMN), folder / f"{question}.parquet")
        return {"kind": "series", "name": _plain(value.name)}
    if type(value).__module__.startswith("altair"):
        try:
            return {"kind": "chart", "spec": value.to_dict()}
        except Exception as problem:
            raise Unreadable(f"the chart is not a valid Vega-Lite spec yet: {_first_line(problem)}") from None
    return {"kind": "json", "value": _plain(value)}


def _parquet(table, path: Path) -> None:
    try:
        table.to_parquet(path)
    except Exception as problem:
        raise Unreadable(f"this table cannot be saved as data ({_first_line(problem)})") from None


def _plain(value):
    """A JSON-ready copy of a plain value (numpy scalars become Python ones), or Unreadable."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()  # a numpy scalar: its plain Python value
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else {"__float__": repr(number)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise Unreadable("a dictionary whose keys are not all text cannot be saved as data")
        return {key: _plain(item) for key, item in value.items()}
    raise Unreadable(f"a {type(value).__name__} cannot be saved as data")


def _first_line(problem: Exception) -> str:
    text = str(problem).strip().splitlines()
    return text[0][:200] if text else type(problem).__name__


# --- In the grader ----------------------------------------------------------------------

def load(question: str, folder: str | Path):
    """The saved answer to ``question``; Unreadable if it was not saved or could not be."""
    folder = Path(folder)
    try:
        record = json.loads((folder / f"{question}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Unreadable("no answer was saved (the notebook stopped before this check)") from None
    if not isinstance(record, dict):
        raise Unreadable("the saved answer is not in the expected form")
    if "error" in record:
        raise Unreadable(str(record["error"]))
    kind = record.get("kind")
    if kind == "none":
        return None
    if kind == "placeholder":
        return Ellipsis
    if kind in ("frame", "series"):
        import pandas as pd

        try:
            table = pd.read_parquet(folder / f"{question}.parquet")
        except Exception as problem:
            raise Unreadable(f"the saved table cannot be read ({_first_line(problem)})") from None
        if kind == "frame":
            return table
        if list(table.columns) != [PARQUET_COLUMN]:
            raise Unreadable("the saved Series is not in the expected form")
        return table[PARQUET_COLUMN].rename(record.get("name"))
    if kind == "chart" and isinstance(record.get("spec"), dict):
        return ExportedChart(record["spec"])
    if kind == "json":
        return _unplain(record.get("value"))
    raise Unreadable("the saved answer is not in the expected form")


def _unplain(value):
    if isinstance(value, list):
        return [_unplain(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"__float__"}:
            return float(value["__float__"])
        return {key: _unplain(item) for key, item in value.items()}
    return value


def check(exercise: str, question: str, folder: str | Path) -> tuple[bool, str]:
    """Run the real check on the saved answer, here: (passed, the tick line or the hint)."""
    from tightrope import checks

    check_set = checks.SETS.get(exercise)
    if check_set is None or question not in check_set.questions:
        return False, f"no check {question} for exercise {exercise!r}"
    try:
        value = load(question, folder)
    except Unreadable as problem:
        return False, f"could not read your answer: {problem}"
    shown = io.StringIO()
    try:
        with contextlib.redirect_stdout(shown):
            check_set.questions[question](value)
    except checks.NotYet as problem:
        return False, f"{type(problem).__name__}: {problem}"
    lines = [line for line in shown.getvalue().splitlines() if line.startswith(checks.TICK)]
    return True, lines[-1] if lines else f"{checks.TICK} {question}: correct."


SAVE_CELL = """from tightrope import answers as _tightrope_answers
_tightrope_answers.save({question!r}, lambda: ({expression}), {folder!r})
del _tightrope_answers"""


def save_cell(question: str, expression: str, folder: str | Path) -> str:
    """The code the grader runs in the kernel just before the check cell of ``question``."""
    return SAVE_CELL.format(question=question, expression=expression or "None", folder=str(folder))
