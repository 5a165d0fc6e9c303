#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine with Python 3.11, then run them.
# Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v firefox-esr >/dev/null || need_apt+=(firefox-esr)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The CPU build of torch first: an unpinned torch pulls several GB of CUDA packages.
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -e '.[train,test]'
# puppeteer-core for the Firefox smoke test; axe-core for the accessibility test.
for dir in tests/firefox tests/a11y; do
  if [ -f "$dir/package.json" ]; then
    (cd "$dir" && npm ci --silent --no-audit --no-fund)
  fi
done
# web-ext, which lints the built extension (tests/test_extension_build.py)
(cd scripts/extension-tools && npm ci --silent --no-audit --no-fund)

exec .venv/bin/python -m pytest "$@"
