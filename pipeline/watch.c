/* watch.c - a watched inbox, processed exactly once (see watch.h). */
#define _GNU_SOURCE /* ppoll */
#include "watch.h"
#include "journal.h"
#include "nm_core.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct nm_watch {
    nm_watch_opts opt;
    const nm_ctx *ctx;
    nm_journal *journal;
    nm_outdir out;
    char failed_dir[4200];
    int ifd;
    sigset_t block, orig;
    volatile sig_atomic_t *stop;
    bool scanning; /* unchanged files found by a scan are counted, not reported */
    bool settle;   /* defer files a scan finds that were modified just now */
    char **later;  /* names deferred so, oldest first */
    size_t nlater, clater;
    nm_watch_stats stats;
};

/* A file a scan finds that was modified less than this ago may still be
 * being written (it may have been opened before the watch began): it is
 * taken when it has been left alone that long, or when its writer closes it. */
#define SETTLE_SECONDS 1.0

/* One file being processed. */
typedef struct item {
    const char *file;    /* name in the inbox */
    char path[8400];     /* inbox/file */
    char record[4096];   /* record name */
    char safe[4096];     /* file-name-safe version of file, for failed/ */
    nm_input in;
    double t0;
} item;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void note(nm_watch *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(nm_watch *w, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    nm_watch_event ev = {.what = NM_WATCH_NOTE, .msg = msg};
    if (w->opt.report)
        w->opt.report(w->opt.report_arg, &ev);
}

static void report(nm_watch *w, nm_watch_what what, item *it, const char *msg)
{
    nm_watch_event ev = {.what = what, .file = it->file, .path = it->path, .record = it->record,
                         .doc = it->in.doc, .ms = now_ms() - it->t0, .msg = msg};
    for (int k = 0; it->in.doc && k < 4; k++)
        ev.facts[k] = nm_doc_fact_count(it->in.doc, k);
    if (what == NM_WATCH_DONE)
        w->stats.done++;
    else if (what == NM_WATCH_FAILED)
        w->stats.failed++;
    else if (what == NM_WATCH_UNCHANGED)
        w->stats.unchanged++;
    if (w->opt.report && !(what == NM_WATCH_UNCHANGED && w->scanning))
        w->opt.report(w->opt.report_arg, &ev);
}

/* ------------------------------------------------------------ failed/ */

/* Copies src to dst through a temporary file (for a move across file
 * systems); 0 or -1. */
static int copy_file(const char *src, const char *dst)
{
    nm_input in;
    if (!nm_input_read(&in, src, SIZE_MAX / 2))
        return -1;
    char err[600];
    const char *part = in.data;
    int rc = nm_cli_write_atomic(dst, &part, &in.bytes, 1, true, err, sizeof err);
    nm_input_free(&in);
    return rc;
}

static int move_file(const char *src, const char *dst)
{
    if (rename(src, dst) == 0)
        return 0;
    if (errno != EXDEV || copy_file(src, dst) != 0)
        return -1;
    return unlink(src);
}

/* The problem as FILE:LINE:COL: [NM-CODE] severity: message lines. */
static char *failure_text(item *it, nm_status st, const char *msg, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    if (msg)
        fprintf(f, "%s:1:1: [NM-%d] error: %s\n", it->path, (int)st, msg);
    if (it->in.doc)
        nm_cli_print_diags(f, it->in.doc, it->path);
    fclose(f);
    return buf;
}

static nm_journal_entry entry_of(const item *it, const nm_ctx *ctx, const char *status)
{
    nm_journal_entry e;
    memcpy(e.sha256, it->in.sha256, sizeof e.sha256);
    snprintf(e.rules, sizeof e.rules, "%s", nm_ctx_digest(ctx));
    snprintf(e.status, sizeof e.status, "%s", status);
    return e;
}

/* failed/NAME.err, stale records out, journal line, then the file moved. */
static void fail(nm_watch *w, item *it, nm_status st, const char *msg)
{
    char dst[8400], err[600];
    size_t len = 0;
    char *text = failure_text(it, st, msg, &len);
    snprintf(dst, sizeof dst, "%s/%s.err", w->failed_dir, it->safe);
    const char *part = text ? text : "";
    bool ok = nm_cli_write_atomic(dst, &part, &len, 1, true, err, sizeof err) == 0;
    free(text);
    if (ok) {
        nm_records_remove(&w->out, it->record);
        nm_journal_entry e = entry_of(it, w->ctx, "failed");
        ok = nm_journal_append(w->journal, it->record, &e, err, sizeof err) == NM_OK;
    }
    snprintf(dst, sizeof dst, "%s/%s", w->failed_dir, it->safe);
    if (ok && move_file(it->path, dst) != 0) {
        snprintf(err, sizeof err, "cannot move %.250s to %.250s: %s", it->path, dst, strerror(errno));
        ok = false;
    }
    if (ok)
        nm_fsync_dir(w->failed_dir);
    report(w, NM_WATCH_FAILED, it, ok ? (msg ? msg : nm_status_name(st)) : err);
}

/* ------------------------------------------------------------ one file */

/* Records, stale failed/ copies out, then the journal line. */
static void succeed(nm_watch *w, item *it)
{
    char path[8400], err[600];
    if (nm_records_write(&w->out, it->in.doc, it->record, err, sizeof err) != 0) {
        fail(w, it, NM_E_IO, err);
        return;
    }
    snprintf(path, sizeof path, "%s/%s.err", w->failed_dir, it->safe);
    if (unlink(path) == 0) {
        snprintf(path, sizeof path, "%s/%s", w->failed_dir, it->safe);
        unlink(path);
    }
    nm_journal_entry e = entry_of(it, w->ctx, "ok");
    if (nm_journal_append(w->journal, it->record, &e, err, sizeof err) != NM_OK) {
        report(w, NM_WATCH_FAILED, it, err);
        return;
    }
    report(w, NM_WATCH_DONE, it, NULL);
}

/* Same content as the journal's: nothing to do, except finishing the move
 * of a file that failed before (a crash may have come in between). */
static bool unchanged(nm_watch *w, item *it)
{
    nm_journal_entry e;
    if (!nm_journal_lookup(w->journal, it->record, &e) || strcmp(e.sha256, it->in.sha256) != 0)
        return false;
    if (strcmp(e.status, "ok") != 0) {
        char dst[8400];
        snprintf(dst, sizeof dst, "%s/%s", w->failed_dir, it->safe);
        move_file(it->path, dst);
    }
    return true;
}

static void process(nm_watch *w, const char *file)
{
    nm_input_kind kind = nm_input_kind_of(file);
    if (kind == NM_INPUT_NONE)
        return;
    item *it = nm_xcalloc(1, sizeof *it);
    it->file = file;
    it->t0 = now_ms();
    snprintf(it->path, sizeof it->path, "%s/%s", w->opt.inbox, file);
    nm_record_name(file, it->record, sizeof it->record);
    nm_cli_safe_name(file, it->safe, sizeof it->safe);
    struct stat sb;
    const char *date = nm_dates_get(w->opt.dates, it->record);
    if (stat(it->path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        /* gone already, or not a file: nothing to do */
    } else if (!nm_input_read(&it->in, it->path, w->opt.max_bytes)) {
        if (it->in.st != NM_E_IO || access(it->path, F_OK) == 0)
            fail(w, it, it->in.st, it->in.err);
    } else if (unchanged(w, it)) {
        report(w, NM_WATCH_UNCHANGED, it, NULL);
    } else {
        nm_input_doc(&it->in, it->record, it->path, kind, date, "dates-file");
        nm_status st = nm_run(it->in.doc, w->ctx);
        if (st == NM_OK)
            succeed(w, it);
        else
            fail(w, it, st, NULL);
    }
    nm_input_free(&it->in);
    free(it);
}

/* Lets a pending SIGINT/SIGTERM in (its handler sets *stop); true to stop. */
static bool stop_requested(nm_watch *w)
{
    sigprocmask(SIG_SETMASK, &w->orig, NULL);
    sigprocmask(SIG_BLOCK, &w->block, NULL);
    return w->stop && *w->stop;
}

/* ------------------------------------------------------------ the inbox */

/* Seconds until a file has been left alone for SETTLE_SECONDS (<= 0: it
 * has, or it is gone). */
static double settling(const nm_watch *w, const char *file)
{
    char path[8400];
    struct stat sb;
    struct timespec now;
    snprintf(path, sizeof path, "%s/%s", w->opt.inbox, file);
    if (stat(path, &sb) != 0)
        return 0;
    clock_gettime(CLOCK_REALTIME, &now);
    double age = (double)(now.tv_sec - sb.st_mtim.tv_sec) +
                 (double)(now.tv_nsec - sb.st_mtim.tv_nsec) / 1e9;
    return SETTLE_SECONDS - age;
}

static void defer(nm_watch *w, char *file)
{
    for (size_t i = 0; i < w->nlater; i++)
        if (strcmp(w->later[i], file) == 0) {
            free(file);
            return;
        }
    NM_VEC_PUSH(w->later, w->nlater, w->clater, file);
}

/* Takes name off the deferred list (its writer closed it). */
static void undefer(nm_watch *w, const char *file)
{
    for (size_t i = 0; i < w->nlater; i++)
        if (strcmp(w->later[i], file) == 0) {
            free(w->later[i]);
            memmove(w->later + i, w->later + i + 1, (w->nlater - i - 1) * sizeof *w->later);
            w->nlater--;
            return;
        }
}

/* Processes the deferred files left alone long enough; returns the
 * milliseconds until the next one is due (-1: none left). */
static int run_deferred(nm_watch *w)
{
    double next = -1;
    for (size_t i = 0; i < w->nlater && !stop_requested(w);) {
        double wait = settling(w, w->later[i]);
        if (wait > 0) {
            next = next < 0 || wait < next ? wait : next;
            i++;
            continue;
        }
        char *file = w->later[i];
        memmove(w->later + i, w->later + i + 1, (w->nlater - i - 1) * sizeof *w->later);
        w->nlater--;
        process(w, file);
        free(file);
    }
    return next < 0 ? -1 : (int)(next * 1000) + 1;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t nm_watch_scan(nm_watch *w, size_t *todo_done)
{
    DIR *d = opendir(w->opt.inbox);
    char **names = NULL;
    size_t n = 0, cap = 0, seen = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (nm_input_kind_of(de->d_name) != NM_INPUT_NONE)
            NM_VEC_PUSH(names, n, cap, nm_xstrdup(de->d_name));
    if (d)
        closedir(d);
    if (n)
        qsort(names, n, sizeof *names, name_cmp);
    size_t before = w->stats.done + w->stats.failed;
    w->scanning = true;
    for (size_t i = 0; i < n; i++) {
        if (w->settle && settling(w, names[i]) > 0) {
            defer(w, names[i]);
            continue;
        }
        if (!stop_requested(w)) {
            process(w, names[i]);
            seen++;
        }
        free(names[i]);
    }
    free(names);
    w->scanning = false;
    if (todo_done)
        *todo_done = w->stats.done + w->stats.failed - before;
    return seen;
}

/* Files named by a buffer of inotify events, in order, without repeats;
 * *rescan when the kernel's queue overflowed; -1 when the inbox went away. */
static int take_events(const char *buf, size_t n, char ***names, size_t *count, size_t *cap,
                       bool *rescan)
{
    for (size_t off = 0; off + sizeof(struct inotify_event) <= n;) {
        const struct inotify_event *ev = (const struct inotify_event *)(const void *)(buf + off);
        off += sizeof *ev + ev->len;
        if (ev->mask & IN_Q_OVERFLOW)
            *rescan = true;
        if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT))
            return -1;
        if (!ev->len || (ev->mask & IN_ISDIR) || !(ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)))
            continue;
        if (*count && strcmp((*names)[*count - 1], ev->name) == 0)
            continue;
        NM_VEC_PUSH(*names, *count, *cap, nm_xstrdup(ev->name));
    }
    return 0;
}

