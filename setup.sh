#!/bin/sh
# setup.sh - install what is missing, build, and run newsmine or its tests.
#
#   ./setup.sh run    install missing packages, build, process corpus/ into out/
#   ./setup.sh test   install missing packages, build, run the whole test suite
#   ./setup.sh build  install missing packages and build only
#
# Packages come from Debian's archive with apt-get.  As root they are
# installed; otherwise the exact 'sudo apt-get install' line is printed and
# the script stops.  The build goes to build/ (meson + ninja).
set -eu
cd "$(dirname "$0")"

PACKAGES="gcc libc6-dev pkg-config meson ninja-build libpcre2-dev libutf8proc-dev libxml2-dev libcmocka-dev libxml2-utils python3"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup.sh: installing:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing
    else
        echo "setup.sh: these packages are missing:$missing"
        echo "Install them, then run this script again:"
        echo "    sudo apt-get install -y$missing"
        exit 1
    fi
fi

if [ ! -f build/build.ninja ]; then
    meson setup build
fi
ninja -C build

case "${1:-run}" in
run)
    build/newsmine batch corpus -o out
    echo "setup.sh: records are in out/ (one <doc>.xml per article)"
    ;;
test)
    meson test -C build --print-errorlogs
    ;;
build)
    ;;
*)
    echo "usage: ./setup.sh [run|test|build]" >&2
    exit 2
    ;;
esac
