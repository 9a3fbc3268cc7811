/* cli_batch.c - newsmine batch: every article under a folder, in parallel,
 * each record written atomically into the output folder; incremental and
 * resumable: a document whose XML record is current is skipped. */
#include "cli.h"
#include "emit.h"
#include "extract.h"
#include "ingest.h"
#include "summary.h"

#include <dirent.h>
#include <errno.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_batch[] =
    "Usage: newsmine batch [OPTIONS] INDIR -o OUTDIR\n"
    "\n"
    "Processes every article under INDIR (sub-folders too; dot-files and editors'\n"
    "temporary files skipped): *.txt as plain text, *.html and *.htm as web pages\n"
    "(the article body's text, without scripts, styles, navigation, headers,\n"
    "footers and link lists; the page's publication date as the document date).\n"
    "Records go to OUTDIR/<doc>.xml and/or OUTDIR/<doc>.tsv, where <doc> is the\n"
    "file name without .txt (other extensions are kept: page.html ->\n"
    "page.html.xml). Files in sub-folders: their path, / written as %2F. Bytes\n"
    "not safe in file names (space, %, controls, a leading . or -) are written\n"
    "as %XX, so two inputs never share a record (a b.txt -> a%20b.xml).\n"
    "Each output is written to a temporary file and renamed, so no reader ever\n"
    "sees half a record; nothing is written outside OUTDIR, whatever the input\n"
    "names hold. A file that fails is reported and the others still run.\n"
    "OUTDIR/summary.xml sums the events of all documents by type, actor and\n"
    "month (schema/summary.rng), skipped ones included (read from their records).\n"
    "\n"
    "The run is incremental: a document whose XML record exists and was made\n"
    "from the same file content (its sha256=, or source-sha256= for HTML), the\n"
    "same lexicons and rules (rules=) and the same --dates entry is skipped, so an\n"
    "interrupted run (Ctrl-C, kill, crash) resumes where it stopped when run\n"
    "again. Other options (--day-first) are not recorded: use --force after\n"
    "changing them. With --format tsv alone every document is redone.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR      where records go (created if missing; required)\n"
    "  -j, --jobs N             worker threads (default: the number of cores);\n"
    "                           the output does not depend on N\n"
    "  -f, --format LIST        xml, tsv or xml,tsv (default xml)\n"
    "      --dates FILE         document dates, in the gold documents.tsv format\n"
    "                           (doc<TAB>YYYY-MM[-DD]<TAB>source, with a header);\n"
    "                           default: INDIR/documents.tsv when it exists; an\n"
    "                           entry wins over an HTML page's own date\n"
    "      --force              redo every document, changed or not\n"
    "      --all-warnings       print every warning (default: the first 10 of each\n"
    "                           code, then a count; the records hold them all)\n"
    "  -L, --lexicons DIR       also load the *.lst lists under DIR (repeatable)\n"
    "      --day-first          read 03/04/2024 as 3 April (default: month first)\n"
    "      --max-bytes N        refuse files over N bytes (default 256 MiB)\n"
    "      --fsync              fsync each record (and OUTDIR) before going on\n"
    "  -q, --quiet              no progress bar and no summary\n"
    "  -h, --help               show this help\n"
    "\n"
    "A progress bar (documents, MB/s, ETA) is shown when standard error is a\n"
    "terminal; a summary (documents, facts by kind, failures, seconds) ends the\n"
    "run. SIGINT or SIGTERM: the documents in hand are finished, then it stops.\n"
    "Diagnostics go to standard error as FILE:LINE:COL: [NM-CODE] severity: message.\n"
    "Exit status: 0 all documents done, 1 some failed or the run was interrupted,\n"
    "2 usage or set-up error.\n";

/* An input file: 16 bytes, its path relative to INDIR in the batch's
 * string pool, so that the list of a large corpus stays small (about 30
 * bytes a file). */
typedef struct job {
    const char *rel; /* set once the walk is over (the pool no longer moves) */
    uint32_t off;    /* the path's offset in the pool */
    uint8_t kind;    /* nm_input_kind */
    bool failed;
} job;

/* The document in hand of a worker. */
typedef struct task {
    char path[4096]; /* input */
    char name[4096]; /* record name (safe) */
    nm_input_kind kind;
    bool failed, skipped;
    size_t bytes; /* read and processed (0 when skipped) */
    size_t facts[NM_KIND_COUNT];
} task;

