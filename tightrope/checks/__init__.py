"""Answer checks for the exercise notebooks, one set per notebook.

In a notebook::

    from tightrope.checks import escalation as check
    check.q1(attacks_per_month)

A right answer prints one line that starts with a tick. Anything else raises
:class:`NotYet` (an ``AssertionError``) whose message is a hint: it names what
looks wrong and where to look, without giving the answer away. Two kinds of
``NotYet`` say the answer is not there at all, so the message is plain:
:class:`NoAnswer` (still ``None`` or the ``...`` placeholder) and
:class:`WrongKind` (a list where a DataFrame was expected, and so on).

The checks are a small package: ``core`` holds what every exercise shares
(check sets, the kinds of answer, hints, helpers), and each exercise has its
own module, named like the exercise (``escalation`` for ``02-escalation``):
to add a question, open that module.

Expected values are computed from the data package (:mod:`tightrope.data`)
each time a check runs, so the checks follow the data when a row is corrected.
Only the argument questions, whose answers are choices among options, have
fixed keys.

In IPython and Jupyter, importing this module makes these exceptions display
as one line (``NotYet: q1: ...``) instead of a traceback.
"""
from __future__ import annotations

from tightrope.checks.core import (SETS, TICK, CheckSet, NoAnswer, NotYet, WrongKind, _install_short_tracebacks,
                                   _short_traceback, chart_spec, choice, diagnose, frame, near, number,
                                   whole_number)
# Importing each exercise's module registers its check set in SETS.
from tightrope.checks import (attribution, cult_of_presence, deterrence, epilogue, escalation,  # noqa: E402
                              eviction_risk, reading_the_data, setting_the_scene, source_criticism,
                              willing_to_leave)

__all__ = ["SETS", "TICK", "CheckSet", "NoAnswer", "NotYet", "WrongKind", "chart_spec", "choice", "diagnose",
           "frame", "near", "number", "whole_number", "reading_the_data", "setting_the_scene", "escalation",
           "deterrence", "attribution", "eviction_risk", "cult_of_presence", "willing_to_leave", "epilogue",
           "source_criticism",
           "_install_short_tracebacks", "_short_traceback"]
