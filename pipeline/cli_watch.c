/* cli_watch.c - newsmine watch: the command line around watch.c. */
#include "cli.h"
#include "watch.h"

#include <errno.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char usage_watch[] =
    "Usage: newsmine watch [OPTIONS] INBOX -o OUTDIR\n"
    "\n"
    "Processes every article that lands in the folder INBOX, exactly once, into\n"
    "records in OUTDIR (named as by 'newsmine batch': a.txt -> OUTDIR/a.xml,\n"
    "page.html -> OUTDIR/page.html.xml). *.txt is plain text, *.html and *.htm web\n"
    "pages. A file is taken when it is complete: written and closed, or moved\n"
    "in (inotify); dot-files and editors' temporary names (name~, #name#, *.swp,\n"
    "*.tmp, *.part ...) are ignored, and so are sub-folders. Files already in\n"
    "INBOX at start (arrived while it was down) are processed first.\n"
    "\n"
    "OUTDIR/" NM_JOURNAL_NAME " (append-only, fsync'd) records each file done by\n"
    "the SHA-256 of its content: a file seen again with the same content is not\n"
    "redone, a changed one is. (After a lexicon change, 'newsmine batch INBOX -o\n"
    "OUTDIR' redoes what the new lexicons change, with the same journal.) A file\n"
    "that fails is moved to OUTDIR/failed/ with a NAME.err beside it holding\n"
    "FILE:LINE:COL: [NM-CODE] error: message lines; the watch goes on. Records\n"
    "and journal are written so that a crash or kill -9 at any moment, followed\n"
    "by a restart, gives the same OUTDIR as an uninterrupted run.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR      where records go (created if missing; required)\n"
    "  -f, --format LIST        xml, tsv or xml,tsv (default xml)\n"
    "      --dates FILE         document dates, in the gold documents.tsv format;\n"
    "                           an entry wins over an HTML page's own date\n"
    "  -L, --lexicons DIR       also load the *.lst lists under DIR (repeatable)\n"
    "      --day-first          read 03/04/2024 as 3 April (default: month first)\n"
    "      --max-bytes N        files over N bytes fail (default 256 MiB)\n"
    "      --once               process what is in INBOX now, then exit\n"
    "  -q, --quiet              no line per document (failures are still shown)\n"
    "  -h, --help               show this help\n"
    "\n"
    "Standard error gets one line per document: time (UTC), what happened, file,\n"
    "record, facts by kind and milliseconds, then the document's diagnostics.\n"
    "SIGINT or SIGTERM: the document in hand is finished, then it exits 0.\n"
    "Exit status: 0 stopped by a signal (or --once and no failure), 1 the watch\n"
    "broke off (INBOX removed) or --once had failures, 2 usage or set-up error.\n";

typedef struct watch_args {
    const char *inbox, *outdir, *dates;
    unsigned formats;
    bool quiet, once;
} watch_args;