typedef struct batch {
    const nm_ctx *ctx;
    const nm_dates *dates;
    nm_outdir out;
    bool quiet, force, tty;
    size_t max;
    const char *indir;
    job *jobs;
    size_t njobs, cap, next, ndone, nfailed, nskipped;
    char *pool; /* relative paths of the jobs, NUL-terminated */
    size_t npool, cpool;
    size_t facts[NM_KIND_COUNT];
    bool all_warnings;
    uint32_t warned[1024]; /* warnings seen, by code: only the first few are printed */
    unsigned long long bytes;
    nm_summary *summary; /* events of every document, for OUTDIR/summary.xml */
    pthread_mutex_t lock;
} batch;

/* ------------------------------------------------------------ inputs */

static void walk(batch *b, const char *dir, const char *rel, const char *skip, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "%s: cannot open folder: %s\n", dir, strerror(errno));
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char full[4096], sub[4096];
        snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        nm_input_kind kind = nm_input_kind_of(de->d_name);
        bool is_dir = de->d_type == DT_DIR, is_file = de->d_type == DT_REG;
        struct stat st;
        if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) { /* ask */
            if (stat(full, &st) != 0)
                continue;
            is_dir = S_ISDIR(st.st_mode);
            is_file = S_ISREG(st.st_mode);
        }
        if (is_dir) {
            char *real = skip ? realpath(full, NULL) : NULL;
            bool is_out = real && strcmp(real, skip) == 0; /* OUTDIR inside INDIR */
            free(real);
            if (depth < 32 && !is_out)
                walk(b, full, sub, skip, depth + 1);
        } else if (is_file && kind != NM_INPUT_NONE) {
            size_t n = strlen(sub) + 1;
            nm_vec_reserve((void **)&b->pool, &b->cpool, b->npool + n, 1);
            memcpy(b->pool + b->npool, sub, n);
            job j = {NULL, (uint32_t)b->npool, (uint8_t)kind, false};
            b->npool += n;
            NM_VEC_PUSH(b->jobs, b->njobs, b->cap, j);
        }
    }
    closedir(d);
}

static int job_cmp(const void *a, const void *b)
{
    return strcmp(((const job *)a)->rel, ((const job *)b)->rel);
}

/* Points the jobs at their paths (the pool is final now) and sorts them. */
static void sort_jobs(batch *b)
{
    for (size_t i = 0; i < b->njobs; i++)
        b->jobs[i].rel = b->pool + b->jobs[i].off;
    if (b->njobs > 1)
        qsort(b->jobs, b->njobs, sizeof *b->jobs, job_cmp);
}

/* The task of a job: its full path and record name (sub/x.txt -> sub%2Fx). */
static void task_of(const batch *b, const job *j, task *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/%s", b->indir, j->rel);
    nm_record_name(j->rel, t->name, sizeof t->name);
    t->kind = (nm_input_kind)j->kind;
}

/* ------------------------------------------------------------ work */

#define NM_WARN_SHOWN 10 /* warnings of one code printed before the rest are counted */

static void print_block(batch *b, nm_doc *doc, const char *path, const char *extra)
{
    pthread_mutex_lock(&b->lock);
    if (b->tty)
        fputs("\r\033[K", stderr);
    if (extra)
        fprintf(stderr, "%s", extra);
    for (size_t i = 0; doc && i < nm_doc_diag_count(doc); i++) {
        const nm_diag *d = nm_doc_diag(doc, i);
        bool warning = d->severity != NM_SEV_ERROR;
        if (warning && b->warned[(unsigned)d->code % 1024]++ >= NM_WARN_SHOWN && !b->all_warnings)
            continue; /* the record keeps it; the summary counts it */
        unsigned long line, col;
        nm_doc_line_col(doc, d->offset, &line, &col);
        fprintf(stderr, "%s:%lu:%lu: [NM-%d] %s: %s\n", path, line, col, (int)d->code,
                warning ? "warning" : "error", d->msg);
    }
    pthread_mutex_unlock(&b->lock);
}

/* Warnings over the per-code limit: how many were not printed. */
static void report_hidden_warnings(const batch *b)
{
    for (unsigned c = 0; c < 1024 && !b->all_warnings; c++)
        if (b->warned[c] > NM_WARN_SHOWN)
            fprintf(stderr, "newsmine batch: %u more NM-%u warnings not shown (the records hold "
                            "them all; --all-warnings prints them)\n",
                    b->warned[c] - NM_WARN_SHOWN, c);
}

