#!/usr/bin/env python3
"""Integration tests of `newsmine watch`: the real binary on temporary
folders.  Each test compares the output folder with the one an
uninterrupted run (`watch --once` on the same inbox path) makes.

    watch_test.py NEWSMINE [unittest args]
"""

import os
import random
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nmtest  # noqa: E402
from nmtest import Watcher, article, html_article, read_journal, snapshot, wait_for, write_file  # noqa: E402

BIN = None
WAIT = 120  # seconds, generous for sanitizer builds on a shared machine


class WatchTest(unittest.TestCase):
    def setUp(self):
        self.ws = nmtest.Workspace()
        self.watchers = []

    def tearDown(self):
        for w in self.watchers:
            if w.proc.poll() is None:
                w.proc.kill()
                w.proc.wait()
        self.ws.cleanup()

    # -------------------------------------------------------------- helpers

    def reference(self, files, *args):
        """Snapshot of an uninterrupted run over files (name -> text)."""
        self.ws.clear_inbox()
        for name, data in files.items():
            write_file(os.path.join(self.ws.inbox, name), data)
        r = subprocess.run([BIN, "watch", "--once", "-q", self.ws.inbox, "-o", self.ws.ref, *args],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=WAIT)
        self.assertIn(r.returncode, (0, 1), r.stderr.decode())
        self.ws.clear_inbox()
        return snapshot(self.ws.ref)

    def start(self, *args):
        w = Watcher(BIN, self.ws.inbox, self.ws.out, *args)
        self.watchers.append(w)
        return w

    def wait_journal(self, n, w=None):
        wait_for(lambda: len(read_journal(self.ws.out)) >= n, WAIT,
                 "%d journal entries (have %d)" % (n, len(read_journal(self.ws.out))),
                 w.proc if w else None)

    def assert_same(self, want):
        got = snapshot(self.ws.out)
        self.assertEqual(nmtest.diff_snapshots(want, got), "")
        self.assertEqual(want, got)

    # -------------------------------------------------------------- tests

    def test_bulk_500(self):
        files = {"a%04d.txt" % i: article(i) for i in range(500)}
        files.update({"p%03d.html" % i: html_article(i) for i in range(20)})
        want = self.reference(files)
        w = self.start()
        staging = os.path.join(self.ws.root, "staging")
        os.mkdir(staging)
        for k, (name, data) in enumerate(sorted(files.items())):
            if k % 2:  # written in place ...
                write_file(os.path.join(self.ws.inbox, name), data)
            else:      # ... or moved in when complete
                write_file(os.path.join(staging, name), data)
                os.rename(os.path.join(staging, name), os.path.join(self.ws.inbox, name))
        self.wait_journal(len(files), w)
        self.assertEqual(w.stop(), 0, w.text())
        self.assert_same(want)
        log = w.text()
        dups = [n for n in files if log.count(" done %s " % n) != 1]
        self.assertEqual(dups, [], log)
        self.assertRegex(log, r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ done a0001\.txt doc=a0001 "
                              r"figures=\d+ dates=\d+ entities=\d+ events=\d+ ms=[\d.]+")

    def test_slow_pieces(self):
        files = {"s%d.txt" % i: article(900 + i) * 3 for i in range(3)}
        want = self.reference(files)
        w = self.start()
        for name, data in sorted(files.items()):
            step = len(data) // 5 + 1
            with open(os.path.join(self.ws.inbox, name), "wb") as f:
                for off in range(0, len(data), step):
                    f.write(data[off:off + step].encode())
                    f.flush()
                    time.sleep(0.1)
        self.wait_journal(len(files), w)
        self.assertEqual(w.stop(), 0)
        self.assert_same(want)
        log = w.text()
        for name in files:  # taken once, when complete: no record of a part
            self.assertEqual(log.count(" done %s " % name), 1, log)

    def test_broken_files(self):
        files = {"good%d.txt" % i: article(i) for i in range(3)}
        files["bin.txt"] = "binary\0data\0here"
        files["big.txt"] = "x" * 6000
        files["tagsoup.html"] = "<p>unclosed <b>tag <table><td>Sales rose 4%</div></span><script>"
        args = ("--max-bytes", "5000")
        want = self.reference(files, *args)
        w = self.start(*args)
        for name, data in sorted(files.items()):
            write_file(os.path.join(self.ws.inbox, name), data)
        self.wait_journal(len(files), w)
        failed = os.path.join(self.ws.out, "failed")
        self.assertEqual(sorted(os.listdir(failed)),
                         ["big.txt", "big.txt.err", "bin.txt", "bin.txt.err"])
        with open(os.path.join(failed, "bin.txt.err")) as f:
            err = f.read()
        self.assertRegex(err, r"inbox/bin\.txt:1:7: \[NM-102\] error: ")
        with open(os.path.join(failed, "big.txt.err")) as f:
            self.assertRegex(f.read(), r"inbox/big\.txt:1:1: \[NM-11\] error: .*size limit")
        self.assertFalse(os.path.exists(os.path.join(self.ws.inbox, "bin.txt")))
        self.assertTrue(os.path.exists(os.path.join(self.ws.out, "tagsoup.html.xml")))
        # the watcher goes on after failures
        self.assertIsNone(w.proc.poll())
        write_file(os.path.join(self.ws.inbox, "after.txt"), article(77))
        self.wait_journal(len(files) + 1, w)
        self.assertEqual(w.stop(), 0)
        self.assertIn("failed bin.txt", w.text())
        os.unlink(os.path.join(self.ws.out, "after.xml"))
        want_after = dict(want)
        got = snapshot(self.ws.out)
        got["<journal>"] = [e for e in got["<journal>"] if e[0] != "after"]
        self.assertEqual(nmtest.diff_snapshots(want_after, got), "")

    def test_sigterm_then_resume(self):
        files = {"t%04d.txt" % i: article(i, "long " * 200) for i in range(300)}
        want = self.reference(files)
        for name, data in files.items():  # arrived while it was down
            write_file(os.path.join(self.ws.inbox, name), data)
        w = self.start()
        self.wait_journal(20, w)
        self.assertEqual(w.stop(signal.SIGTERM), 0, w.text())
        self.assertIn("stopped:", w.text())
        done_before = len(read_journal(self.ws.out))
        for name in os.listdir(self.ws.out):  # nothing half-written
            self.assertFalse(name.startswith(".") and name != nmtest.JOURNAL, name)
        w = self.start()
        self.wait_journal(len(files), w)
        self.assertEqual(w.stop(signal.SIGINT), 0)
        self.assertIn("%d done before" % done_before, w.text())
        self.assert_same(want)

    def test_kill9_and_restart(self):
        rnd = random.Random(6)
        files = {"k%04d.txt" % i: article(i, "word " * 100) for i in range(300)}
        files.update({"k%04d.html" % i: html_article(i) for i in range(0, 300, 15)})
        files.update({"bad%d.txt" % i: "bad\0" * (i + 1) for i in range(4)})
        want = self.reference(files)
        names = sorted(files)
        rnd.shuffle(names)

        def drop():
            for k, name in enumerate(names):
                write_file(os.path.join(self.ws.inbox, name), files[name])
                if k % 25 == 0:
                    time.sleep(0.05)

        dropper = threading.Thread(target=drop)
        dropper.start()
        kills = 0
        try:
            for round_ in range(8):
                w = self.start()
                time.sleep(rnd.uniform(0.02, 0.4))
                if round_ == 3:  # the journal must exist before it can be torn
                    jpath = os.path.join(self.ws.out, nmtest.JOURNAL)
                    wait_for(lambda: os.path.exists(jpath) and os.path.getsize(jpath) > 0,
                             WAIT, "a journal", w.proc)
                w.stop(signal.SIGKILL)
                kills += 1
                if round_ == 3:  # a crash that tore the journal's last line
                    with open(os.path.join(self.ws.out, nmtest.JOURNAL), "ab") as f:
                        f.write(b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b9")
                    w = self.start()
                    wait_for(lambda: "repaired the journal" in w.text(), WAIT, "repair note", w.proc)
                    w.stop(signal.SIGKILL)
        finally:
            dropper.join()
        w = self.start()
        self.wait_journal(len(files), w)
        self.assertEqual(w.stop(), 0)
        self.assertEqual(kills, 8)
        self.assert_same(want)

    def test_changed_and_unchanged(self):
        want = self.reference({"c.txt": article(2)})
        w = self.start()
        path = os.path.join(self.ws.inbox, "c.txt")
        write_file(path, article(1))
        self.wait_journal(1, w)
        write_file(path, article(1))  # same content again: not redone
        wait_for(lambda: "unchanged c.txt" in w.text(), WAIT, "unchanged line", w.proc)
        write_file(path, article(2))  # changed: redone
        wait_for(lambda: read_journal(self.ws.out)["c"][0] == want["<journal>"][0][1][0], WAIT,
                 "the new content in the journal", w.proc)
        self.assertEqual(w.stop(), 0)
        self.assertEqual(w.text().count(" done c.txt "), 2)
        self.assert_same(want)
        w = self.start()  # a restart finds nothing new
        wait_for(lambda: "done before" in w.text(), WAIT, "start-up note", w.proc)
        self.assertEqual(w.stop(), 0)
        self.assertIn("1 files already in", w.text())
        self.assertNotIn(" done c.txt", w.text())

    def test_ignored_names(self):
        w = self.start()
        for name in (".hidden.txt", "x.txt~", "#x.txt#", ".x.txt.swp", "x.txt.swp", "x.pdf",
                     "x.txt.part", "4913"):
            write_file(os.path.join(self.ws.inbox, name), article(5))
        os.mkdir(os.path.join(self.ws.inbox, "sub.txt"))
        write_file(os.path.join(self.ws.inbox, "real.txt"), article(6))
        self.wait_journal(1, w)
        self.assertEqual(w.stop(), 0)
        self.assertEqual(sorted(os.listdir(self.ws.out)), sorted([nmtest.JOURNAL, "failed", "real.xml"]))
        self.assertEqual(os.listdir(os.path.join(self.ws.out, "failed")), [])

    def test_usage_errors(self):
        for args in ([], ["nowhere-inbox", "-o", self.ws.out], [self.ws.inbox],
                     [self.ws.inbox, "-o", self.ws.out, "--bogus"]):
            r = subprocess.run([BIN, "watch", *args], capture_output=True, timeout=30)
            self.assertEqual(r.returncode, 2, args)
        r = subprocess.run([BIN, "watch", "--help"], capture_output=True, timeout=30)
        self.assertEqual(r.returncode, 0)
        for flag in (b"--once", b"--quiet", b"--max-bytes", b"--dates", b"failed/"):
            self.assertIn(flag, r.stdout)
        # a second watcher on the same OUTDIR is refused
        w = self.start()
        wait_for(lambda: os.path.exists(os.path.join(self.ws.out, nmtest.JOURNAL)), WAIT,
                 "journal", w.proc)
        time.sleep(0.2)
        r = subprocess.run([BIN, "watch", self.ws.inbox, "-o", self.ws.out], capture_output=True,
                           timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"in use by another newsmine", r.stderr)
        self.assertEqual(w.stop(), 0)


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
