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
Install it (Debian: sudo apt-get install chromium), then run the tests again.
Where it lives elsewhere, point CHROMIUM at it, for example:
  CHROMIUM=/usr/bin/chromium-browser make test                            (Ubuntu)
  CHROMIUM=/Applications/Chromium.app/Contents/MacOS/Chromium make test   (macOS, brew install --cask chromium)
  CHROMIUM="$(command -v google-chrome)" make test                         (Chrome)
MSG
exit 1
