#!/bin/bash
# golden.sh - the records of the seed articles, byte for byte.
# Regenerate after an intended change: tests/cli/golden.sh NEWSMINE SRCDIR --update
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 2
for f in corpus/*.txt; do
    doc=$(basename "$f" .txt)
    date=$(awk -F'\t' -v d="$doc" '$1 == d { print $2 }' corpus/documents.tsv)
    "$NM" extract --date "$date" "$f" >"$TMP/$doc.xml" 2>"$TMP/$doc.err"
    if [ "${3:-}" = "--update" ]; then
        cp "$TMP/$doc.xml" "tests/golden/$doc.xml"
        ok "$doc updated"
    elif cmp -s "$TMP/$doc.xml" "tests/golden/$doc.xml"; then
        ok "$doc.xml identical"
    else
        bad "$doc.xml differs from tests/golden/$doc.xml"
        diff "tests/golden/$doc.xml" "$TMP/$doc.xml" | head -10 | sed 's/^/    /'
    fi
done
finish
