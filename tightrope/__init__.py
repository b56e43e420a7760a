"""Shared code for *The Tight Rope, annotated*.

- `tightrope.data`: load and validate the data package in `data/`.
- `tightrope.charts`: the chart theme and conventions every chart follows.
- `tightrope.checks`: answer checks for the exercise notebooks.
- `tightrope.student`, `tightrope.grade`: student editions, self-check and grading.
- `tightrope.sphinxext`: build-time pieces of the book (offline chart bundle, data-aware cache).
"""
