/* test_recognizers.c - the English DateExtractor, DateParser and
 * DurationParser cases of Microsoft Recognizers-Text, run through the
 * whole pipeline (tests/fixtures/recognizers/README.md).
 *
 * A case passes when every expected result is found:
 *   - some DATE fact overlaps its span (relaxed match), and
 *   - for the parser files, the fact's value equals the spec's TIMEX value
 *     or one of its past/future resolutions (newsmine resolves against the
 *     reference date where the spec may keep XXXX-10-02);
 * and, when the case expects nothing, no DATE fact is made at all.
 * The reference date of a case is the document date.  The test prints the
 * share passed per file and fails when the total share drops below
 * PASS_THRESHOLD (the share reached when it was set, rounded down).
 */
#include "dates_helpers.h"

#define PASS_THRESHOLD 0.54

#ifndef FIXTURE
#define FIXTURE "tests/fixtures/recognizers/datetime-en.tsv"
#endif

static const char *fixture_path = FIXTURE;

typedef struct tally {
    char file[32];
    unsigned pass, total, ns_pass, ns_total;
} tally;

static bool value_ok(const char *got, const char *want)
{
    /* want: timex[~resolution...] */
    while (*want) {
        const char *end = strchr(want, '~');
        size_t n = end ? (size_t)(end - want) : strlen(want);
        if (strlen(got) == n && strncmp(got, want, n) == 0)
            return true;
        if (!end)
            break;
        want = end + 1;
    }
    return false;
}

/* One expected result "start:end:values" against the document's facts. */
static bool result_ok(const nm_doc *doc, const char *r, bool parser)
{
    char *p;
    unsigned long s = strtoul(r, &p, 10), e = strtoul(p + 1, &p, 10);
    char want[256];
    size_t n = strcspn(p + 1, "|");
    snprintf(want, sizeof want, "%.*s", (int)n, p + 1);
    for (size_t i = 0; i < doc->nfacts; i++) {
        const nm_fact *f = &doc->facts[i];
        if (f->kind != NM_DATE || f->rstart >= e || s >= f->rend)
            continue;
        if (!parser || value_ok(f->value, want))
            return true;
    }
    return false;
}

static bool run_line(const nm_ctx *ctx, char *line, tally *t, bool *ns)
{
    char *col[6];
    for (int i = 0; i < 6; i++) {
        col[i] = line;
        char *tab = strchr(line, '\t');
        if (!tab && i < 5)
            fail_msg("fixture line has %d columns", i + 1);
        if (tab)
            *tab = '\0', line = tab + 1;
    }
    snprintf(t->file, sizeof t->file, "%s", col[0]);
    *ns = col[3][0] == '1';
    char date[11] = "";
    if (strlen(col[2]) == 10)
        memcpy(date, col[2], 11);
    nm_doc *doc = dt_run(ctx, col[4], strlen(col[4]), date[0] ? date : NULL);
    bool parser = strstr(col[0], "Parser") != NULL, ok = true;
    if (!col[5][0]) {
        ok = doc->kind_count[NM_DATE] == 0;
    } else {
        for (const char *r = col[5]; r; r = strchr(r, '|') ? strchr(r, '|') + 1 : NULL)
            ok = ok && result_ok(doc, r, parser);
    }
    if (!ok && getenv("NM_RECOGNIZERS_VERBOSE")) { /* what was found, for debugging */
        print_message("FAIL %s %s [%s] want %s; got", col[0], col[1], col[4], col[5]);
        for (size_t i = 0; i < doc->nfacts; i++)
            if (doc->facts[i].kind == NM_DATE)
                print_message(" '%.*s'=%s", (int)(doc->facts[i].rend - doc->facts[i].rstart),
                              (const char *)doc->raw + doc->facts[i].rstart, doc->facts[i].value);
        print_message("\n");
    }
    nm_doc_free(doc);
    return ok;
}

static void report(const tally *t)
{
    print_message("recognizers %-14s %3u/%3u passed (%.1f%%); NotSupported cases %u/%u\n", t->file,
                  t->pass, t->total, t->total ? 100.0 * t->pass / t->total : 0.0, t->ns_pass,
                  t->ns_total);
}

static void test_recognizers(void **state)
{
    (void)state;
    FILE *f = fopen(fixture_path, "r");
    if (!f)
        fail_msg("cannot open %s", fixture_path);
    nm_ctx *ctx = dt_ctx(0);
    char line[4096];
    tally cur = {"", 0, 0, 0, 0}, all = {"total", 0, 0, 0, 0};
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(line, "\t"), line);
        if (strcmp(cur.file, name) != 0) {
            if (cur.file[0])
                report(&cur);
            memset(&cur, 0, sizeof cur);
        }
        bool ns, ok = run_line(ctx, line, &cur, &ns);
        cur.total++, all.total++;
        cur.pass += ok, all.pass += ok;
        cur.ns_total += ns, all.ns_total += ns;
        cur.ns_pass += ns && ok, all.ns_pass += ns && ok;
    }
    fclose(f);
    nm_ctx_free(ctx);
    report(&cur);
    report(&all);
    assert_true(all.total > 0);
    double share = (double)all.pass / all.total;
    if (share < PASS_THRESHOLD)
        fail_msg("pass share %.3f is below the threshold %.2f", share, PASS_THRESHOLD);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        fixture_path = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_recognizers)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
