#!/usr/bin/env bash
# Installs what docflow needs on a Debian machine, saying what it installs:
#   system packages (Pango, HarfBuzz subsetting, Noto CJK fonts, the Liberation fonts for
#   English text with the metrics of Times New Roman and Arial, Graphviz), a virtual
#   environment in .venv and the docflow package in it.
# Usage: scripts/setup.sh [--test]   (--test adds the test tools: poppler-utils,
#   LibreOffice Writer, PostgreSQL, strace, Chromium with its WebDriver for the browser
#   test of the signing portal, and the test extras of the package)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk
          fonts-liberation2 fontconfig graphviz)
if [ "$want_test" = 1 ]; then
  packages+=(poppler-utils libreoffice-writer-nogui postgresql strace chromium chromium-driver)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: system packages present (${packages[*]})"
fi

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null; then python=$candidate; break; fi
  done
fi
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: docflow needs Python 3.11 or newer ($python is older)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment .venv ($("$python" --version))"
  "$python" -m venv .venv
fi
extras=""
[ "$want_test" = 1 ] && extras="[test]"
echo "setup: installing docflow${extras} into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}" 2>&1 \
  | grep -v -e "^WARNING: Location" -e "is ignored: it is neither" || true
.venv/bin/python -c "import docflow" || { echo "setup: docflow did not install" >&2; exit 1; }
# An editable install is not byte-compiled; compile it as a wheel install would be, so that
# commands start quickly even where PYTHONDONTWRITEBYTECODE is set.
.venv/bin/python -m compileall -q engine/docflow >/dev/null
echo "setup: done (.venv/bin/docflow)"
