#!/usr/bin/env bash
# Install everything the project needs on a fresh Debian machine with Python 3.11.
#   bash scripts/setup.sh          build dependencies (Python packages)
#   bash scripts/setup.sh --test   plus test dependencies: Chromium, poppler-utils, util-linux, axe-core, pytest & co.,
#                                  and nbconvert for bench/benchmark.py
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
PY="${PYTHON:-python3}"

apt_packages=()
if [ "$mode" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || apt_packages+=(poppler-utils)
  command -v unshare >/dev/null 2>&1 || apt_packages+=(util-linux)  # disk-full / read-only tests mount in a namespace
  command -v mount >/dev/null 2>&1 || apt_packages+=(mount)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${apt_packages[@]}"
fi

if [ "$mode" = "--test" ]; then
  "$PY" -m pip install -q --disable-pip-version-check -e ".[test,bench]"
  if [ -f package.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  "$PY" -m pip install -q --disable-pip-version-check -e .
fi
