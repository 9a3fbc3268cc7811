#!/bin/bash
# cli.sh - command line: help, version, exit codes, bad inputs, batch
# output names, atomic outputs.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "--version" "$NM" --version
check "--version prints the version" contains "$TMP/out" "newsmine 0.1.0"
expect_exit 0 "--help" "$NM" --help
for c in extract batch eval; do
    expect_exit 0 "$c --help" "$NM" $c --help
    check "$c --help shows usage" grep -qi "usage: newsmine $c" "$TMP/out"
done
expect_exit 0 "lexicon --help" "$NM" lexicon --help
expect_exit 2 "no command" "$NM"
expect_exit 2 "unknown command" "$NM" frobnicate
expect_exit 2 "extract: no file" "$NM" extract
expect_exit 2 "extract: bad format" "$NM" extract --format json x
expect_exit 2 "extract: bad date" "$NM" extract --date 2025-13-01 x
expect_exit 2 "batch: no -o" "$NM" batch "$SRC/corpus"
expect_exit 2 "batch: INDIR missing" "$NM" batch "$TMP/nope" -o "$TMP/o"
expect_exit 2 "batch: bad -j" "$NM" batch -j 0 "$SRC/corpus" -o "$TMP/o"

# --- bad inputs, one at a time -------------------------------------------
: >"$TMP/empty.txt"
expect_exit 0 "empty file" "$NM" extract "$TMP/empty.txt"
check "empty file: NM-103 warning" contains "$TMP/err" "empty.txt:1:1: \[NM-103\] warning"
check "empty file: a record" contains "$TMP/out" '<document id="empty"'

printf 'PK\003\004\000\000binary' >"$TMP/bin.txt"
expect_exit 1 "binary file" "$NM" extract "$TMP/bin.txt"
check "binary file: NM-102 with position" contains "$TMP/err" "bin.txt:1:5: \[NM-102\] error: not a text file"

printf 'ok line\nbad \377\376 here, 5%% up\n' >"$TMP/utf8.txt"
expect_exit 0 "invalid UTF-8" "$NM" extract -f tsv "$TMP/utf8.txt"
check "invalid UTF-8: line and column" contains "$TMP/err" "utf8.txt:2:5: \[NM-101\] warning: invalid UTF-8 byte 0xFF"
check "invalid UTF-8: facts after the bad bytes" contains "$TMP/out" "PERCENT"

expect_exit 1 "missing file" "$NM" extract "$TMP/missing.txt"
check "missing file: named, NM-10" contains "$TMP/err" "missing.txt: \[NM-10\] error: cannot open: No such file"

mkdir "$TMP/dir.txt"
expect_exit 1 "a folder given as a file" "$NM" extract "$TMP/dir.txt"
if [ "$(id -u)" != 0 ]; then
    printf 'secret\n' >"$TMP/locked.txt"; chmod 000 "$TMP/locked.txt"
    expect_exit 1 "unreadable file" "$NM" extract "$TMP/locked.txt"
    check "unreadable file: named" contains "$TMP/err" "locked.txt: \[NM-10\] error: cannot open: Permission denied"
fi

printf 'It cost $5 and 80,000 people left.\n' >"$TMP/good.txt"
expect_exit 1 "one bad file among good ones" "$NM" extract "$TMP/bin.txt" "$TMP/good.txt"
check "the good file still gets its record" contains "$TMP/out" '<document id="good"'

printf 'Over 80,000 deportations.\n' | "$NM" extract -f tsv - >"$TMP/stdin.tsv" 2>"$TMP/err"
check "stdin with -" contains "$TMP/stdin.tsv" "80,000	COUNT	80000	qualifier=over"

expect_exit 0 "--max-bytes lets small files through" "$NM" extract --max-bytes 100 "$TMP/good.txt"
expect_exit 1 "--max-bytes refuses a larger file" "$NM" extract --max-bytes 10 "$TMP/good.txt"
check "size limit named" contains "$TMP/err" "over the size limit"

printf '<html><head><meta property="article:published_time" content="2025-03-04T10:00:00Z"></head><body><nav>Menu 5%% off</nav><article><p>Over 80,000 people left.</p></article><script>var x = 7;</script></body></html>' >"$TMP/page.html"
expect_exit 0 "extract reads an HTML page" "$NM" extract "$TMP/page.html"
check "extract HTML: the page's date" contains "$TMP/out" 'date="2025-03-04" date-source="html-meta"'
check "extract HTML: article text only" contains "$TMP/out" 'text="80,000"'
check "extract HTML: no navigation or script" sh -c "! grep -q 'text=\"5%\"\|text=\"7\"' '$TMP/out'"

