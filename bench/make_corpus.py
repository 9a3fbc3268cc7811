#!/usr/bin/env python3
"""Build a deterministic benchmark corpus of plain-text news articles.

Sources, in this order, until the corpus holds at least --mb megabytes
(1 MB = 10**6 bytes):

  1. every seed article corpus/*.txt once (so the modern, UTF-8 rich texts
     the pipeline is tuned on are always in the mix);
  2. the <BODY> of every Reuters-21578 article (reut2-*.sgm, file order),
     when the Reuters folder exists: raw bytes (never re-decoded), with
     &lt; &gt; &amp; unescaped, the &#3; end marker dropped, empty bodies
     skipped; other character references (&#127; ...) are left as written;
  3. the seed articles again, cycled, until the size is reached (if there
     are no seeds, the Reuters bodies are cycled instead).

Directory mode (--out DIR) writes one file per article: rNNNNNN.txt for
Reuters bodies and sNNNNN.txt for seed copies, numbered in output order
(numbers widen past 6/5 digits only for huge corpora). Single-file mode
(--single FILE) writes the same articles, in the same order, into one file,
each article ending in a newline and followed by one blank line.

--copies N repeats that whole article sequence N times (numbering goes on),
so a corpus N times as large has the same mix of articles: bench/run.sh uses
it to check that peak memory does not grow with the corpus.

The output is a pure function of the inputs and the options: no timestamps,
no randomness. Output is built beside the target and renamed into place, so
an interrupted run never leaves a half-built corpus under the final name.
Python 3 standard library only.
"""

import argparse
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.realpath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_REUTERS = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "reuters21578"))
DEFAULT_SEEDS = os.path.join(REPO, "corpus")
MB = 1000 * 1000

BODY_RE = re.compile(rb"<BODY>(.*?)</BODY>", re.S)
ENTITY_RE = re.compile(rb"&(lt|gt|amp|#3);")
ENTITY_MAP = {b"lt": b"<", b"gt": b">", b"amp": b"&", b"#3": b""}
OUR_NAME_RE = re.compile(r"^[rs][0-9]+\.txt$")


def unescape(body):
    """One pass, so '&amp;lt;' becomes '&lt;' and not '<'."""
    return ENTITY_RE.sub(lambda m: ENTITY_MAP[m.group(1)], body)


def reuters_bodies(folder):
    """Yield the non-empty article bodies of reut2-*.sgm as raw bytes."""
    if not folder or not os.path.isdir(folder):
        return
    names = sorted(n for n in os.listdir(folder)
                   if n.startswith("reut2-") and n.endswith(".sgm"))
    for name in names:
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        for m in BODY_RE.finditer(data):
            body = unescape(m.group(1))
            if body.strip():
                yield body


def seed_articles(folder):
    """The seed articles corpus/*.txt (sorted by name) as raw bytes."""
    if not folder or not os.path.isdir(folder):
        return []
    out = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".txt") and os.path.isfile(path):
            with open(path, "rb") as f:
                text = f.read()
            if text.strip():
                out.append(text)
    return out


def articles(target, reuters_dir, seeds_dir):
    """Yield (kind, bytes) with kind 'r' or 's' until target bytes were given."""
    seeds = seed_articles(seeds_dir)
    total = 0
    for text in seeds:
        if total >= target:
            return
        total += len(text)
        yield "s", text
    reuters = []
    for body in reuters_bodies(reuters_dir):
        if total >= target:
            return
        total += len(body)
        if not seeds:
            reuters.append(body)
        yield "r", body
    filler, kind = (seeds, "s") if seeds else (reuters, "r")
    if not filler:
        if total == 0:
            raise SystemExit("make_corpus: no articles: neither %s nor %s has any"
                             % (reuters_dir, seeds_dir))
        return
    i = 0
    while total < target:
        text = filler[i % len(filler)]
        total += len(text)
        i += 1
        yield kind, text


def copies(n, target, reuters_dir, seeds_dir):
    """The article sequence for target bytes, n times over."""
    for _ in range(n):
        for item in articles(target, reuters_dir, seeds_dir):
            yield item


def remove_old_corpus(path):
    """Remove a corpus dir made by this script; refuse anything else."""
    foreign = [n for n in os.listdir(path) if not OUR_NAME_RE.match(n)]
    if foreign:
        raise SystemExit("make_corpus: %s holds files this script did not make (%s); "
                         "not removing it" % (path, foreign[0]))
    shutil.rmtree(path)


def write_dir(path, items, force):
    path = path.rstrip("/") or "/"
    if os.path.exists(path):
        if not force:
            raise SystemExit("make_corpus: %s exists (use --force to rebuild)" % path)
        if not os.path.isdir(path):
            raise SystemExit("make_corpus: %s exists and is not a directory" % path)
    tmp = "%s.partial-%d" % (path, os.getpid())
    os.makedirs(tmp)
    counts = {"r": 0, "s": 0}
    width = {"r": 6, "s": 5}
    total = 0
    try:
        for kind, text in items:
            counts[kind] += 1
            name = "%s%0*d.txt" % (kind, width[kind], counts[kind])
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(text)
            total += len(text)
        if os.path.exists(path):
            remove_old_corpus(path)
        os.rename(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return total, counts


def write_single(path, items):
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    tmp = "%s.partial-%d" % (path, os.getpid())
    counts = {"r": 0, "s": 0}
    total = 0
    try:
        with open(tmp, "wb") as f:
            for kind, text in items:
                counts[kind] += 1
                if not text.endswith(b"\n"):
                    text += b"\n"
                text += b"\n"
                f.write(text)
                total += len(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return total, counts


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Build a deterministic news-article corpus for benchmarks.")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="DIR",
                       help="write one .txt file per article into DIR (must not exist, or --force)")
    where.add_argument("--single", metavar="FILE",
                       help="write all articles into one concatenated file")
    ap.add_argument("--mb", type=float, default=24.0,
                    help="minimum total size in MB of 10^6 bytes (default 24)")
    ap.add_argument("--copies", type=int, default=1, metavar="N",
                    help="repeat the whole article sequence N times (default 1)")
    ap.add_argument("--reuters", default=DEFAULT_REUTERS, metavar="DIR",
                    help="Reuters-21578 folder with reut2-*.sgm; used when it exists "
                         "(default %(default)s)")
    ap.add_argument("--seeds", default=DEFAULT_SEEDS, metavar="DIR",
                    help="folder of seed articles *.txt (default %(default)s)")
    ap.add_argument("--force", action="store_true",
                    help="replace an existing --out corpus made by this script")
    ap.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    args = ap.parse_args(argv)

    if not args.mb > 0:
        ap.error("--mb must be positive")
    if args.copies < 1:
        ap.error("--copies must be at least 1")
    target = int(args.mb * MB)
    items = copies(args.copies, target, args.reuters, args.seeds)
    if args.out:
        total, counts = write_dir(args.out, items, args.force)
        dest = args.out
    else:
        total, counts = write_single(args.single, items)
        dest = args.single
    if not args.quiet:
        print("make_corpus: %.1f MB, %d articles (%d reuters, %d seed) -> %s"
              % (total / MB, counts["r"] + counts["s"], counts["r"], counts["s"], dest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
