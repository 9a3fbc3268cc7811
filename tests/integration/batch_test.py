#!/usr/bin/env python3
"""Integration tests of `newsmine batch`: -j N gives the same output as
-j 1; incremental runs skip unchanged documents; an interrupted run resumes
to the output of an uninterrupted one; HTML inputs; progress and summary.

    batch_test.py NEWSMINE [unittest args]
"""

import glob
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nmtest  # noqa: E402
from nmtest import article, html_article, snapshot, write_file  # noqa: E402

BIN = None
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 300


class BatchTest(unittest.TestCase):
    def setUp(self):
        self.ws = nmtest.Workspace()
        self.corpus = self.ws.inbox
        for p in sorted(glob.glob(os.path.join(REPO, "corpus", "*.txt"))):
            shutil.copy(p, self.corpus)
        os.mkdir(os.path.join(self.corpus, "sub"))
        for i in range(150):
            write_file(os.path.join(self.corpus, "g%03d.txt" % i), article(i, "more " * (i % 40)))
        for i in range(10):
            write_file(os.path.join(self.corpus, "sub", "h%02d.html" % i), html_article(i))
        write_file(os.path.join(self.corpus, "sub", "n.txt"), article(999))
        write_file(os.path.join(self.corpus, ".hidden.txt"), "not read")
        write_file(os.path.join(self.corpus, "skip.txt~"), "not read")
        self.ndocs = 5 + 150 + 10 + 1

    def tearDown(self):
        self.ws.cleanup()

    def batch(self, out, *args, check=True):
        r = subprocess.run([BIN, "batch", self.corpus, "-o", out, *args], capture_output=True,
                           timeout=WAIT)
        if check:
            self.assertEqual(r.returncode, 0, r.stderr.decode()[-3000:])
        return r

    def summary(self, r):
        m = re.search(r"(\d+) documents: (\d+) done, (\d+) unchanged \(skipped\), (\d+) failed",
                      r.stderr.decode())
        self.assertIsNotNone(m, r.stderr.decode())
        return tuple(int(x) for x in m.groups())

    def test_jobs_give_identical_output(self):
        one = os.path.join(self.ws.root, "j1")
        four = os.path.join(self.ws.root, "j4")
        self.batch(one, "-j", "1", "--format", "xml,tsv")
        self.batch(four, "-j4", "--format", "xml,tsv")
        a, b = snapshot(one), snapshot(four)
        # records, summary.xml and the (empty) journal entry
        self.assertEqual(len(a), 2 * self.ndocs + 2)
        self.assertIn("summary.xml", a)
        self.assertFalse(os.path.exists(os.path.join(one, nmtest.JOURNAL)))  # OUTDIR: records only
        self.assertEqual(nmtest.diff_snapshots(a, b), "")
        self.assertEqual(a, b)

    def test_incremental(self):
        out = self.ws.out
        self.assertEqual(self.summary(self.batch(out, "-j", "2")), (self.ndocs, self.ndocs, 0, 0))
        first = snapshot(out)
        self.assertEqual(self.summary(self.batch(out)), (self.ndocs, 0, self.ndocs, 0))
        self.assertEqual(snapshot(out), first)
        write_file(os.path.join(self.corpus, "g007.txt"), article(7, "changed"))
        os.unlink(os.path.join(out, "g008.xml"))
        self.assertEqual(self.summary(self.batch(out)), (self.ndocs, 2, self.ndocs - 2, 0))
        self.assertEqual(self.summary(self.batch(out, "--force")), (self.ndocs, self.ndocs, 0, 0))
        # other lexicons (another rules= digest): everything is redone
        lex = os.path.join(self.ws.root, "lex")
        os.mkdir(lex)
        write_file(os.path.join(lex, "extra.lst"), "@kind ABBREVIATION\n@case sensitive\nZzq.\n")
        self.assertEqual(self.summary(self.batch(out, "-L", lex)), (self.ndocs, self.ndocs, 0, 0))
        self.assertEqual(self.summary(self.batch(out, "-L", lex)), (self.ndocs, 0, self.ndocs, 0))
        # a dates-file entry that is new or changed: that document is redone
        dates = os.path.join(self.ws.root, "dates.tsv")
        write_file(dates, "doc\tdate\tsource\ng001\t2020-01-02\tgold\n")
        self.assertEqual(self.summary(self.batch(out, "-L", lex, "--dates", dates)),
                         (self.ndocs, 1, self.ndocs - 1, 0))
        self.assertEqual(self.summary(self.batch(out, "-L", lex, "--dates", dates)),
                         (self.ndocs, 0, self.ndocs, 0))
        # a new output format: the records asked for are missing, so redone
        self.assertEqual(self.summary(self.batch(out, "-L", lex, "--dates", dates, "-f", "xml,tsv")),
                         (self.ndocs, self.ndocs, 0, 0))
        self.assertEqual(self.summary(self.batch(out, "-L", lex, "--dates", dates, "-f", "xml,tsv")),
                         (self.ndocs, 0, self.ndocs, 0))

    def test_kill9_then_resume(self):
        for i in range(150, 1500):
            write_file(os.path.join(self.corpus, "g%04d.txt" % i), article(i, "word " * 50))
        n = self.ndocs + 1350
        ref = os.path.join(self.ws.root, "ref")
        self.batch(ref, "-j", "2")
        want = snapshot(ref)
        out = self.ws.out
        for delay in (0.15, 0.3, 0.5):
            p = subprocess.Popen([BIN, "batch", "-j", "2", "-q", self.corpus, "-o", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
        got = self.summary(self.batch(out, "-j", "2"))
        self.assertEqual(got[0], n)
        self.assertEqual(got[3], 0)
        self.assertEqual(snapshot(out), want)
        # SIGINT: the documents in hand are finished, exit 1, resumable
        shutil.rmtree(out)
        p = subprocess.Popen([BIN, "batch", "-j", "2", self.corpus, "-o", out],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # the signal handler is in place once the first record is written
        end = time.monotonic() + WAIT
        while (p.poll() is None and time.monotonic() < end and
               not any(f.endswith(".xml") for f in (os.listdir(out) if os.path.isdir(out) else []))):
            time.sleep(0.01)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=WAIT)
        if p.returncode == 1:
            self.assertIn(b"interrupted", err)
        else:  # it may have finished first on a fast machine
            self.assertEqual(p.returncode, 0, err)
        self.batch(out)
        self.assertEqual(snapshot(out), want)

    def test_html_records(self):
        out = self.ws.out
        dates = os.path.join(self.ws.root, "dates.tsv")
        write_file(dates, "doc\tdate\tsource\nsub%2Fh01.html\t2019-09-09\tgold\n")
        self.batch(out, "--dates", dates)
        page = os.path.join(self.corpus, "sub", "h00.html")
        with open(page, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        with open(os.path.join(out, "sub%2Fh00.html.xml")) as f:
            xml = f.read()
        self.assertIn('format="html"', xml)
        self.assertIn('source-sha256="%s"' % sha, xml)
        self.assertIn('title="Story 0"', xml)
        self.assertIn('date="2024-03-01" date-source="html-meta"', xml)
        self.assertNotIn("tracker", xml)
        with open(os.path.join(out, "sub%2Fh01.html.xml")) as f:
            self.assertIn('date="2019-09-09" date-source="dates-file"', f.read())

    def test_failures_and_summary(self):
        write_file(os.path.join(self.corpus, "bin.txt"), b"\0\1\2binary")
        r = self.batch(self.ws.out, check=False)
        self.assertEqual(r.returncode, 1)
        err = r.stderr.decode()
        self.assertIn("bin.txt:1:1: [NM-102] error:", err)
        self.assertIn("failed: %s" % os.path.join(self.corpus, "bin.txt"), err)
        self.assertRegex(err, r"facts: \d+ figures, \d+ dates, \d+ entities, \d+ events")
        self.assertRegex(err, r"in [\d.]+ s")
        self.assertNotIn("\r", err)  # no progress bar on a pipe
        self.assertEqual(self.summary(r), (self.ndocs + 1, self.ndocs, 0, 1))
        r = self.batch(self.ws.out, "-q", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertNotIn(b"documents:", r.stderr)

    def test_usage(self):
        for args in (["-j", "0"], ["-j", "x"], ["--bogus"], ["--format", "pdf"]):
            r = subprocess.run([BIN, "batch", self.corpus, "-o", self.ws.out, *args],
                               capture_output=True, timeout=30)
            self.assertEqual(r.returncode, 2, args)
        r = subprocess.run([BIN, "batch", "--help"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0)
        for flag in (b"--force", b"--jobs", b"--fsync", b".html", b"ETA"):
            self.assertIn(flag, r.stdout)


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