# --- batch: names, failures, outputs --------------------------------------
IN="$TMP/in"; OUT="$TMP/out dir"
mkdir -p "$IN/sub" "$IN/.hidden"
cp "$TMP/good.txt" "$IN/a.txt"
cp "$TMP/good.txt" "$IN/-x..y z.txt"
cp "$TMP/good.txt" "$IN/$(printf 'ctl\001name').txt"
cp "$TMP/good.txt" "$IN/sub/b.txt"
cp "$TMP/good.txt" "$IN/.hidden/c.txt"
cp "$TMP/bin.txt" "$IN/broken.txt"
printf 'doc\tdocument_date\tsource\na\t2025-07\ttest\n' >"$IN/documents.tsv"
sleep 0.01; : >"$TMP/marker"
expect_exit 1 "batch with one broken file" "$NM" batch -q -j 2 -f xml,tsv "$IN" -o "$OUT"
check "batch: broken file reported with position" contains "$TMP/err" "broken.txt:1:5: \[NM-102\]"
for f in a %2Dx..y%20z ctl%01name sub%2Fb; do
    check "batch: $f.xml written" test -s "$OUT/$f.xml"
    check "batch: $f.tsv written" test -s "$OUT/$f.tsv"
done
check "batch: no output for the broken file" test ! -e "$OUT/broken.xml"
check "batch: dot-folders skipped" test ! -e "$OUT/.hidden%2Fc.xml"
check "batch: nothing written outside OUTDIR" test -z "$(find "$TMP" -newer "$TMP/marker" -type f ! -path "$OUT/*" ! -name out ! -name err)"
check "batch: no temporary files left" test -z "$(find "$OUT" -name '*.tmp*')"
cp "$TMP/good.txt" "$IN/a b.txt"; cp "$TMP/good.txt" "$IN/a_b.txt"
"$NM" batch -q "$IN" -o "$TMP/names" 2>/dev/null
check "batch: 'a b' and 'a_b' get distinct records" test -s "$TMP/names/a%20b.xml" -a -s "$TMP/names/a_b.xml"
check "batch: dates file used" contains "$OUT/a.xml" 'date="2025-07" date-source="dates-file"'
recs=()
for f in "$OUT"/*.xml; do [ "${f##*/}" = summary.xml ] || recs+=("$f"); done
check "batch: records validate" xmllint --noout --relaxng "$SRC/schema/newsmine.rng" "${recs[@]}"
check "batch: summary validates" xmllint --noout --relaxng "$SRC/schema/summary.rng" "$OUT/summary.xml"
printf 'doc\tdocument_date\tsource\na\t2025-13\ttest\n' >"$TMP/bad-dates.tsv"
expect_exit 2 "batch: malformed dates file" "$NM" batch -q --dates "$TMP/bad-dates.tsv" "$IN" -o "$OUT"
check "batch: dates file error names file:line" contains "$TMP/err" "bad-dates.tsv:2:"

# repeated warnings: the first 10 of a code, then a count; --all-warnings: all
mkdir -p "$TMP/nodates"
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "It happened last year." >"$TMP/nodates/d$i.txt"; done
"$NM" batch -q "$TMP/nodates" -o "$TMP/nd1" 2>"$TMP/nd.err"
check "batch: 10 NM-106 warnings printed" test "$(grep -c '\[NM-106\] warning' "$TMP/nd.err")" = 10
check "batch: the rest counted" contains "$TMP/nd.err" "2 more NM-106 warnings not shown"
check "batch: every record keeps its warning" test "$(grep -l 'code="NM-106"' "$TMP/nd1"/d*.xml | wc -l)" = 12
"$NM" batch -q --all-warnings "$TMP/nodates" -o "$TMP/nd2" 2>"$TMP/nd.err"
check "batch --all-warnings: all 12 printed" test "$(grep -c '\[NM-106\] warning' "$TMP/nd.err")" = 12

# -j 1 and -j 2 give the same bytes
"$NM" batch -q -j 1 -f xml,tsv "$SRC/corpus" -o "$TMP/j1" 2>/dev/null
"$NM" batch -q -j 2 -f xml,tsv "$SRC/corpus" -o "$TMP/j2" 2>/dev/null
check "batch: -j 1 and -j 2 outputs identical" diff -r "$TMP/j1" "$TMP/j2"
"$NM" batch -q -j 2 -f xml,tsv "$SRC/corpus" -o "$TMP/j3" 2>/dev/null
check "batch: deterministic across runs" diff -r "$TMP/j2" "$TMP/j3"

# --- lexicons ---------------------------------------------------------------
mkdir -p "$TMP/lex"
printf '@kind ENTITY\n@type PLANET\nMars\n@bogus x\nEarth\tcanonical\n' >"$TMP/lex/bad.lst"
expect_exit 1 "lexicon check: broken list" "$NM" lexicon check "$TMP/lex"
check "lexicon check: unknown type at file:line" contains "$TMP/out" "bad.lst:2: unknown type 'PLANET'"
check "lexicon check: unknown directive at file:line" contains "$TMP/out" "bad.lst:4: unknown directive '@bogus'"
check "lexicon check: bad attribute at file:line" contains "$TMP/out" "bad.lst:5: attribute 'canonical' is not key=value"
expect_exit 2 "pipeline refuses to start on a broken list" "$NM" extract -L "$TMP/lex" "$TMP/good.txt"
check "refusal names the problem" contains "$TMP/err" "bad.lst:2:"
expect_exit 0 "lexicon check: shipped lists" "$NM" lexicon check "$SRC/lexicons"
finish
