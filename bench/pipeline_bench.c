/* pipeline_bench.c - the whole pipeline, XML output, in one process.
 *
 * Usage: pipeline_bench [--stages | --doc-min] CORPUS_DIR [REPEAT]
 *
 * Reads every *.txt of CORPUS_DIR into memory first, then runs each stage
 * of the stage table on every document (one thread), REPEAT times, and
 * prints the best wall time per stage and in total, as MB/s of input.  The
 * per-stage times come from passes that read the clock around each stage
 * and extractor (about 18 reads a document); the total comes from as many
 * passes without them, as a batch run does the work.  --stages runs only
 * the first kind (bench/instr.sh: each stage's instructions once).  File
 * system costs (opening 20,000 files, writing 20,000 records) are left out
 * here; bench/run.sh measures the end-to-end `newsmine batch` run.
 *
 * --doc-min: for comparing two versions on a busy machine.  Each stage and
 * extractor is timed on every document in each of REPEAT passes; the sum
 * over the documents of each one's fastest time is printed (no total: the
 * sum of minima leaves out most cache and predictor misses between
 * documents, so it is no throughput figure).  Run it alternately with the
 * other version's binary; it moves by about 1-2% where best-of-REPEAT
 * totals move by 10-20%.
 */
#include "stages.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct text {
    char *data;
    size_t len;
} text;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static text *load(const char *dir, size_t *n, size_t *bytes)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        exit(2);
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0)
            NM_VEC_PUSH(names, nn, cap, nm_xstrdup(de->d_name));
    }
    closedir(d);
    qsort(names, nn, sizeof *names, name_cmp);
    text *t = nm_xcalloc(nn + 1, sizeof *t);
    *bytes = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long l = ftell(f);
        fseek(f, 0, SEEK_SET);
        t[i].data = nm_xmalloc((size_t)l + 1);
        t[i].len = fread(t[i].data, 1, (size_t)l, f);
        fclose(f);
        *bytes += t[i].len;
        free(names[i]);
    }
    free(names);
    *n = nn;
    return t;
}

/* The sum over the n documents of column c of mn (n rows of w). */
static double min_sum(const double *mn, size_t n, size_t w, size_t c)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += mn[i * w + c] < 1e30 ? mn[i * w + c] : 0;
    return sum;
}

/* --doc-min: per stage (then per extractor), the sum over the documents
 * of each one's fastest time in REPEAT passes. */
static void doc_min(const text *t, size_t n, size_t bytes, int repeat, const nm_ctx *ctx)
{
    size_t ns = nm_stage_count, nx = nm_extractor_count, w = ns + nx;
    double *mn = nm_xmalloc(n * w * sizeof *mn);
    for (size_t i = 0; i < n * w; i++)
        mn[i] = 1e30;
    for (int r = 0; r < repeat; r++) {
        for (size_t i = 0; i < n; i++) {
            nm_doc *doc = nm_doc_new("b", "b");
            nm_doc_set_raw(doc, t[i].data, t[i].len);
            double *m = mn + i * w;
            for (size_t s = 0; s < ns; s++) {
                doc->stage = nm_stages[s].name;
                nm_status rc = NM_OK;
                double a = now();
                if (nm_stages[s].fn == nm_stage_extract) {
                    for (size_t x = 0; x < nx && rc == NM_OK; x++) {
                        double b = now();
                        rc = nm_extractors[x].run(doc, ctx);
                        b = now() - b;
                        if (b < m[ns + x])
                            m[ns + x] = b;
                    }
                } else {
                    rc = nm_stages[s].fn(doc, ctx);
                }
                a = now() - a;
                if (a < m[s])
                    m[s] = a;
                if (rc != NM_OK)
                    break;
            }
            nm_doc_free(doc);
        }
    }
    printf("pipeline_bench --doc-min: %zu documents, %.1f MB; sum of each document's "
           "fastest time in %d passes\n", n, (double)bytes / 1e6, repeat);
    for (size_t s = 0; s < ns; s++) {
        printf("  %-10s %8.4f s\n", nm_stages[s].name, min_sum(mn, n, w, s));
        if (nm_stages[s].fn == nm_stage_extract)
            for (size_t x = 0; x < nx; x++)
                printf("    %-8s %8.4f s\n", nm_extractors[x].name, min_sum(mn, n, w, ns + x));
    }
    free(mn);
}

