/* test_journal.c - unit tests for pipeline/journal (append, lookup,
 * torn-line repair, damaged lines, compaction, locking, line codec). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define RULES "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/nm-test-journal.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/journal", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static nm_journal_entry entry(const char *sha, const char *status)
{
    nm_journal_entry e;
    snprintf(e.sha256, sizeof e.sha256, "%s", sha);
    snprintf(e.rules, sizeof e.rules, "%s", RULES);
    snprintf(e.status, sizeof e.status, "%s", status);
    return e;
}

static nm_journal *open_ok(const char *path, nm_journal_info *info)
{
    char err[600];
    nm_journal *j = NULL;
    nm_status st = nm_journal_open(path, true, &j, info, err, sizeof err);
    if (st != NM_OK)
        fail_msg("open: %s", err);
    return j;
}

static void append_ok(nm_journal *j, const char *name, const char *sha, const char *status)
{
    char err[600];
    nm_journal_entry e = entry(sha, status);
    assert_int_equal(nm_journal_append(j, name, &e, err, sizeof err), NM_OK);
}

static void write_raw(const char *path, const char *data, size_t n, int flags)
{
    int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
}

static off_t file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

static void test_append_lookup_reopen(void **state)
{
    fixture *f = *state;
    nm_journal_info info;
    nm_journal *j = open_ok(f->path, &info);
    assert_int_equal(info.lines, 0);
    nm_journal_entry e;
    assert_false(nm_journal_lookup(j, "a", &e));
    append_ok(j, "a", SHA_A, "ok");
    append_ok(j, "b", SHA_B, "failed");
    append_ok(j, "a", SHA_B, "ok"); /* the latest line wins */
    assert_true(nm_journal_lookup(j, "a", &e));
    assert_string_equal(e.sha256, SHA_B);
    assert_int_equal(nm_journal_count(j), 2);
    nm_journal_close(j);

    j = open_ok(f->path, &info);
    assert_int_equal(info.lines, 3);
    assert_int_equal(info.torn_bytes, 0);
    assert_true(nm_journal_lookup(j, "a", &e));
    assert_string_equal(e.sha256, SHA_B);
    assert_string_equal(e.rules, RULES);
    assert_true(nm_journal_lookup(j, "b", &e));
    assert_string_equal(e.status, "failed");
    assert_false(nm_journal_lookup(j, "c", &e));
    nm_journal_close(j);
}

/* A crash in the middle of a write leaves a last line without newline. */
static void test_torn_line_repaired(void **state)
{
    fixture *f = *state;
    nm_journal *j = open_ok(f->path, NULL);
    append_ok(j, "one", SHA_A, "ok");
    append_ok(j, "two", SHA_B, "ok");
    nm_journal_close(j);
    off_t good = file_size(f->path);
    char line[512];
    nm_journal_entry e = entry(SHA_A, "ok");
    size_t n = nm_journal_format(line, sizeof line, "three", &e);
    write_raw(f->path, line, n / 2, O_APPEND);

    nm_journal_info info;
    j = open_ok(f->path, &info);
    assert_int_equal(info.torn_bytes, n / 2);
    assert_int_equal(info.torn_line, 3);
    assert_int_equal(info.lines, 2);
    assert_int_equal(file_size(f->path), good);
    assert_false(nm_journal_lookup(j, "three", &e));
    append_ok(j, "three", SHA_A, "ok"); /* appends go after the cut */
    nm_journal_close(j);

    j = open_ok(f->path, &info);
    assert_int_equal(info.torn_bytes, 0);
    assert_int_equal(info.lines, 3);
    assert_true(nm_journal_lookup(j, "three", &e));
    nm_journal_close(j);
}

/* A complete last line whose check fails (garbled by a crash) is cut too;
 * a damaged line followed by good ones is skipped and counted. */
static void test_garbled_lines(void **state)
{
    fixture *f = *state;
    nm_journal *j = open_ok(f->path, NULL);
    append_ok(j, "one", SHA_A, "ok");
    nm_journal_close(j);
    write_raw(f->path, "garbage line\n", 13, O_APPEND);
    j = open_ok(f->path, NULL);
    append_ok(j, "two", SHA_B, "ok");
    nm_journal_close(j);
    /* the garbage was cut at the second open: nothing damaged is left */
    nm_journal_info info;
    j = open_ok(f->path, &info);
    assert_int_equal(info.bad_lines, 0);
    assert_int_equal(info.lines, 2);
    nm_journal_close(j);

    char line[512];
    nm_journal_entry e = entry(SHA_A, "ok");
    size_t n = nm_journal_format(line, sizeof line, "three", &e);
    line[5] = line[5] == 'a' ? 'b' : 'a'; /* flip a byte: the check fails */
    write_raw(f->path, line, n, O_APPEND);
    n = nm_journal_format(line, sizeof line, "four", &e);
    write_raw(f->path, line, n, O_APPEND);
    j = open_ok(f->path, &info);
    assert_int_equal(info.bad_lines, 1);
    assert_int_equal(info.torn_bytes, 0);
    assert_false(nm_journal_lookup(j, "three", &e));
    assert_true(nm_journal_lookup(j, "four", &e));
    nm_journal_close(j);
}

static void test_codec(void **state)
{
    (void)state;
    char line[512], name[256];
    nm_journal_entry e = entry(SHA_A, "ok"), back;
    const char *odd = "tab\there\nnew%line \xc3\xa9";
    size_t n = nm_journal_format(line, sizeof line, odd, &e);
    assert_true(n > 0);
    assert_int_equal(line[n - 1], '\n');
    assert_null(memchr(line, '\n', n - 1)); /* escaped: one line */
    assert_true(nm_journal_parse(line, n - 1, name, sizeof name, &back));
    assert_string_equal(name, odd);
    assert_string_equal(back.sha256, SHA_A);
    assert_string_equal(back.status, "ok");
    assert_false(nm_journal_parse(line, n - 2, name, sizeof name, &back));
    assert_false(nm_journal_parse("", 0, name, sizeof name, &back));
    assert_int_equal(nm_journal_format(line, 40, "x", &e), 0); /* too small */
}

static void test_locked(void **state)
{
    fixture *f = *state;
    nm_journal *j = open_ok(f->path, NULL);
    nm_journal *k = NULL;
    char err[600];
    assert_int_equal(nm_journal_open(f->path, false, &k, NULL, err, sizeof err), NM_E_IO);
    assert_null(k);
    assert_non_null(strstr(err, "in use"));
    nm_journal_close(j);
}

static void test_compaction(void **state)
{
    fixture *f = *state;
    char err[600];
    nm_journal *j = NULL;
    assert_int_equal(nm_journal_open(f->path, false, &j, NULL, err, sizeof err), NM_OK);
    for (int i = 0; i < 1200; i++)
        append_ok(j, i % 2 ? "odd" : "even", SHA_A, "ok");
    append_ok(j, "odd", SHA_B, "ok");
    nm_journal_close(j);
    nm_journal_info info;
    j = open_ok(f->path, &info);
    assert_true(info.compacted);
    nm_journal_entry e;
    assert_true(nm_journal_lookup(j, "odd", &e));
    assert_string_equal(e.sha256, SHA_B); /* the latest line survived */
    assert_true(nm_journal_lookup(j, "even", &e));
    nm_journal_close(j);
    j = open_ok(f->path, &info);
    assert_int_equal(info.lines, 2);
    assert_false(info.compacted);
    nm_journal_close(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_lookup_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_line_repaired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbled_lines, setup, teardown),
        cmocka_unit_test(test_codec),
        cmocka_unit_test_setup_teardown(test_locked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