/* Runs a loaded document and writes its records; false on failure. */
static bool run_doc(batch *b, task *j, nm_input *in)
{
    char err[600], msg[5000];
    nm_status st = nm_run(in->doc, b->ctx);
    bool ok = st == NM_OK && nm_records_write(&b->out, in->doc, j->name, err, sizeof err) == 0;
    if (st == NM_OK && !ok)
        snprintf(msg, sizeof msg, "%s: [NM-%d] error: %s\n", j->path, (int)NM_E_IO, err);
    if (nm_doc_diag_count(in->doc) || (st == NM_OK && !ok))
        print_block(b, nm_doc_diag_count(in->doc) ? in->doc : NULL, j->path,
                    st == NM_OK && !ok ? msg : NULL);
    for (int k = 0; k < NM_KIND_COUNT; k++)
        j->facts[k] = nm_doc_fact_count(in->doc, k);
    if (st == NM_OK) {
        pthread_mutex_lock(&b->lock);
        nm_summary_add(b->summary, in->doc);
        pthread_mutex_unlock(&b->lock);
    }
    return ok;
}

/* A skipped document still counts in the summary: from its record. */
static void summarize_record(batch *b, const task *j)
{
    char path[8192], err[300];
    snprintf(path, sizeof path, "%s/%s.xml", b->out.dir, j->name);
    size_t len;
    nm_status st;
    char *xml = nm_cli_read(path, (size_t)1 << 30, &len, err, sizeof err, &st);
    pthread_mutex_lock(&b->lock);
    if (!xml || nm_summary_add_record(b->summary, xml, len) != 0)
        fprintf(stderr, "%s: record not counted in summary.xml: %s\n", path,
                xml ? "not a newsmine record" : err);
    pthread_mutex_unlock(&b->lock);
    free(xml);
}

static void run_job(batch *b, task *j)
{
    char msg[5000];
    const char *date = nm_dates_get(b->dates, j->name);
    nm_input in;
    if (!nm_input_read(&in, j->path, b->max)) {
        snprintf(msg, sizeof msg, "%s: [NM-%d] error: %s\n", j->path, (int)in.st, in.err);
        print_block(b, NULL, j->path, msg);
        j->failed = true;
        return;
    }
    if (!b->force && nm_record_current(&b->out, j->name, in.sha256, nm_ctx_digest(b->ctx), date)) {
        j->skipped = true;
        summarize_record(b, j);
    } else {
        nm_input_doc(&in, j->name, j->path, j->kind, date, "dates-file");
        j->failed = !run_doc(b, j, &in);
        if (j->failed)
            nm_records_remove(&b->out, j->name); /* stale: made of other content */
    }
    j->bytes = j->skipped ? 0 : in.bytes;
    nm_input_free(&in);
}

/* Takes jobs until none is left (or a stop was asked), counting each one
 * done under the same lock that hands out the next. */
