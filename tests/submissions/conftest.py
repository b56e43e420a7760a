"""The sample submissions are data for tests/test_grade.py, not tests: never collect them
(not even under --nbval, where the endless loop would hang and the malformed one would error)."""

collect_ignore_glob = ["*.ipynb"]
