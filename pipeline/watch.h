/* watch.h - a watched inbox, processed exactly once (internal).
 *
 * Files that land in the inbox (written and closed, or moved in: inotify
 * IN_CLOSE_WRITE and IN_MOVED_TO), and those already there at start, are
 * processed one at a time into records in the output folder.  The journal
 * OUTDIR/.newsmine-journal (fsync'd) says which content of which file was
 * done: a file seen again with the same content is skipped, a changed one is
 * redone.  Every step is ordered so that a crash at any moment followed by a
 * restart gives the same output folder as an uninterrupted run:
 *
 *   success: records (temp + fsync + rename, folder fsync'd), stale
 *            failed/ copies removed, then the journal line;
 *   failure: failed/NAME.err, stale records removed, the journal line, then
 *            the file moved to failed/NAME.
 *
 * The engine never prints: it reports through the callback.
 */
#ifndef NM_WATCH_H
#define NM_WATCH_H

#include "cli.h"
#include "ingest.h"

#include <signal.h>

typedef struct nm_watch nm_watch;

typedef enum nm_watch_what {
    NM_WATCH_DONE,      /* processed, records written */
    NM_WATCH_FAILED,    /* moved to failed/, with a .err */
    NM_WATCH_UNCHANGED, /* same content as already done: skipped */
    NM_WATCH_NOTE       /* something to log (msg) */
} nm_watch_what;

typedef struct nm_watch_event {
    nm_watch_what what;
    const char *file;   /* inbox file name (NULL for notes) */
    const char *path;   /* INBOX/file */
    const char *record; /* record name */
    const nm_doc *doc;  /* the document run, when there was one (diagnostics) */
    size_t facts[4];    /* by kind: figures, dates, entities, events */
    double ms;          /* time spent on it */
    const char *msg;    /* failure or note text */
} nm_watch_event;

typedef void (*nm_watch_report)(void *arg, const nm_watch_event *ev);

typedef struct nm_watch_opts {
    const char *inbox, *outdir;
    unsigned formats;        /* NM_FMT_* */
    size_t max_bytes;        /* files over it fail */
    const nm_dates *dates;   /* may be NULL */
    nm_watch_report report;
    void *report_arg;
} nm_watch_opts;

/* Sets up: output and failed/ folders, the journal (repairing a torn last
 * line, reported as a note), stale temporary files, the inotify watch.
 * NULL with a message in err on failure. */
nm_watch *nm_watch_open(const nm_watch_opts *opt, const nm_ctx *ctx, char *err, size_t errlen);
void nm_watch_close(nm_watch *w);

/* Processes what is in the inbox now (sorted by name).  Returns how many
 * files were looked at; *todo_done counts those processed (not skipped). */
size_t nm_watch_scan(nm_watch *w, size_t *todo_done);

/* Scans (deferring files modified in the last second: they may still be
 * being written, and are taken once left alone for a second or closed),
 * then processes files as they land until *stop becomes non-zero
 * (set by a SIGINT/SIGTERM handler: the signals are blocked while a file is
 * processed and let in between files and while waiting).  Returns 0, or -1
 * with a message in err when the inbox went away or inotify failed. */
int nm_watch_run(nm_watch *w, volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Counts since open. */
typedef struct nm_watch_stats {
    size_t done, failed, unchanged;
} nm_watch_stats;
nm_watch_stats nm_watch_get_stats(const nm_watch *w);

#endif
