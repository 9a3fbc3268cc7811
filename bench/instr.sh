#!/bin/bash
# bench/instr.sh - exact instruction counts per stage, per input byte.
#
#   bench/instr.sh [BUILD_DIR [CORPUS_DIR [N]]]
#
# Runs build/pipeline_bench once under callgrind on N (default 2,500)
# articles spread evenly over CORPUS_DIR (every k-th file, so the sample has
# the corpus's mix; default build/bench-corpus, made by bench/run.sh) and
# prints, per stage and per extractor, the instructions
# spent for each input byte.  Wall-clock figures move with the load of the
# machine; these counts do not, so they are the measure to compare two
# versions of the code.  SHA-256 runs its portable code under valgrind (real
# runs use the SHA instructions where the CPU has them), so the hashing of
# the input is shown on a line of its own and left out of the total.
set -eu
B=${1:-build}
SRC=${2:-build/bench-corpus}
N=${3:-2500}
command -v valgrind >/dev/null || { echo "instr.sh: valgrind is not installed" >&2; exit 2; }
[ -x "$B/pipeline_bench" ] || { echo "instr.sh: no $B/pipeline_bench (build first)" >&2; exit 2; }
[ -d "$SRC" ] || { echo "instr.sh: no corpus $SRC (run bench/run.sh once)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/in"
TOTAL=$(find "$SRC" -maxdepth 1 -name '*.txt' | wc -l)
K=$(( TOTAL > N ? TOTAL / N : 1 ))
find "$SRC" -maxdepth 1 -name '*.txt' | sort | awk -v k="$K" -v n="$N" '(NR - 1) % k == 0 && c++ < n' |
    while read -r f; do cp "$f" "$TMP/in/"; done
BYTES=$(cat "$TMP"/in/*.txt | wc -c)
valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$B/pipeline_bench" --stages "$TMP/in" 1 >/dev/null 2>&1
callgrind_annotate --threshold=100 --inclusive=yes "$TMP/cg.out" 2>/dev/null >"$TMP/cg.txt"
get() { grep -E "[:]$1( \[|$)" "$TMP/cg.txt" | head -1 | awk '{gsub(",","",$1); print $1}'; }
printf "%d articles, %d bytes\n" "$(ls "$TMP/in" | wc -l)" "$BYTES"
tot=0
for f in nm_doc_set_raw nm_stage_normalize nm_stage_segment nm_figures_run nm_dates_run \
         nm_entities_run nm_events_run nm_stage_link nm_stage_emit nm_doc_free; do
    v=$(get $f)
    v=${v:-0}
    printf "  %-20s %12d  %6.1f instructions/byte\n" "$f" "$v" "$(awk -v a="$v" -v b="$BYTES" 'BEGIN { print a / b }')"
    [ $f != nm_doc_set_raw ] && tot=$((tot + v))
done
printf "  %-20s %12d  %6.1f instructions/byte (all stages, without the input's SHA-256)\n" total $tot \
    "$(awk -v a="$tot" -v b="$BYTES" 'BEGIN { print a / b }')"
