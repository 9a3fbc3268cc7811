/* cli_batch.c - newsmine batch: every *.txt under a folder, in parallel,
 * each record written atomically into the output folder. */
#include "cli.h"
#include "emit.h"
#include "extract.h"
#include "summary.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_batch[] =
    "Usage: newsmine batch [OPTIONS] INDIR -o OUTDIR\n"
    "\n"
    "Processes every *.txt file under INDIR (sub-folders too; dot-files skipped)\n"
    "into OUTDIR/<doc>.xml and/or OUTDIR/<doc>.tsv, where <doc> is the file name\n"
    "without .txt (for files in sub-folders: their path with / written as __).\n"
    "Each output is written to a temporary file and renamed, so no reader ever\n"
    "sees half a record; nothing is written outside OUTDIR, whatever the input\n"
    "names hold. A file that fails is reported and the others still run.\n"
    "OUTDIR/summary.xml sums the events of all documents by type, actor and\n"
    "month (schema/summary.rng).\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR      where records go (created if missing; required)\n"
    "  -j, --jobs N             worker threads (default: the number of cores)\n"
    "  -f, --format LIST        xml, tsv or xml,tsv (default xml)\n"
    "      --dates FILE         document dates, in the gold documents.tsv format\n"
    "                           (doc<TAB>YYYY-MM[-DD]<TAB>source, with a header);\n"
    "                           default: INDIR/documents.tsv when it exists\n"
    "  -L, --lexicons DIR       also load the *.lst lists under DIR (repeatable)\n"
    "      --day-first          read 03/04/2024 as 3 April (default: month first)\n"
    "      --max-bytes N        refuse documents over N bytes (default 256 MiB)\n"
    "      --fsync              fsync each record before renaming it into place\n"
    "  -q, --quiet              no progress line and no summary\n"
    "  -h, --help               show this help\n"
    "\n"
    "Progress (documents, MB/s) is shown on a terminal; a summary ends the run.\n"
    "Diagnostics go to standard error as FILE:LINE:COL: [NM-CODE] severity: message.\n"
    "Exit status: 0 all documents done, 1 some failed, 2 usage or set-up error.\n";

typedef struct job {
    char *path;  /* input */
    char *name;  /* record name (safe) */
    bool failed, done;
    size_t facts[NM_KIND_COUNT];
} job;

typedef struct batch {
    const nm_ctx *ctx;
    const nm_dates *dates;
    const char *outdir;
    unsigned formats;
    bool fsync, quiet;
    size_t max;
    job *jobs;
    size_t njobs, cap, next, ndone, nfailed;
    unsigned long long bytes;
    nm_summary *summary; /* events of every document, for OUTDIR/summary.xml */
    pthread_mutex_t lock;
} batch;

/* ------------------------------------------------------------ inputs */

static bool has_txt(const char *n)
{
    size_t l = strlen(n);
    return l > 4 && strcmp(n + l - 4, ".txt") == 0;
}

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
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            char *real = skip ? realpath(full, NULL) : NULL;
            bool is_out = real && strcmp(real, skip) == 0; /* OUTDIR inside INDIR */
            free(real);
            if (depth < 32 && !is_out)
                walk(b, full, sub, skip, depth + 1);
        } else if (has_txt(de->d_name)) {
            job j;
            memset(&j, 0, sizeof j);
            j.path = nm_xstrdup(full);
            j.name = nm_xstrdup(sub);
            NM_VEC_PUSH(b->jobs, b->njobs, b->cap, j);
        }
    }
    closedir(d);
}

static int job_cmp(const void *a, const void *b)
{
    return strcmp(((const job *)a)->name, ((const job *)b)->name);
}

/* Record names: sub/x.txt -> sub__x, made safe for file names. */
static void name_jobs(batch *b)
{
    qsort(b->jobs, b->njobs, sizeof *b->jobs, job_cmp);
    for (size_t i = 0; i < b->njobs; i++) {
        char raw[4096], safe[4096];
        size_t o = 0;
        const char *s = b->jobs[i].name;
        size_t n = strlen(s) - 4;
        for (size_t k = 0; k < n && o + 3 < sizeof raw; k++) {
            if (s[k] == '/') {
                raw[o++] = '_';
                raw[o++] = '_';
            } else {
                raw[o++] = s[k];
            }
        }
        raw[o] = '\0';
        nm_cli_safe_name(raw, safe, sizeof safe);
        free(b->jobs[i].name);
        b->jobs[i].name = nm_xstrdup(safe);
    }
}

