#!/usr/bin/env bash
# Grading runs each student's notebook in a bubblewrap sandbox (tightrope/sandbox.py), and the
# grading tests check that sandbox. Debian's bubblewrap package provides bwrap.
set -euo pipefail
if command -v bwrap >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing bubblewrap from the Debian packages…"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap >/dev/null
  exit 0
fi
cat >&2 <<MSG
Grading and its tests need bubblewrap (bwrap) and none was found.
Install it (Debian or Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap),
then run the tests again. As a normal user it also needs user namespaces enabled.
MSG
exit 1
