#!/bin/bash
# accuracy.sh - accuracy regression on the seed gold (corpus/gold) and, when
# ../shared is beside the checkout, on MEANTIME-dev: the relaxed F1 and value
# accuracy of each kind must stay at or above the floors below.
. "$(dirname "$0")/lib.sh"

# floor KIND GOLD SYS MIN_F1 MIN_VALUE_ACC [eval options]
floor() {
    kind=$1 gold=$2 sys=$3 f1=$4 acc=$5; shift 5
    "$NM" eval "$gold" "$sys" --kinds "$kind" "$@" >"$TMP/eval.txt" 2>/dev/null
    line=$(grep "^$kind .*\*total\*" "$TMP/eval.txt")
    got_f1=$(echo "$line" | awk -F'|' '{ split($3, a, " "); print a[3] }')
    got_acc=$(echo "$line" | awk -F'|' '{ split($4, a, " "); print a[1] }')
    echo "# $gold $kind relaxed F1 $got_f1 (floor $f1), value acc $got_acc (floor $acc)"
    check "$kind relaxed F1 >= $f1 on $(basename "$(dirname "$gold")")" \
        awk -v g="$got_f1" -v m="$f1" 'BEGIN { exit !(g + 0 >= m) }'
    if [ "$acc" != - ]; then
        check "$kind value accuracy >= $acc" awk -v g="$got_acc" -v m="$acc" 'BEGIN { exit !(g + 0 >= m) }'
    fi
}

"$NM" batch -q -f tsv "$SRC/corpus" -o "$TMP/seeds" || bad "batch on corpus"
floor FIGURE "$SRC/corpus/gold" "$TMP/seeds" 0.95 0.95
floor ENTITY "$SRC/corpus/gold" "$TMP/seeds" 0.90 -
floor DATE "$SRC/corpus/gold" "$TMP/seeds" 0.95 0.90
floor EVENT "$SRC/corpus/gold" "$TMP/seeds" 0.85 -
# EVENT slot accuracy (the last column of the total line)
slots=$("$NM" eval "$SRC/corpus/gold" "$TMP/seeds" --kinds EVENT 2>/dev/null |
    grep '^EVENT .*\*total\*' | awk -F'|' '{ split($5, a, " "); print a[1] }')
echo "# EVENT slot accuracy $slots (floor 0.76)"
check "EVENT slot accuracy >= 0.76" awk -v g="$slots" 'BEGIN { exit !(g + 0 >= 0.76) }'
check "batch writes summary.xml" test -s "$TMP/seeds/summary.xml"
if command -v xmllint >/dev/null; then
    check "summary.xml validates" xmllint --noout --relaxng "$SRC/schema/summary.rng" "$TMP/seeds/summary.xml"
fi

MT="$SRC/../shared/data/meantime-dev"
if [ -d "$MT" ]; then
    mkdir -p "$TMP/mt"
    cp "$MT"/*.txt "$TMP/mt/" && rm -f "$TMP/mt/LICENSE.txt"
    cp "$MT/gold/documents.tsv" "$TMP/mt/"
    "$NM" batch -q -f tsv "$TMP/mt" -o "$TMP/mtsys" || bad "batch on meantime-dev"
    floor FIGURE "$MT/gold" "$TMP/mtsys" 0.85 -
    floor DATE "$MT/gold" "$TMP/mtsys" 0.85 0.85
    floor ENTITY "$MT/gold" "$TMP/mtsys" 0.75 - \
        --map ENTITY:GPE=LOC,FACILITY=LOC,PRODUCT=-,FINANCIAL=-,MIX=-,NORP=-
else
    echo "# $MT not found: MEANTIME floors not checked"
fi
finish