/* ------------------------------------------------------------ work */

static void print_block(batch *b, nm_doc *doc, const char *path, const char *extra)
{
    pthread_mutex_lock(&b->lock);
    if (!b->quiet && isatty(2))
        fputs("\r\033[K", stderr);
    if (extra)
        fprintf(stderr, "%s", extra);
    if (doc)
        nm_cli_print_diags(stderr, doc, path);
    pthread_mutex_unlock(&b->lock);
}

static bool write_outputs(batch *b, nm_doc *doc, const job *j, char *err, size_t errlen)
{
    char path[8192];
    size_t n;
    if (b->formats & NM_FMT_XML) {
        const char *body = nm_doc_xml(doc, &n);
        const char *parts[] = {nm_xml_head(), body, nm_xml_tail()};
        size_t lens[] = {strlen(parts[0]), n, strlen(parts[2])};
        snprintf(path, sizeof path, "%s/%s.xml", b->outdir, j->name);
        if (nm_cli_write_atomic(path, parts, lens, 3, b->fsync, err, errlen) != 0)
            return false;
    }
    if (b->formats & NM_FMT_TSV) {
        const char *body = nm_doc_tsv(doc, &n);
        snprintf(path, sizeof path, "%s/%s.tsv", b->outdir, j->name);
        if (nm_cli_write_atomic(path, &body, &n, 1, b->fsync, err, errlen) != 0)
            return false;
    }
    return true;
}

