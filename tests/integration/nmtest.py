"""Helpers for the integration tests of `newsmine watch` and `newsmine batch`
(Python 3 standard library only)."""

import os
import shutil
import signal
import subprocess
import tempfile
import time

JOURNAL = ".newsmine-journal"


def article(i, extra=""):
    """A small, unique news article with figures in it."""
    return (
        f"Company {i} reports results {extra}\n\n"
        f"Company {i} said on Monday that revenue rose {i % 50}.{i % 10} percent to "
        f"${i * 3 + 1} million in the third quarter, while costs fell {i % 7}%. "
        f"It employs {1000 + i} people in {i % 12 + 1} countries.\n\n"
        f"Shares gained {i % 9}.5% to {20 + i % 30} dollars.\n"
    )


def html_article(i):
    return (
        "<!DOCTYPE html><html><head><title>Story %d | Site</title>"
        '<meta property="article:published_time" content="2024-03-%02dT10:00:00Z">'
        "<script>var t = 'tracker';</script></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Story %d</h1><p>Widget %d sold 1,%03d units, up 12%%.</p></article>"
        "<footer>(c) Site</footer></body></html>" % (i, i % 28 + 1, i, i, i % 1000)
    )


def write_file(path, data, mode="wb"):
    with open(path, mode) as f:
        f.write(data.encode() if isinstance(data, str) else data)


def read_journal(outdir):
    """name -> (sha256, status), the latest complete line per name."""
    entries = {}
    try:
        with open(os.path.join(outdir, JOURNAL), "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return entries
    for line in data.split(b"\n")[:-1]:  # only lines with their newline
        parts = line.decode("utf-8", "replace").split("\t")
        if len(parts) == 5 and not line.startswith(b"#"):
            entries[parts[3]] = (parts[0], parts[2])
    return entries


def snapshot(outdir):
    """Every file under outdir (path -> bytes) but the journal, whose live
    entries are compared instead; temporary files are reported too."""
    files = {}
    for root, _dirs, names in os.walk(outdir):
        for n in names:
            p = os.path.join(root, n)
            rel = os.path.relpath(p, outdir)
            if rel == JOURNAL:
                continue
            with open(p, "rb") as f:
                files[rel] = f.read()
    files["<journal>"] = sorted(read_journal(outdir).items())
    return files


def diff_snapshots(want, got):
    """A short description of how two snapshots differ ('' when equal)."""
    out = []
    for k in sorted(set(want) | set(got)):
        if k not in got:
            out.append(f"missing: {k}")
        elif k not in want:
            out.append(f"extra: {k}")
        elif want[k] != got[k]:
            out.append(f"differs: {k}")
    return "; ".join(out[:20])


class Watcher:
    """A running `newsmine watch`, its stderr collected in a file."""

    def __init__(self, binary, inbox, outdir, *args, logdir=None):
        self.log_path = os.path.join(logdir or os.path.dirname(outdir),
                                     "watch-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([binary, "watch", inbox, "-o", outdir, *args],
                                     stdout=subprocess.DEVNULL, stderr=self.log)

    def send(self, sig):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        self.send(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("watch did not stop within %ds after signal %d" % (timeout, sig))
        finally:
            self.log.close()
        return rc

    def text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def wait_for(pred, timeout, what, proc=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError("watch exited (%d) while waiting for %s" % (proc.returncode, what))
        time.sleep(0.02)
    raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))


def record_names(n, prefix="a"):
    return ["%s%04d" % (prefix, i) for i in range(n)]


class Workspace:
    """A temporary folder with inbox/, out/ and ref/."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="nm-it-")
        self.inbox = os.path.join(self.root, "inbox")
        self.out = os.path.join(self.root, "out")
        self.ref = os.path.join(self.root, "ref")
        os.mkdir(self.inbox)

    def clear_inbox(self):
        shutil.rmtree(self.inbox)
        os.mkdir(self.inbox)

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)
