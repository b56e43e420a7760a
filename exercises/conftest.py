"""pytest --nbval exercises/ runs only the instructor notebooks.

The student editions (exercises/student/, made by `tightrope student`) hold
placeholders, so their check cells fail by design; the MyST sources in src/
are not notebooks with stored outputs.
"""

collect_ignore = ["student", "src"]