static void *worker(void *arg)
{
    batch *b = arg;
    task *t = nm_xmalloc(sizeof *t);
    size_t prev = SIZE_MAX;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        if (prev != SIZE_MAX) {
            b->jobs[prev].failed = t->failed;
            b->ndone++;
            b->nfailed += t->failed;
            b->nskipped += t->skipped;
            b->bytes += t->bytes;
            for (int k = 0; k < NM_KIND_COUNT; k++)
                b->facts[k] += t->facts[k];
        }
        size_t i = b->next < b->njobs && !nm_cli_stop ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock(&b->lock);
        if (i == SIZE_MAX)
            break;
        task_of(b, &b->jobs[i], t);
        run_job(b, t);
        prev = i;
    }
    free(t);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* [##########..........]  1234/20291 docs  2 failed  7.3 MB/s  ETA 0:42 */
static void progress(batch *b, double t0)
{
    pthread_mutex_lock(&b->lock);
    double el = now() - t0, rate = el > 0 ? (double)b->bytes / 1e6 / el : 0;
    size_t done = b->ndone, total = b->njobs ? b->njobs : 1;
    double eta = done > b->nskipped && el > 0
                     ? el * (double)(b->njobs - done) / (double)(done - b->nskipped) : 0;
    char bar[32];
    int fill = (int)(30 * done / total);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu docs", bar, done, b->njobs);
    if (b->nskipped)
        fprintf(stderr, ", %zu unchanged", b->nskipped);
    if (b->nfailed)
        fprintf(stderr, ", %zu failed", b->nfailed);
    fprintf(stderr, ", %.1f MB/s, ETA %d:%02d", rate, (int)eta / 60, (int)eta % 60);
    fflush(stderr);
    pthread_mutex_unlock(&b->lock);
}

static void summary(batch *b, double secs)
{
    const size_t *f = b->facts;
    size_t done = b->ndone - b->nskipped - b->nfailed;
    fprintf(stderr,
            "newsmine batch: %zu documents: %zu done, %zu unchanged (skipped), %zu failed; "
            "%.1f MB in %.2f s (%.1f MB/s); facts: %zu figures, %zu dates, %zu entities, "
            "%zu events\n",
            b->njobs, done, b->nskipped, b->nfailed, (double)b->bytes / 1e6, secs,
            secs > 0 ? (double)b->bytes / 1e6 / secs : 0.0, f[0], f[1], f[2], f[3]);
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].failed)
            fprintf(stderr, "  failed: %s/%s\n", b->indir, b->jobs[i].rel);
    if (b->ndone < b->njobs)
        fprintf(stderr, "newsmine batch: interrupted, %zu documents not done; run the same "
                        "command again to resume\n", b->njobs - b->ndone);
}

static void run_all(batch *b, int jobs)
{
    if (jobs > (int)b->njobs)
        jobs = b->njobs ? (int)b->njobs : 1;
    pthread_t *th = nm_xcalloc((size_t)jobs, sizeof *th);
    double t0 = now();
    int started = 0;
    for (int i = 0; i < jobs; i++)
        started += pthread_create(&th[i], NULL, worker, b) == 0;
    if (started == 0) /* no threads: do it here */
        worker(b);
    while (b->tty) {
        pthread_mutex_lock(&b->lock);
        bool done = b->ndone == b->njobs || (nm_cli_stop && b->ndone == b->next);
        pthread_mutex_unlock(&b->lock);
        progress(b, t0);
        if (done)
            break;
        nanosleep(&(struct timespec){0, 200000000}, NULL);
    }
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (b->tty)
        fputs("\r\033[K", stderr);
    report_hidden_warnings(b);
    if (!b->quiet || b->ndone < b->njobs)
        summary(b, now() - t0);
}

/* ------------------------------------------------------------ command */

typedef struct batch_args {
    const char *indir, *outdir, *dates;
    int jobs;
    unsigned formats;
    bool fsync;
} batch_args;

static int parse_jobs(const char *v, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 256)
        return nm_cli_usage_error("batch", "-j takes a number from 1 to 256, not", v);
    *out = (int)n;
    return 0;
}

static int parse_args(int argc, char **argv, nm_cli_opts *co, batch *b, batch_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int c = nm_cli_common_option(co, argc, argv, &i);
        if (c < 0)
            return nm_cli_usage_error("batch", "bad or missing value for", s);
        if (c)
            continue;
        bool val = i + 1 < argc;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage_batch, stdout);
            return -1;
        } else if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && val) {
            a->outdir = argv[++i];
        } else if (((strcmp(s, "-j") == 0 || strcmp(s, "--jobs") == 0) && val) ||
                   (strncmp(s, "-j", 2) == 0 && s[2])) {
            if (parse_jobs(s[2] && s[1] == 'j' ? s + 2 : argv[++i], &a->jobs) != 0)
                return NM_EXIT_USAGE;
        } else if ((strcmp(s, "-f") == 0 || strcmp(s, "--format") == 0) && val) {
            if (!nm_cli_parse_formats(argv[++i], &a->formats))
                return nm_cli_usage_error("batch", "--format takes xml, tsv or xml,tsv, not", argv[i]);
        } else if (strcmp(s, "--dates") == 0 && val) {
            a->dates = argv[++i];
        } else if (strcmp(s, "--fsync") == 0) {
            a->fsync = true;
        } else if (strcmp(s, "--force") == 0) {
            b->force = true;
        } else if (strcmp(s, "--all-warnings") == 0) {
            b->all_warnings = true;
        } else if (strcmp(s, "-q") == 0 || strcmp(s, "--quiet") == 0) {
            b->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return nm_cli_usage_error("batch", "unknown option or missing value", s);
        } else if (!a->indir) {
            a->indir = s;
        } else {
            return nm_cli_usage_error("batch", "more than one INDIR", s);
        }
    }
    if (!a->indir || !a->outdir)
        return nm_cli_usage_error("batch", !a->indir ? "no INDIR given" : "no -o OUTDIR given", NULL);
    return 0;
}

