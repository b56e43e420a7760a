#!/usr/bin/env bash
# The browser tests drive a headless Chromium through Playwright. Playwright's
# own browser download is not used: the system's Chromium is.
set -euo pipefail
browser="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium from the Debian packages (chromium)…"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core >/dev/null
  exit 0
fi
cat >&2 <<MSG
The browser tests need a headless Chromium at $browser and none was found.
Install it, then run the tests again:
  Debian/Ubuntu:  sudo apt-get install chromium        (or chromium-browser)
  macOS:          brew install --cask chromium
Or point CHROMIUM at an existing Chromium or Chrome binary:
  CHROMIUM=/path/to/chrome make test
MSG
exit 1
