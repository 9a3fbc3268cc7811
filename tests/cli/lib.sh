# lib.sh - helpers for the command-line tests (sourced).
# Each test prints "ok - what" or "not ok - what" lines and exits non-zero
# when any check failed.
set -u
NM=${1:?usage: $0 NEWSMINE SRCDIR}
SRC=${2:?usage: $0 NEWSMINE SRCDIR}
export NEWSMINE_LEXICONS="$SRC/lexicons"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nm-test.XXXXXX")
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
FAILED=0
PASSED=0

ok() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
bad() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }
check() { # check "what" command...
    what=$1; shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}
# expect_exit CODE "what" command...: runs the command, checks its exit code
expect_exit() {
    want=$1; what=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
        bad "$what: exit $got, want $want"; sed 's/^/    /' "$TMP/err" | head -5; fi
}
contains() { grep -q -- "$2" "$1"; }
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" = 0 ]
}