static nm_dates *load_dates(const batch_args *a, bool *bad)
{
    char def[4096];
    const char *p = a->dates;
    *bad = false;
    if (!p) {
        snprintf(def, sizeof def, "%s/documents.tsv", a->indir);
        if (access(def, F_OK) != 0)
            return NULL;
        p = def;
    }
    nm_dates *d = nm_dates_load(p, stderr);
    *bad = d == NULL;
    return d;
}

/* Output folder; temporary files a crash left there removed. */
static int open_outdir(const batch_args *a, bool quiet)
{
    if (nm_cli_mkdir_p(a->outdir) != 0) {
        fprintf(stderr, "newsmine batch: cannot create %s: %s\n", a->outdir, strerror(errno));
        return -1;
    }
    size_t temps = nm_outdir_clean_temps(a->outdir);
    if (temps && !quiet)
        fprintf(stderr, "newsmine batch: removed %zu temporary files left by a crash\n", temps);
    return 0;
}

static void free_jobs(batch *b)
{
    free(b->jobs);
    free(b->pool);
}

static void run_batch(batch *b, const batch_args *a)
{
    char *outreal = realpath(a->outdir, NULL);
    b->indir = a->indir;
    walk(b, a->indir, "", outreal, 0);
    sort_jobs(b);
    free(outreal);
    pthread_mutex_init(&b->lock, NULL);
    nm_cli_catch_stop();
    run_all(b, a->jobs);
    pthread_mutex_destroy(&b->lock);
    free_jobs(b);
}

/* OUTDIR/summary.xml: the corpus's events by type, actor and period. */
static int write_summary(const batch *b)
{
    char path[4200], err[600];
    size_t n;
    char *xml = nm_summary_xml(b->summary, &n);
    const char *parts[] = {xml};
    snprintf(path, sizeof path, "%s/summary.xml", b->out.dir);
    int rc = nm_cli_write_atomic(path, parts, &n, 1, b->out.fsync, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "newsmine batch: %s\n", err);
    free(xml);
    return rc;
}

int nm_cmd_batch(int argc, char **argv)
{
    nm_cli_opts co;
    memset(&co, 0, sizeof co);
    batch b;
    memset(&b, 0, sizeof b);
    batch_args a = {NULL, NULL, NULL, nm_cli_jobs_default(), NM_FMT_XML, false};
    int rc = parse_args(argc, argv, &co, &b, &a);
    if (rc != 0)
        return rc < 0 ? NM_EXIT_OK : rc;
    struct stat st;
    if (stat(a.indir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "newsmine batch: %s: not a folder\n", a.indir);
        return NM_EXIT_USAGE;
    }
    bool bad;
    nm_dates *dates = load_dates(&a, &bad);
    if (bad)
        return NM_EXIT_USAGE;
    co.opt.formats = a.formats;
    xmlInitParser();
    nm_ctx *ctx = nm_cli_make_ctx(&co);
    if (!ctx || open_outdir(&a, b.quiet) != 0) {
        nm_ctx_free(ctx);
        nm_dates_free(dates);
        return NM_EXIT_USAGE;
    }
    b.ctx = ctx;
    b.dates = dates;
    b.out = (nm_outdir){a.outdir, a.formats, a.fsync};
    b.tty = !b.quiet && isatty(2);
    b.max = co.opt.max_bytes ? co.opt.max_bytes : (size_t)256 << 20;
    b.summary = nm_summary_new();
    run_batch(&b, &a);
    rc = b.nfailed || b.ndone < b.njobs ? NM_EXIT_FAILED : NM_EXIT_OK;
    if (b.ndone == b.njobs && write_summary(&b) != 0)
        rc = NM_EXIT_FAILED; /* an interrupted run keeps the old summary */
    nm_summary_free(b.summary);
    nm_dates_free(dates);
    nm_ctx_free(ctx);
    return rc;
}