static void run_job(batch *b, job *j)
{
    char err[600], msg[5000];
    size_t len = 0;
    nm_status st;
    char *data = nm_cli_read(j->path, b->max, &len, err, sizeof err, &st);
    if (!data) {
        snprintf(msg, sizeof msg, "%s: [NM-%d] error: %s\n", j->path, (int)st, err);
        print_block(b, NULL, j->path, msg);
        j->failed = true;
        return;
    }
    nm_doc *doc = nm_doc_new(j->name, j->path);
    nm_doc_set_raw(doc, data, len);
    free(data);
    const char *date = nm_dates_get(b->dates, j->name);
    if (date)
        nm_doc_set_date(doc, date, "dates-file");
    st = nm_run(doc, b->ctx);
    bool ok = st == NM_OK && write_outputs(b, doc, j, err, sizeof err);
    if (st == NM_OK && !ok)
        snprintf(msg, sizeof msg, "%s: [NM-%d] error: %s\n", j->path, (int)NM_E_IO, err);
    print_block(b, nm_doc_diag_count(doc) ? doc : NULL, j->path, st == NM_OK && !ok ? msg : NULL);
    for (int k = 0; k < NM_KIND_COUNT; k++)
        j->facts[k] = nm_doc_fact_count(doc, k);
    j->failed = !ok;
    pthread_mutex_lock(&b->lock);
    b->bytes += len;
    if (st == NM_OK)
        nm_summary_add(b->summary, doc);
    pthread_mutex_unlock(&b->lock);
    nm_doc_free(doc);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next < b->njobs ? b->next++ : SIZE_MAX;
        pthread_mutex_unlock(&b->lock);
        if (i == SIZE_MAX)
            return NULL;
        run_job(b, &b->jobs[i]);
        pthread_mutex_lock(&b->lock);
        b->jobs[i].done = true;
        b->ndone++;
        b->nfailed += b->jobs[i].failed;
        pthread_mutex_unlock(&b->lock);
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(batch *b, double t0)
{
    pthread_mutex_lock(&b->lock);
    double el = now() - t0, mb = (double)b->bytes / 1e6;
    double rate = el > 0 ? mb / el : 0;
    double eta = b->ndone ? el * (double)(b->njobs - b->ndone) / (double)b->ndone : 0;
    fprintf(stderr, "\r\033[K[%zu/%zu] %zu failed, %.1f MB, %.1f MB/s, ETA %.0f s", b->ndone,
            b->njobs, b->nfailed, mb, rate, eta);
    pthread_mutex_unlock(&b->lock);
}

static void run_all(batch *b, int jobs)
{
    if (jobs > (int)b->njobs)
        jobs = b->njobs ? (int)b->njobs : 1;
    pthread_t *th = nm_xcalloc((size_t)jobs, sizeof *th);
    double t0 = now();
    bool tty = !b->quiet && isatty(2);
    int started = 0;
    for (int i = 0; i < jobs; i++)
        started += pthread_create(&th[i], NULL, worker, b) == 0;
    if (started == 0) /* no threads: do it here */
        worker(b);
    while (tty) {
        pthread_mutex_lock(&b->lock);
        bool done = b->ndone == b->njobs;
        pthread_mutex_unlock(&b->lock);
        progress(b, t0);
        if (done)
            break;
        nanosleep(&(struct timespec){0, 200000000}, NULL);
    }
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (tty)
        fputs("\r\033[K", stderr);
    if (!b->quiet) {
        double el = now() - t0;
        size_t f[NM_KIND_COUNT] = {0};
        for (size_t i = 0; i < b->njobs; i++)
            for (int k = 0; k < NM_KIND_COUNT; k++)
                f[k] += b->jobs[i].facts[k];
        fprintf(stderr,
                "newsmine batch: %zu documents, %zu failed, %.1f MB in %.2f s (%.1f MB/s); "
                "facts: %zu figures, %zu dates, %zu entities, %zu events\n",
                b->njobs, b->nfailed, (double)b->bytes / 1e6, el,
                el > 0 ? (double)b->bytes / 1e6 / el : 0.0, f[0], f[1], f[2], f[3]);
        for (size_t i = 0; i < b->njobs; i++)
            if (b->jobs[i].failed)
                fprintf(stderr, "  failed: %s\n", b->jobs[i].path);
    }
}

/* ------------------------------------------------------------ command */

static int mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

typedef struct batch_args {
    const char *indir, *outdir, *dates;
    int jobs;
} batch_args;

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
            const char *v = s[2] && s[1] == 'j' ? s + 2 : argv[++i];
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 256)
                return nm_cli_usage_error("batch", "-j takes a number from 1 to 256, not", v);
            a->jobs = (int)n;
        } else if ((strcmp(s, "-f") == 0 || strcmp(s, "--format") == 0) && val) {
            if (!nm_cli_parse_formats(argv[++i], &b->formats))
                return nm_cli_usage_error("batch", "--format takes xml, tsv or xml,tsv, not", argv[i]);
        } else if (strcmp(s, "--dates") == 0 && val) {
            a->dates = argv[++i];
        } else if (strcmp(s, "--fsync") == 0) {
            b->fsync = true;
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

/* OUTDIR/summary.xml: the corpus's events by type, actor and period. */
static int write_summary(const batch *b)
{
    char path[4200], err[600];
    size_t n;
    char *xml = nm_summary_xml(b->summary, &n);
    const char *parts[] = {xml};
    snprintf(path, sizeof path, "%s/summary.xml", b->outdir);
    int rc = nm_cli_write_atomic(path, parts, &n, 1, b->fsync, err, sizeof err);
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
    b.formats = NM_FMT_XML;
    batch_args a = {NULL, NULL, NULL, nm_cli_jobs_default()};
    int rc = parse_args(argc, argv, &co, &b, &a);
    if (rc != 0)
        return rc < 0 ? NM_EXIT_OK : rc;
    struct stat st;
    if (stat(a.indir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "newsmine batch: %s: not a folder\n", a.indir);
        return NM_EXIT_USAGE;
    }
    if (mkdir_p(a.outdir) != 0) {
        fprintf(stderr, "newsmine batch: cannot create %s: %s\n", a.outdir, strerror(errno));
        return NM_EXIT_USAGE;
    }
    bool bad;
    nm_dates *dates = load_dates(&a, &bad);
    if (bad)
        return NM_EXIT_USAGE;
    co.opt.formats = b.formats;
    nm_ctx *ctx = nm_cli_make_ctx(&co);
    if (!ctx) {
        nm_dates_free(dates);
        return NM_EXIT_USAGE;
    }
    char *outreal = realpath(a.outdir, NULL);
    walk(&b, a.indir, "", outreal, 0);
    name_jobs(&b);
    b.ctx = ctx;
    b.dates = dates;
    b.outdir = a.outdir;
    b.max = co.opt.max_bytes ? co.opt.max_bytes : (size_t)256 << 20;
    pthread_mutex_init(&b.lock, NULL);
    b.summary = nm_summary_new();
    run_all(&b, a.jobs);
    pthread_mutex_destroy(&b.lock);
    rc = b.nfailed ? NM_EXIT_FAILED : NM_EXIT_OK;
    if (write_summary(&b) != 0)
        rc = NM_EXIT_FAILED;
    nm_summary_free(b.summary);
    for (size_t i = 0; i < b.njobs; i++) {
        free(b.jobs[i].path);
        free(b.jobs[i].name);
    }
    free(b.jobs);
    free(outreal);
    nm_dates_free(dates);
    nm_ctx_free(ctx);
    return rc;
}