static void stamp(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void log_event(void *arg, const nm_watch_event *ev)
{
    const watch_args *a = arg;
    char ts[32];
    stamp(ts);
    switch (ev->what) {
    case NM_WATCH_DONE:
        if (a->quiet)
            break;
        fprintf(stderr, "%s done %s doc=%s figures=%zu dates=%zu entities=%zu events=%zu ms=%.1f\n",
                ts, ev->file, ev->record, ev->facts[0], ev->facts[1], ev->facts[2], ev->facts[3],
                ev->ms);
        nm_cli_print_diags(stderr, ev->doc, ev->path);
        break;
    case NM_WATCH_FAILED:
        fprintf(stderr, "%s failed %s doc=%s ms=%.1f: %s (see %s/failed/)\n", ts, ev->file,
                ev->record, ev->ms, ev->msg, a->outdir);
        if (ev->doc)
            nm_cli_print_diags(stderr, ev->doc, ev->path);
        break;
    case NM_WATCH_UNCHANGED:
        if (!a->quiet)
            fprintf(stderr, "%s unchanged %s doc=%s ms=%.1f: same content as done before\n",
                    ts, ev->file, ev->record, ev->ms);
        break;
    case NM_WATCH_NOTE:
        fprintf(stderr, "%s newsmine watch: %s\n", ts, ev->msg);
        break;
    }
    fflush(stderr);
}

static int parse_args(int argc, char **argv, nm_cli_opts *co, watch_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int c = nm_cli_common_option(co, argc, argv, &i);
        if (c < 0)
            return nm_cli_usage_error("watch", "bad or missing value for", s);
        if (c)
            continue;
        bool val = i + 1 < argc;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage_watch, stdout);
            return -1;
        } else if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && val) {
            a->outdir = argv[++i];
        } else if ((strcmp(s, "-f") == 0 || strcmp(s, "--format") == 0) && val) {
            if (!nm_cli_parse_formats(argv[++i], &a->formats))
                return nm_cli_usage_error("watch", "--format takes xml, tsv or xml,tsv, not", argv[i]);
        } else if (strcmp(s, "--dates") == 0 && val) {
            a->dates = argv[++i];
        } else if (strcmp(s, "--once") == 0) {
            a->once = true;
        } else if (strcmp(s, "-q") == 0 || strcmp(s, "--quiet") == 0) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return nm_cli_usage_error("watch", "unknown option or missing value", s);
        } else if (!a->inbox) {
            a->inbox = s;
        } else {
            return nm_cli_usage_error("watch", "more than one INBOX", s);
        }
    }
    if (!a->inbox || !a->outdir)
        return nm_cli_usage_error("watch", !a->inbox ? "no INBOX given" : "no -o OUTDIR given", NULL);
    return 0;
}

/* Runs the watch; returns the exit status. */
static int watch(const watch_args *a, const nm_ctx *ctx, const nm_dates *dates, size_t max)
{
    nm_watch_opts o = {a->inbox, a->outdir, a->formats, max, dates, log_event, (void *)a};
    char err[1200];
    nm_watch *w = nm_watch_open(&o, ctx, err, sizeof err);
    if (!w) {
        fprintf(stderr, "newsmine watch: %s\n", err);
        return NM_EXIT_USAGE;
    }
    int rc = NM_EXIT_OK;
    if (a->once)
        nm_watch_scan(w, NULL);
    else if (nm_watch_run(w, &nm_cli_stop, err, sizeof err) != 0) {
        fprintf(stderr, "newsmine watch: %s\n", err);
        rc = NM_EXIT_FAILED;
    }
    nm_watch_stats s = nm_watch_get_stats(w);
    nm_watch_close(w);
    if (!a->quiet)
        fprintf(stderr, "newsmine watch: stopped: %zu done, %zu failed, %zu unchanged\n", s.done,
                s.failed, s.unchanged);
    if (a->once && s.failed)
        rc = NM_EXIT_FAILED;
    return rc;
}

int nm_cmd_watch(int argc, char **argv)
{
    nm_cli_opts co;
    memset(&co, 0, sizeof co);
    watch_args a = {NULL, NULL, NULL, NM_FMT_XML, false, false};
    int rc = parse_args(argc, argv, &co, &a);
    if (rc != 0)
        return rc < 0 ? NM_EXIT_OK : rc;
    struct stat st;
    if (stat(a.inbox, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "newsmine watch: %s: not a folder\n", a.inbox);
        return NM_EXIT_USAGE;
    }
    nm_dates *dates = NULL;
    if (a.dates && !(dates = nm_dates_load(a.dates, stderr)))
        return NM_EXIT_USAGE;
    co.opt.formats = a.formats;
    xmlInitParser();
    nm_cli_catch_stop();
    nm_ctx *ctx = nm_cli_make_ctx(&co);
    if (ctx)
        rc = watch(&a, ctx, dates, co.opt.max_bytes ? co.opt.max_bytes : (size_t)256 << 20);
    else
        rc = NM_EXIT_USAGE;
    nm_ctx_free(ctx);
    nm_dates_free(dates);
    return rc;
}
