#!/usr/bin/env bash
# bench/run.sh - throughput and peak-memory benchmark of the whole pipeline.
#
#   bench/run.sh [NEWSMINE]        (or: meson benchmark, see bench/README.md)
#
# Runs `newsmine batch -j 1 --format xml CORPUS -o OUTDIR` on a ~24 MB corpus
# of news articles, then on a corpus twice as large with the same mix of
# articles (peak RSS should not grow with corpus size), then with -j 2
# (speed-up over -j 1). Prints `bench:` lines.
#
# Environment (all optional):
#   NEWSMINE               binary (default: build/newsmine; $1 wins over it)
#   NEWSMINE_BENCH_CORPUS  corpus dir (default: build/bench-corpus); the double
#                          corpus goes beside it, in the same name + "-x2"
#   NEWSMINE_BENCH_MB      corpus size in MB of 10^6 bytes (default 24)
#   NEWSMINE_BENCH_REPEAT  runs per measurement; best time, highest RSS (default 3)
#   NEWSMINE_BENCH_REUTERS Reuters-21578 folder (default: make_corpus.py's)
#   NEWSMINE_BENCH_OUT     where output dirs are made (default: /dev/shm when it
#                          has room, else beside the corpus)
#   NEWSMINE_BENCH_KEEP    if 1, keep the last output dir (its path is printed)
#
# Exit status: 0 when every run that the binary supports succeeded (slow is
# not a failure); 1 when a run failed (non-zero exit or crash) or the
# corpus could not be built; 77 (meson: skipped) when the binary is missing.
# A run the binary rejects as unsupported (usage error: exit 2 or 64, or a
# message like "unknown option") is reported and skipped, not failed.

set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(dirname "$here")

bin=${1:-${NEWSMINE:-$repo/build/newsmine}}
corpus=${NEWSMINE_BENCH_CORPUS:-$repo/build/bench-corpus}
corpus=${corpus%/}
corpus2=$corpus-x2
mb=${NEWSMINE_BENCH_MB:-24}
repeat=${NEWSMINE_BENCH_REPEAT:-3}
failed=0

say() { printf 'bench: %s\n' "$*"; }

# Float arithmetic and formatting via awk: calc 'expr' [vars...]
calc() {
    local expr=$1
    shift
    awk "$@" "BEGIN { $expr }" </dev/null
}

case $bin in
*/*) ;;
*) bin=$(command -v -- "$bin" || printf '%s' "$bin") ;;
esac
case $bin in
/*) ;;
*/*) bin=$(cd "$(dirname "$bin")" 2>/dev/null && pwd)/$(basename "$bin") ;;
esac
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    say "no newsmine binary at '$bin' (build it, or pass its path as \$1 or NEWSMINE); skipped"
    exit 77
fi
case $repeat in
'' | *[!0-9]* | 0) say "NEWSMINE_BENCH_REPEAT must be a positive integer"; exit 1 ;;
esac
command -v python3 >/dev/null 2>&1 || { say "python3 is needed (corpus, timing)"; exit 1; }

# ---- corpus ---------------------------------------------------------------

# The stamp beside a corpus records how it was made; rebuild when it differs.
corpus_stamp() { # size_mb copies
    printf 'mb=%s copies=%s reuters=%s script=%s\n' "$1" "$2" "${NEWSMINE_BENCH_REUTERS:-default}" \
        "$(cksum <"$here/make_corpus.py" | cut -d' ' -f1)"
}

ensure_corpus() { # dir size_mb copies
    local dir=$1 size=$2 ncopies=$3 want have=
    want=$(corpus_stamp "$size" "$ncopies")
    [ -f "$dir.stamp" ] && have=$(cat "$dir.stamp")
    if [ -d "$dir" ] && [ "$have" = "$want" ]; then
        return 0
    fi
    local args=(--out "$dir" --mb "$size" --copies "$ncopies" --force)
    [ -n "${NEWSMINE_BENCH_REUTERS:-}" ] && args+=(--reuters "$NEWSMINE_BENCH_REUTERS")
    mkdir -p "$(dirname "$dir")" || return 1
    rm -f "$dir.stamp"
    python3 "$here/make_corpus.py" "${args[@]}" | sed 's/^/bench: /' || return 1
    [ -d "$dir" ] || return 1
    printf '%s\n' "$want" >"$dir.stamp"
}

corpus_bytes() { # dir -> "bytes files"
    python3 - "$1" <<'EOF'
import os, sys
n = b = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        n += 1
        b += os.path.getsize(os.path.join(root, f))
print(b, n)
EOF
}

# ---- measuring one run ----------------------------------------------------

have_gnu_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    have_gnu_time=1
fi
have_date_ns=0
case $(date +%s%N 2>/dev/null) in
*[!0-9]* | '') ;;
*) have_date_ns=1 ;;
esac

