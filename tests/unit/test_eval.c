/* test_eval.c — `newsmine eval` against the reference scorer's output.
 *
 * Usage: test_eval FIXTURE_DIR (or NM_EVAL_FIXTURE=FIXTURE_DIR test_eval).
 * The fixture is tests/fixtures/eval: expected*.txt/.err there are what
 * tools/score.py printed (see regen.sh) when run from that directory with
 * `gold sys`, so the test chdir()s there and passes the same paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eval.h"

typedef struct {
    int rc;
    char *out, *err;
    size_t out_n, err_n;
} result;

static result run_eval(int argc, char **argv)
{
    result r = {0, NULL, NULL, 0, 0};
    FILE *out = open_memstream(&r.out, &r.out_n);
    FILE *err = open_memstream(&r.err, &r.err_n);
    assert_non_null(out);
    assert_non_null(err);
    r.rc = nm_eval_main(argc, argv, out, err);
    fclose(out);
    fclose(err);
    return r;
}

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, len = 0, got;
    char chunk[4096];
    assert_non_null(f);
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf = realloc(buf, cap = len + got + 1);
        assert_non_null(buf);
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf)
        buf = calloc(1, 1);
    buf[len] = 0;
    *n = len;
    (void)cap;
    return buf;
}

/* expected*.err hold @FIXTURE@ for the fixture's absolute path. */
static char *expand_fixture(const char *text)
{
    char cwd[4096];
    const char *mark = "@FIXTURE@", *p;
    size_t cap = strlen(text) + 1, len = 0;
    char *out;
    assert_non_null(getcwd(cwd, sizeof cwd));
    for (p = text; (p = strstr(p, mark)) != NULL; p += strlen(mark))
        cap += strlen(cwd);
    out = malloc(cap);
    assert_non_null(out);
    for (p = text; *p;) {
        if (!strncmp(p, mark, strlen(mark))) {
            memcpy(out + len, cwd, strlen(cwd));
            len += strlen(cwd);
            p += strlen(mark);
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = 0;
    return out;
}

static void check_against(int argc, char **argv, const char *base)
{
    char path[256];
    size_t n;
    result r = run_eval(argc, argv);
    assert_int_equal(r.rc, 0);

    snprintf(path, sizeof path, "%s.txt", base);
    char *want = slurp(path, &n);
    assert_int_equal(r.out_n, n);
    assert_memory_equal(r.out, want, n);
    free(want);

    snprintf(path, sizeof path, "%s.err", base);
    char *raw = slurp(path, &n);
    char *want_err = expand_fixture(raw);
    assert_string_equal(r.err, want_err);
    free(raw);
    free(want_err);
    result_free(&r);
}

static void test_report(void **state)
{
    char *argv[] = {"eval", "gold", "sys"};
    (void)state;
    check_against(3, argv, "expected");
}

static void test_report_map(void **state)
{
    char *argv[] = {"eval", "gold", "sys", "--map", "ENTITY:GPE=LOC,FACILITY=LOC",
                    "--kinds", "ENTITY,EVENT"};
    (void)state;
    check_against(7, argv, "expected-map");
}

static void test_json(void **state)
{
    char *argv[] = {"eval", "--json", "gold", "sys"};
    (void)state;
    result r = run_eval(4, argv);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "\n \"sys_missing\": [\n  \"c\"\n ],\n"));
    assert_non_null(strstr(r.out, "\n \"sys_text_mismatches\": 4,\n"));
    assert_non_null(strstr(r.out, "\"type\": \"PERSONNE_\\u00c9TRANG\\u00c8RE_LONGUE_XY\""));
    assert_non_null(strstr(r.out, "\"acc\": 0.8333333333333334"));
    result_free(&r);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define HEADER "id\tkind\tstart\tend\ttext\ttype\tvalue\tattrs\n"

/* A malformed line is exit 2, reported as file:line: reason. */
static void test_malformed(void **state)
{
    char tmpl[] = "/tmp/nm-eval-test-XXXXXX", gold[128], sys[128], g[160], s[160], want[512];
    (void)state;
    assert_non_null(mkdtemp(tmpl));
    snprintf(gold, sizeof gold, "%s/gold", tmpl);
    snprintf(sys, sizeof sys, "%s/sys", tmpl);
    assert_int_equal(mkdir(gold, 0700), 0);
    assert_int_equal(mkdir(sys, 0700), 0);
    snprintf(g, sizeof g, "%s/x.tsv", gold);
    snprintf(s, sizeof s, "%s/x.tsv", sys);
    write_file(g, HEADER "T1\tDATE\t0\t4\t2024\tDATE\t2024\t\n");
    write_file(s, "# comment\n" HEADER "\nX9\tDATE\tten\t12\t?\tDATE\t\t\n");

    char *argv[] = {"eval", gold, sys};
    result r = run_eval(3, argv);
    assert_int_equal(r.rc, 2);
    assert_int_equal(r.out_n, 0);
    snprintf(want, sizeof want, "newsmine eval: error: %s:4: %s\n", s,
             "start/end must be non-negative integers, got 'ten' '12'");
    assert_string_equal(r.err, want);
    result_free(&r);

    write_file(s, HEADER "T1\tDATE\t0\t4\t2024\tDATE\t2024\t\n");
    write_file(g, HEADER "T1\tDATE\t0\t4\t2024\tDATE\t2024\t\n"
                         "T1\tDATE\t5\t9\t2025\tDATE\t2025\t\n");
    r = run_eval(3, argv);
    assert_int_equal(r.rc, 2);
    snprintf(want, sizeof want, "newsmine eval: error: %s:3: duplicate id 'T1'\n", g);
    assert_string_equal(r.err, want);
    result_free(&r);

    unlink(g);
    unlink(s);
    rmdir(gold);
    rmdir(sys);
    rmdir(tmpl);
}

static void expect_bad_args(int argc, char **argv, const char *msg)
{
    result r = run_eval(argc, argv);
    assert_int_equal(r.rc, 2);
    assert_int_equal(r.out_n, 0);
    assert_non_null(strstr(r.err, msg));
    result_free(&r);
}

static void test_bad_args(void **state)
{
    char *none[] = {"eval"};
    char *one[] = {"eval", "gold"};
    char *three[] = {"eval", "gold", "sys", "more"};
    char *unknown[] = {"eval", "gold", "sys", "--bogus"};
    char *novalue[] = {"eval", "gold", "sys", "--kinds"};
    char *kinds[] = {"eval", "gold", "sys", "--kinds", "date,nope"};
    char *map[] = {"eval", "gold", "sys", "--map", "PLACE:GPE=LOC"};
    char *map2[] = {"eval", "gold", "sys", "--map", "GPE=LOC"};
    char *nodir[] = {"eval", "no-such-dir", "sys"};
    (void)state;
    expect_bad_args(1, none, "newsmine eval: error: GOLD_DIR and SYS_DIR are required\n");
    expect_bad_args(2, one, "error: GOLD_DIR and SYS_DIR are required\n");
    expect_bad_args(4, three, "error: unrecognized arguments: more\n");
    expect_bad_args(4, unknown, "error: unrecognized arguments: --bogus\n");
    expect_bad_args(4, novalue, "error: argument --kinds: expected one argument\n");
    expect_bad_args(5, kinds, "error: --kinds: unknown kind(s) NOPE\n");
    expect_bad_args(5, map, "error: --map: unknown kind 'PLACE'\n");
    expect_bad_args(5, map2, "error: --map: expected KIND:SRC=DST[,SRC=DST], got 'GPE=LOC'\n");
    expect_bad_args(3, nodir, "error: no-such-dir: gold directory not found\n");
}

static void test_help(void **state)
{
    char *argv[] = {"eval", "--help"};
    (void)state;
    result r = run_eval(2, argv);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "usage: newsmine eval"));
    assert_non_null(strstr(r.out, "--no-text-check"));
    assert_int_equal(r.err_n, 0);
    result_free(&r);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : getenv("NM_EVAL_FIXTURE");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report),    cmocka_unit_test(test_report_map),
        cmocka_unit_test(test_json),      cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_bad_args),  cmocka_unit_test(test_help),
    };
    if (!dir || chdir(dir) != 0) {
        fprintf(stderr, "test_eval: give the fixture directory (tests/fixtures/eval) as "
                        "argument or in NM_EVAL_FIXTURE\n");
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
