#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is on PATH for the dashboard tests: uses the one
# installed (chromium, chromium-browser or google-chrome), or installs Debian's chromium.
# Also installs a Korean font when none is present, so students' Hangul names render
# (in the dashboard screenshot) instead of empty boxes.
set -euo pipefail

find_browser() {
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if browser=$(find_browser); then
  echo "chromium: $browser ($("$browser" --version 2>/dev/null || echo 'version unknown'))"
else
  if ! can_install; then
    echo "No Chromium on PATH. Install one (Debian/Ubuntu: 'sudo apt-get install chromium') and try again." >&2
    exit 1
  fi
  echo "chromium: not found, installing Debian's chromium"
  apt_install chromium
  browser=$(find_browser) || { echo "chromium was installed but is not on PATH" >&2; exit 1; }
  echo "chromium: installed $browser ($("$browser" --version 2>/dev/null))"
fi

if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ko family 2>/dev/null)" ]; then
  if can_install; then
    echo "fonts: no Korean font, installing fonts-nanum"
    apt_install fonts-nanum
  else
    echo "fonts: no Korean font; Hangul names will render as boxes (install fonts-nanum or fonts-noto-cjk)" >&2
  fi
else
  echo "fonts: a Korean font is present"
fi
