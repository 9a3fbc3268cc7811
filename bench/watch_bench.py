#!/usr/bin/env python3
"""Throughput of `newsmine watch`: small articles dropped into a watched
inbox, timed until the journal holds them all.

    bench/watch_bench.py [--bin build/newsmine] [--n 1000] [--dir DIR] [--repeat 3]

Articles are the first N files of the benchmark corpus (bench/run.sh builds
it in build/bench-corpus; Reuters bodies, ~1 KB each) or, without it,
generated ones.  Two modes, best of --repeat runs each:

  live     the watcher runs; the articles are written into the inbox one by
           one (open, write, close), as a feed would; timed from the first
           write to the last journal line
  backlog  the articles are in the inbox before the watcher starts (it was
           down); timed from its start to the last journal line

The inbox and output folder go under --dir (default: build/, on the disk, so
every record and journal line is really fsync'd; /dev/shm measures the CPU
alone).  Prints `bench:` lines; exit 0 unless a run failed.  Target: >= 200
articles/s.  Python 3 standard library only.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
JOURNAL = ".newsmine-journal"


def say(msg):
    print("bench: " + msg, flush=True)


def articles(n):
    corpus = os.path.join(REPO, "build", "bench-corpus")
    out = []
    if os.path.isdir(corpus):
        for name in sorted(os.listdir(corpus))[:n]:
            with open(os.path.join(corpus, name), "rb") as f:
                out.append((name, f.read()))
    i = 0
    while len(out) < n:
        text = ("Company %d said on Monday revenue rose %d.%d%% to $%d million; it employs "
                "%d people.\n" % (i, i % 50, i % 10, i * 3, 1000 + i)).encode()
        out.append(("gen%06d.txt" % i, text * 8))
        i += 1
    return out


def journal_lines(outdir):
    try:
        with open(os.path.join(outdir, JOURNAL), "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def wait_done(outdir, n, proc, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if journal_lines(outdir) >= n:
            return time.monotonic()
        if proc.poll() is not None:
            raise RuntimeError("watch exited with %d" % proc.returncode)
        time.sleep(0.002)
    raise RuntimeError("timed out: %d of %d done" % (journal_lines(outdir), n))


def start(binary, inbox, outdir):
    proc = subprocess.Popen([binary, "watch", "-q", inbox, "-o", outdir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode != 0:
        raise RuntimeError("watch exited %d: %s" % (proc.returncode, err.decode()[-500:]))


def run_live(binary, root, docs, timeout):
    inbox, outdir = os.path.join(root, "inbox"), os.path.join(root, "out")
    os.mkdir(inbox)
    proc = start(binary, inbox, outdir)
    while not os.path.exists(os.path.join(outdir, JOURNAL)):  # set up and watching
        time.sleep(0.01)
    time.sleep(0.2)
    t0 = time.monotonic()
    for name, data in docs:
        with open(os.path.join(inbox, name), "wb") as f:
            f.write(data)
    t1 = wait_done(outdir, len(docs), proc, timeout)
    stop(proc)
    return t1 - t0


def run_backlog(binary, root, docs, timeout):
    inbox, outdir = os.path.join(root, "inbox"), os.path.join(root, "out")
    os.mkdir(inbox)
    for name, data in docs:
        with open(os.path.join(inbox, name), "wb") as f:
            f.write(data)
    time.sleep(1.2)  # older than the watcher's settle time: taken at once
    t0 = time.monotonic()
    proc = start(binary, inbox, outdir)
    t1 = wait_done(outdir, len(docs), proc, timeout)
    stop(proc)
    return t1 - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "newsmine"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--dir", default=os.path.join(REPO, "build"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        say("no newsmine binary at %s; skipped" % a.bin)
        return 77
    docs = articles(a.n)
    size = sum(len(d) for _, d in docs)
    say("watch: %d articles, %.0f bytes on average, under %s; best of %d"
        % (len(docs), size / len(docs), a.dir, a.repeat))
    failed = False
    for mode, fn in (("live", run_live), ("backlog", run_backlog)):
        best = None
        for _ in range(a.repeat):
            root = tempfile.mkdtemp(prefix="nm-watch-bench-", dir=a.dir)
            try:
                secs = fn(a.bin, root, docs, a.timeout)
                best = secs if best is None else min(best, secs)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                say("watch %s: FAILED: %s" % (mode, e))
                failed = True
            finally:
                shutil.rmtree(root, ignore_errors=True)
        if best:
            rate = len(docs) / best
            say("watch %s: %d articles in %.2f s: %.0f articles/s (target >= 200: %s)"
                % (mode, len(docs), best, rate, "ok" if rate >= 200 else "MISSED"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