# Python fallback: wall time and peak RSS (KiB) of one child, from
# resource.getrusage(RUSAGE_CHILDREN) of a fresh interpreter.
read -r -d '' py_timer <<'EOF'
import resource, subprocess, sys, time
stat = sys.argv[1]
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(stat, "w") as f:
    f.write("%.6f %d\n" % (dt, rss))
sys.exit(rc if rc >= 0 else 128 - rc)
EOF

now_ns() {
    if [ "$have_date_ns" = 1 ]; then date +%s%N
    else python3 -c 'import time; print(time.time_ns())'
    fi
}

tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/newsmine-bench.XXXXXX") || exit 1
outroot=$(dirname "$corpus")
# shellcheck disable=SC2317 # cleanup is called from the EXIT trap
cleanup() {
    rm -rf "$tmpdir"
    if [ "${NEWSMINE_BENCH_KEEP:-0}" != 1 ] && [ -n "${outdir:-}" ]; then
        rm -rf "$outdir"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# time_run STAT ERR cmd... : run once, stdout to /dev/null, stderr to ERR,
# write "seconds rss_kib" to STAT; return the command's status.
time_run() {
    local stat=$1 err=$2 rc t0 t1 rss
    shift 2
    if [ "$have_gnu_time" = 1 ]; then
        t0=$(now_ns)
        /usr/bin/time -f 'NM_BENCH_RSS %M' -o "$stat.t" -- "$@" </dev/null >/dev/null 2>"$err"
        rc=$?
        t1=$(now_ns)
        rss=$(sed -n 's/^NM_BENCH_RSS \([0-9]*\)$/\1/p' "$stat.t" | tail -n 1)
        calc 'printf "%.6f %d\n", (t1 - t0) / 1e9, rss' -v t0="$t0" -v t1="$t1" -v rss="${rss:-0}" >"$stat"
        # GNU time reports a killed child in its -o file; keep that visible.
        grep -i 'signal' "$stat.t" >>"$err"
        return $rc
    fi
    python3 -c "$py_timer" "$stat" "$@" </dev/null >/dev/null 2>"$err"
}

unsupported() { # rc errfile
    [ "$1" = 2 ] || [ "$1" = 64 ] ||
        grep -Eqi 'unknown option|unrecognized option|invalid option|not supported|unsupported|usage:' "$2"
}

# measure LABEL CORPUS ARGS... (ARGS with @IN@ and @OUT@ placeholders)
# Sets: m_secs m_rss_kib m_outs; returns 0 ok, 1 failed, 2 unsupported.
measure() {
    local label=$1 in=$2 i rc a secs rss stat=$tmpdir/stat err=$tmpdir/err
    shift 2
    m_secs='' m_rss_kib=0 m_outs=0
    for ((i = 1; i <= repeat; i++)); do
        rm -rf "$outdir" && mkdir -p "$outdir" || return 1
        local argv=()
        for a in "$@"; do
            a=${a//@IN@/$in}
            argv+=("${a//@OUT@/$outdir}")
        done
        time_run "$stat" "$err" "$bin" "${argv[@]}"
        rc=$?
        if [ "$rc" != 0 ]; then
            local why="exit $rc"
            [ "$rc" -gt 128 ] && why="killed by signal $((rc - 128))"
            if [ "$rc" -lt 128 ] && unsupported "$rc" "$err"; then
                say "$label: not supported by this binary ($why): $(head -c 300 "$err" | head -n 2 | tr '\n' ' ')"
                return 2
            fi
            say "$label: FAILED ($why): newsmine ${argv[*]}"
            head -n 20 "$err" | sed 's/^/bench:   | /'
            return 1
        fi
        read -r secs rss <"$stat"
        if [ -z "$m_secs" ] || calc 'exit !(s < b)' -v s="$secs" -v b="$m_secs"; then
            m_secs=$secs
        fi
        [ "${rss:-0}" -gt "$m_rss_kib" ] && m_rss_kib=$rss
    done
    m_outs=$(find "$outdir" -type f | wc -l | tr -d ' ')
    return 0
}

# Human summary of the last measure: "0.212 s, 113.7 MB/s; peak RSS 12.3 MB"
summary() { # corpus_bytes
    calc 'if (s <= 0) s = 1e-9; printf "%.3f s, %.1f MB/s; peak RSS %.1f MB", s, b / s / 1e6, k * 1024 / 1e6' \
        -v s="$m_secs" -v b="$1" -v k="$m_rss_kib"
}

# ---- the runs ---------------------------------------------------------------

# Outputs go to tmpfs when it has room (10x the double corpus), so that the
# figures measure the pipeline rather than the disk: on some machines creating
# 20,000 files on ext4 alone takes longer than the whole pipeline.
outbase=${NEWSMINE_BENCH_OUT:-}
if [ -z "$outbase" ]; then
    outbase=$outroot
    shm_kib=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
    if [ -d /dev/shm ] && [ -w /dev/shm ] && [ -n "$shm_kib" ] &&
        calc 'exit !(a * 1024 >= m * 2e7)' -v a="$shm_kib" -v m="$mb"; then
        outbase=/dev/shm
    fi
fi
mkdir -p "$outbase" && outdir=$(mktemp -d "$outbase/newsmine-bench-out.XXXXXX") || exit 1

version=$("$bin" --version </dev/null 2>/dev/null | head -n 1)
say "binary $bin${version:+ ($version)}; best of $repeat run(s); MB = 10^6 bytes"
if [ "$have_gnu_time" = 1 ]; then say "peak RSS from /usr/bin/time -f %M"
else say "peak RSS from python3 resource.getrusage(RUSAGE_CHILDREN)"; fi
say "outputs written under $outbase"
if ! ensure_corpus "$corpus" "$mb" 1; then
    say "could not build the corpus in $corpus"
    exit 1
fi
read -r bytes1 files1 < <(corpus_bytes "$corpus")
cat_corpus() { find "$1" -type f -exec cat {} + >/dev/null; } # warm the page cache
cat_corpus "$corpus"

# Baseline: -j 1 --format xml; if the binary lacks -j or --format, fall back.
base_label=
for variant in "-j 1 --format xml" "--format xml" ""; do
    # shellcheck disable=SC2086 # word splitting of $variant is intended
    measure "pipeline xml -j1 [batch $variant]" "$corpus" batch $variant @IN@ -o @OUT@
    rc=$?
    if [ $rc = 0 ]; then base_label="batch ${variant:-(no options)}"; base_variant=$variant; break; fi
    if [ $rc = 1 ]; then failed=1; break; fi
done
mb1=$(calc 'printf "%.1f", b / 1e6' -v b="$bytes1")
if [ -n "$base_label" ]; then
    secs1=$m_secs rss1=$m_rss_kib
    label="pipeline xml -j1"
    [ "$base_variant" != "-j 1 --format xml" ] && label="pipeline ($base_label)"
    say "corpus $mb1 MB in $files1 files; $label: $(summary "$bytes1") [$m_outs output files]"
    [ "$m_outs" = 0 ] && say "warning: the run wrote no files into the output dir"
else
    say "corpus $mb1 MB in $files1 files; no baseline run succeeded"
fi

# Double corpus: the same run, peak RSS should stay flat.
if [ -n "$base_label" ]; then
    if ensure_corpus "$corpus2" "$mb" 2; then
        read -r bytes2 files2 < <(corpus_bytes "$corpus2")
        cat_corpus "$corpus2"
        # shellcheck disable=SC2086
        measure "pipeline x2 corpus" "$corpus2" batch $base_variant @IN@ -o @OUT@
        case $? in
        0)
            rss2=$m_rss_kib
            say "corpus $(calc 'printf "%.1f", b / 1e6' -v b="$bytes2") MB in $files2 files; ${label}: $(summary "$bytes2") [$m_outs output files]"
            say "$(calc 'printf "peak RSS: %.1f MB on %.1f MB, %.1f MB on %.1f MB (x2 corpus / x1 = %.2f)", \
                r1 * 1024 / 1e6, b1 / 1e6, r2 * 1024 / 1e6, b2 / 1e6, (r1 > 0 ? r2 / r1 : 0)' \
                -v r1="$rss1" -v r2="$rss2" -v b1="$bytes1" -v b2="$bytes2")"
            ;;
        1) failed=1 ;;
        esac
    else
        say "could not build the double corpus in $corpus2"
        failed=1
    fi
fi

# -j 2 against -j 1 on the first corpus.
if [ -n "$base_label" ]; then
    if [ "$base_variant" = "-j 1 --format xml" ]; then
        measure "pipeline xml -j2" "$corpus" batch -j 2 --format xml @IN@ -o @OUT@
        case $? in
        0)
            say "pipeline xml -j2: $(summary "$bytes1") [$m_outs output files]"
            say "$(calc 'printf "speed-up -j2/-j1: %.2f (throughput ratio; %d CPUs online)", s1 / s2, n' \
                -v s1="$secs1" -v s2="$m_secs" -v n="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 0)")"
            ;;
        1) failed=1 ;;
        *) say "speed-up -j2/-j1: n/a" ;;
        esac
    else
        say "pipeline xml -j2: skipped (the binary does not take -j 1 --format xml); speed-up -j2/-j1: n/a"
    fi
fi

[ "${NEWSMINE_BENCH_KEEP:-0}" = 1 ] && say "outputs kept in $outdir"
if [ "$failed" != 0 ] || [ -z "$base_label" ]; then
    say "result: FAILED (see above)"
    exit 1
fi
say "result: ok"
exit 0