/* Waits for events (letting signals in meanwhile) and processes them. */
static int wait_and_process(nm_watch *w, char *err, size_t errlen)
{
    _Alignas(struct inotify_event) char buf[65536];
    struct pollfd p = {w->ifd, POLLIN, 0};
    int due = run_deferred(w);
    if (w->stop && *w->stop)
        return 0; /* signals are blocked here: none is lost before ppoll */
    struct timespec ts = {due / 1000, (long)(due % 1000) * 1000000L};
    ssize_t k = ppoll(&p, 1, due < 0 ? NULL : &ts, &w->orig);
    if (k > 0)
        k = read(w->ifd, buf, sizeof buf);
    if (k < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (k < 0) {
        snprintf(err, errlen, "%s: cannot wait for files: %s", w->opt.inbox, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool rescan = false;
    int rc = take_events(buf, (size_t)k, &names, &n, &cap, &rescan);
    for (size_t i = 0; i < n; i++) {
        undefer(w, names[i]);
        if (!stop_requested(w))
            process(w, names[i]);
        free(names[i]);
    }
    free(names);
    if (rc < 0)
        snprintf(err, errlen, "%s: the inbox was removed or moved away", w->opt.inbox);
    else if (rescan && !stop_requested(w)) {
        note(w, "inotify queue overflowed: rescanning %s", w->opt.inbox);
        nm_watch_scan(w, NULL);
    }
    return rc;
}

int nm_watch_run(nm_watch *w, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    w->stop = stop;
    w->settle = true;
    size_t todo = 0, seen = nm_watch_scan(w, &todo);
    if (seen || w->nlater)
        note(w, "%zu files already in %s: %zu processed, %zu done before, %zu modified just now "
                "(taken when left alone for %.0f s or closed)", seen + w->nlater, w->opt.inbox,
             todo, seen - todo, w->nlater, SETTLE_SECONDS);
    while (!stop_requested(w))
        if (wait_and_process(w, err, errlen) != 0)
            return -1;
    return 0;
}

nm_watch_stats nm_watch_get_stats(const nm_watch *w) { return w->stats; }

/* ------------------------------------------------------------ set-up */

static nm_journal *open_journal(nm_watch *w, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", w->opt.outdir, NM_JOURNAL_NAME);
    nm_journal *j;
    nm_journal_info info;
    if (nm_journal_open(path, true, &j, &info, err, errlen) != NM_OK)
        return NULL;
    if (info.torn_bytes)
        note(w, "%s:%zu: repaired the journal: cut a torn last line (%zu bytes) left by a crash",
             path, info.torn_line, info.torn_bytes);
    if (info.bad_lines)
        note(w, "%s: %zu damaged lines ignored", path, info.bad_lines);
    return j;
}

nm_watch *nm_watch_open(const nm_watch_opts *opt, const nm_ctx *ctx, char *err, size_t errlen)
{
    nm_watch *w = nm_xcalloc(1, sizeof *w);
    w->opt = *opt;
    w->ctx = ctx;
    w->ifd = -1;
    w->out = (nm_outdir){opt->outdir, opt->formats, true};
    snprintf(w->failed_dir, sizeof w->failed_dir, "%s/failed", opt->outdir);
    sigemptyset(&w->block);
    sigaddset(&w->block, SIGINT);
    sigaddset(&w->block, SIGTERM);
    sigprocmask(SIG_BLOCK, &w->block, &w->orig);
    if (nm_cli_mkdir_p(w->failed_dir) != 0) {
        snprintf(err, errlen, "cannot create %s: %s", w->failed_dir, strerror(errno));
        nm_watch_close(w);
        return NULL;
    }
    w->journal = open_journal(w, err, errlen);
    if (!w->journal) {
        nm_watch_close(w);
        return NULL;
    }
    size_t temps = nm_outdir_clean_temps(opt->outdir) + nm_outdir_clean_temps(w->failed_dir);
    if (temps)
        note(w, "removed %zu temporary files left by a crash", temps);
    w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->ifd < 0 || inotify_add_watch(w->ifd, opt->inbox, IN_CLOSE_WRITE | IN_MOVED_TO |
                                        IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0) {
        snprintf(err, errlen, "cannot watch %s: %s", opt->inbox, strerror(errno));
        nm_watch_close(w);
        return NULL;
    }
    return w;
}

void nm_watch_close(nm_watch *w)
{
    if (!w)
        return;
    if (w->ifd >= 0)
        close(w->ifd);
    nm_journal_close(w->journal);
    for (size_t i = 0; i < w->nlater; i++)
        free(w->later[i]);
    free(w->later);
    sigprocmask(SIG_SETMASK, &w->orig, NULL);
    free(w);
}