int main(int argc, char **argv)
{
    bool stages_only = argc > 1 && strcmp(argv[1], "--stages") == 0;
    bool min_per_doc = argc > 1 && strcmp(argv[1], "--doc-min") == 0;
    if (stages_only || min_per_doc) {
        argv++;
        argc--;
    }
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: pipeline_bench [--stages | --doc-min] CORPUS_DIR [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 3;
    size_t n, bytes;
    text *t = load(argv[1], &n, &bytes);
    nm_options opt;
    memset(&opt, 0, sizeof opt);
    opt.formats = NM_FMT_XML;
    nm_ctx *ctx = NULL;
    if (nm_ctx_new(&opt, &ctx) != NM_OK) {
        fprintf(stderr, "pipeline_bench: cannot load lexicons\n");
        return 2;
    }
    if (min_per_doc) {
        doc_min(t, n, bytes, repeat > 0 ? repeat : 1, ctx);
        for (size_t i = 0; i < n; i++)
            free(t[i].data);
        free(t);
        nm_ctx_free(ctx);
        return 0;
    }
    double best[16], xbest[16], best_total = 1e30;
    for (size_t x = 0; x < 16; x++)
        xbest[x] = 1e30;
    for (size_t s = 0; s < nm_stage_count; s++)
        best[s] = 1e30;
    size_t facts = 0;
    for (int r = 0; r < repeat; r++) {
        double st[16] = {0}, xt[16] = {0}, t0 = now();
        facts = 0;
        for (size_t i = 0; i < n; i++) {
            nm_doc *doc = nm_doc_new("b", "b");
            nm_doc_set_raw(doc, t[i].data, t[i].len); /* includes the SHA-256 */
            for (size_t s = 0; s < nm_stage_count; s++) {
                double a = now();
                doc->stage = nm_stages[s].name;
                nm_status rc = NM_OK;
                if (nm_stages[s].fn == nm_stage_extract) { /* each extractor timed apart */
                    for (size_t x = 0; x < nm_extractor_count && rc == NM_OK; x++) {
                        double b = now();
                        rc = nm_extractors[x].run(doc, ctx);
                        xt[x] += now() - b;
                    }
                } else {
                    rc = nm_stages[s].fn(doc, ctx);
                }
                st[s] += now() - a;
                if (rc != NM_OK)
                    break;
            }
            facts += doc->nfacts;
            nm_doc_free(doc);
        }
        double total = now() - t0;
        if (stages_only && total < best_total)
            best_total = total; /* (with the clock reads) */
        if (!stages_only) { /* the same work without them */
            t0 = now();
            for (size_t i = 0; i < n; i++) {
                nm_doc *doc = nm_doc_new("b", "b");
                nm_doc_set_raw(doc, t[i].data, t[i].len);
                for (size_t s = 0; s < nm_stage_count; s++) {
                    doc->stage = nm_stages[s].name;
                    if (nm_stages[s].fn(doc, ctx) != NM_OK)
                        break;
                }
                nm_doc_free(doc);
            }
            total = now() - t0;
            if (total < best_total)
                best_total = total;
        }
        for (size_t s = 0; s < nm_stage_count; s++)
            if (st[s] < best[s])
                best[s] = st[s];
        for (size_t x = 0; x < nm_extractor_count; x++)
            if (xt[x] < xbest[x])
                xbest[x] = xt[x];
    }
    double mb = (double)bytes / 1e6;
    printf("pipeline_bench: %zu documents, %.1f MB, %zu facts; best of %d\n", n, mb, facts, repeat);
    for (size_t s = 0; s < nm_stage_count; s++)
    {
        printf("  %-10s %7.3f s  %8.1f MB/s\n", nm_stages[s].name, best[s], mb / best[s]);
        if (nm_stages[s].fn == nm_stage_extract)
            for (size_t x = 0; x < nm_extractor_count; x++)
                printf("    %-8s %7.3f s  %8.1f MB/s\n", nm_extractors[x].name, xbest[x],
                       mb / xbest[x]);
    }
    printf("  %-10s %7.3f s  %8.1f MB/s  (whole pipeline with XML output, one core)\n", "total",
           best_total, mb / best_total);
    for (size_t i = 0; i < n; i++)
        free(t[i].data);
    free(t);
    nm_ctx_free(ctx);
    return 0;
}
