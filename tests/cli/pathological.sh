#!/bin/bash
# pathological.sh - inputs that must finish in linear time and not crash:
# a 50 MB single-line file, 1 MB without a space, a million digits in comma
# groups, nested brackets and quotes.  Meson's timeout catches a hang.
. "$(dirname "$0")/lib.sh"

python3 - "$TMP" <<'PY' 2>/dev/null || {
import sys
d = sys.argv[1]
open(d + '/line50.txt', 'w').write(('Over 80,000 migrants paid $5 in 2024; ' * 1400000)[:50000000])
open(d + '/nospace.txt', 'w').write('a' * 1000000)
open(d + '/digits.txt', 'w').write(','.join(['123'] * 333334))
open(d + '/brackets.txt', 'w').write('(' * 500000 + '"' * 500000)
PY
    # no python3: build them with the shell
    yes 'Over 80,000 migrants paid $5 in 2024; ' | tr -d '\n' | head -c 50000000 >"$TMP/line50.txt"
    head -c 1000000 /dev/zero | tr '\0' a >"$TMP/nospace.txt"
    yes 123 | head -n 333334 | paste -sd, >"$TMP/digits.txt"
    { head -c 500000 /dev/zero | tr '\0' '('; head -c 500000 /dev/zero | tr '\0' '"'; } >"$TMP/brackets.txt"
}
for f in nospace digits brackets line50; do
    expect_exit 0 "$f: finishes" "$NM" extract -f tsv "$TMP/$f.txt"
done
n=$(grep -c FIGURE "$TMP/out")
check "50 MB line: every figure found ($n)" test "$n" -ge 2500000
finish
