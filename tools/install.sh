#!/usr/bin/env bash
# Install what renstra-gen needs on a Debian/Ubuntu machine with Python >= 3.11:
# system packages (Graphviz for the figures, Poppler's tools that the tests use to look into PDFs;
# with --test also LibreOffice and fonts for the PDF tests, Chromium, PostgreSQL and Redis for the
# workspace's tests) and a virtual environment in .venv
# with the package installed.
#   bash tools/install.sh          # to build documents
#   bash tools/install.sh --test   # also what the test suite needs
#   bash tools/install.sh --bench  # also pandoc, the benchmark's point of comparison
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0
with_bench=0
case "${1:-}" in
  --test) with_test=1 ;;
  --bench) with_test=1; with_bench=1 ;;
esac

packages=(graphviz fonts-liberation2 python3-venv poppler-utils)
if [ "$with_test" = 1 ]; then
  packages+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-math-nogui python3-uno
             fonts-crosextra-carlito fonts-crosextra-caladea strace
             chromium postgresql  # the workspace's browser tests (Playwright) and PostgreSQL tests
             redis-server)  # the job queue's tests with RQ workers (tests/web/test_queue.py)
fi
[ "$with_bench" = 1 ] && packages+=(pandoc)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" != 0 ] && sudo="sudo"
  echo "Memasang paket sistem: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Prefer the distribution's interpreter: Debian builds it with profile-guided and link-time
# optimisation; a pyenv build without --enable-optimizations ran the default build 17% slower.
python=python3
if /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  python=/usr/bin/python3
fi
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 dibutuhkan")'
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# setuptools says "Editable installation ... Please be careful with folders in your working directory"
# for every editable install of a flat layout (a warning whose message starts with those words; the
# build backend inherits PYTHONWARNINGS): nothing the planner can act on, so it is not shown.
quiet_editable="ignore:Editable installation."
if [ "$with_test" = 1 ]; then
  PYTHONWARNINGS="$quiet_editable" .venv/bin/python -m pip install -q -e ".[test]"
else
  PYTHONWARNINGS="$quiet_editable" .venv/bin/python -m pip install -q -e .
fi
# An editable install leaves the package's own modules uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set (some CI images and containers) every run compiled them again: 14 % of the default build's
# instructions (valgrind --tool=callgrind). Python still recompiles a module whose source changed.
.venv/bin/python -m compileall -q renstra_gen
