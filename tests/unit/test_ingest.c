/* test_ingest.c - unit tests for pipeline/ingest: which names are
 * articles, record names, safe names, reading text and HTML inputs,
 * stale temporary files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ingest.h"
#include "nm_core.h"

static void test_input_kind(void **state)
{
    (void)state;
    assert_int_equal(nm_input_kind_of("a.txt"), NM_INPUT_TEXT);
    assert_int_equal(nm_input_kind_of("dir/a b.txt"), NM_INPUT_TEXT);
    assert_int_equal(nm_input_kind_of("page.html"), NM_INPUT_HTML);
    assert_int_equal(nm_input_kind_of("PAGE.HTM"), NM_INPUT_HTML);
    assert_int_equal(nm_input_kind_of("a.TXT"), NM_INPUT_NONE); /* as batch always did */
    const char *ignored[] = {".txt", ".hidden.txt", "a.txt~", "#a.txt#", ".a.txt.swp",
                             "a.txt.swp", "a.txt.tmp", "a.txt.part", "a.html.crdownload",
                             "4913", "~$doc.txt", "a.pdf", "a", "", "dir/.x.txt",
                             ".a.txt.tmp1234", "a.txt.kate-swp"};
    for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++)
        if (nm_input_kind_of(ignored[i]) != NM_INPUT_NONE)
            fail_msg("'%s' should be ignored", ignored[i]);
}

static void check_name(const char *rel, const char *want)
{
    char out[256];
    nm_record_name(rel, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_record_name(void **state)
{
    (void)state;
    check_name("a.txt", "a");
    check_name("sub/x.txt", "sub%2Fx");
    check_name("page.html", "page.html"); /* a.txt and a.html do not collide */
    check_name("a b/c:d.txt", "a%20b%2Fc%3Ad");
    check_name("../../etc/passwd.txt", "%2E.%2F..%2Fetc%2Fpasswd"); /* never leaves OUTDIR */
    /* distinct inputs, distinct records */
    check_name("a b.txt", "a%20b");
    check_name("a_b.txt", "a_b");
    check_name("a%20b.txt", "a%2520b");
    check_name("x.html.txt", "x%2Ehtml");
    check_name("x.html", "x.html");
    check_name("-opt.txt", "%2Dopt");
    check_name("T\xC3\xBCrkiye.txt", "T\xC3\xBCrkiye");
    check_name("bad\xFF.txt", "bad%FF");
    check_name(".txt", "%2Etxt");
    check_name("\xc3\xa9t\xc3\xa9.txt", "\xc3\xa9t\xc3\xa9");
    char small[4];
    nm_record_name("abcdef.txt", small, sizeof small);
    assert_string_equal(small, "abc");
}

static void test_safe_name(void **state)
{
    (void)state;
    char out[64];
    nm_cli_safe_name("..", out, sizeof out);
    assert_string_equal(out, "%2E.");
    nm_cli_safe_name("a/b\nc\td%", out, sizeof out);
    assert_string_equal(out, "a%2Fb%0Ac%09d%25");
    nm_cli_safe_name("", out, sizeof out);
    assert_string_equal(out, "_");
}

static char *tmpdir(void)
{
    char *d = strdup("/tmp/nm-test-ingest.XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void rmdir_all(char *d)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
    free(d);
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_input_text_and_html(void **state)
{
    (void)state;
    char *d = tmpdir(), path[512];
    put(d, "a.txt", "Plain text.\n");
    put(d, "p.html", "<html><head><meta property=\"article:published_time\" "
                     "content=\"2024-01-02\"><title>T</title></head><body><p>Body.</p>"
                     "</body></html>");
    nm_input in;
    snprintf(path, sizeof path, "%s/a.txt", d);
    assert_true(nm_input_read(&in, path, 1000));
    assert_int_equal(in.bytes, 12);
    nm_doc *doc = nm_input_doc(&in, "a", path, NM_INPUT_TEXT, NULL, NULL);
    assert_int_equal(doc->raw_len, 12);
    assert_string_equal(nm_doc_hash(doc), in.sha256);
    assert_null(doc->origin_format);
    nm_input_free(&in);

    snprintf(path, sizeof path, "%s/p.html", d);
    assert_true(nm_input_read(&in, path, 1000));
    doc = nm_input_doc(&in, "p.html", path, NM_INPUT_HTML, NULL, NULL);
    assert_string_equal((const char *)doc->raw, "T\n\nBody.\n");
    assert_string_equal(doc->origin_format, "html");
    assert_string_equal(doc->origin_sha256, in.sha256); /* the file's, not the text's */
    assert_string_not_equal(nm_doc_hash(doc), in.sha256);
    assert_string_equal(doc->date, "2024-01-02");
    assert_string_equal(doc->date_source, "html-meta");
    nm_input_free(&in);

    /* an explicit date wins over the page's */
    assert_true(nm_input_read(&in, path, 1000));
    doc = nm_input_doc(&in, "p.html", path, NM_INPUT_HTML, "2020-05-06", "dates-file");
    assert_string_equal(doc->date, "2020-05-06");
    assert_string_equal(doc->date_source, "dates-file");
    nm_input_free(&in);

    /* over the size limit: refused with a clear error */
    assert_false(nm_input_read(&in, path, 10));
    assert_int_equal(in.st, NM_E_TOO_BIG);
    assert_non_null(strstr(in.err, "size limit"));
    snprintf(path, sizeof path, "%s/missing.txt", d);
    assert_false(nm_input_read(&in, path, 10));
    assert_int_equal(in.st, NM_E_IO);
    rmdir_all(d);
}

static void test_clean_temps(void **state)
{
    (void)state;
    char *d = tmpdir(), name[64], path[512];
    put(d, ".a.xml.tmp999999999", "stale");   /* no such process */
    snprintf(name, sizeof name, ".b.xml.tmp%ld", (long)getpid());
    put(d, name, "ours, in progress");        /* a live process: kept */
    put(d, "c.xml", "record");
    put(d, ".tmp5", "not ours");
    assert_int_equal(nm_outdir_clean_temps(d), 1);
    snprintf(path, sizeof path, "%s/%s", d, name);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/c.xml", d);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/.tmp5", d);
    assert_int_equal(access(path, F_OK), 0);
    rmdir_all(d);
}

#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
                c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

static void test_record_current(void **state)
{
    (void)state;
    char *d = tmpdir();
    const char *sha = H64("a"), *rules = H64("r"), *other = H64("b");
    put(d, "t.xml", "<?xml version=\"1.0\"?>\n<newsmine>\n<document id=\"t\" source=\"a &quot; "
                    "sha256=&quot;x\" bytes=\"3\" sha256=\"" H64("a") "\" date-source=\"none\" "
                    "rules=\"" H64("r") "\" sentences=\"1\">\n</document>\n</newsmine>\n");
    put(d, "h.html.xml", "<newsmine><document id=\"h\" sha256=\"" H64("c") "\" source-sha256=\""
                         H64("a") "\" date=\"2020-01-02\" date-source=\"dates-file\" rules=\""
                         H64("r") "\">");
    nm_outdir o = {d, NM_FMT_XML, false};
    assert_true(nm_record_current(&o, "t", sha, rules, NULL));
    assert_false(nm_record_current(&o, "t", other, rules, NULL));  /* other content */
    assert_false(nm_record_current(&o, "t", sha, other, NULL));    /* other rules */
    assert_false(nm_record_current(&o, "t", sha, rules, "2020-01-02")); /* a dates entry now */
    assert_false(nm_record_current(&o, "missing", sha, rules, NULL));
    assert_true(nm_record_current(&o, "h.html", sha, rules, "2020-01-02")); /* the file's hash */
    assert_false(nm_record_current(&o, "h.html", H64("c"), rules, "2020-01-02"));
    assert_false(nm_record_current(&o, "h.html", sha, rules, "2020-01-03"));
    assert_false(nm_record_current(&o, "h.html", sha, rules, NULL));
    o.formats = NM_FMT_TSV; /* no hash in a TSV record: never current */
    assert_false(nm_record_current(&o, "t", sha, rules, NULL));
    o.formats = NM_FMT_XML | NM_FMT_TSV; /* the TSV is missing */
    assert_false(nm_record_current(&o, "t", sha, rules, NULL));
    rmdir_all(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_kind),
        cmocka_unit_test(test_record_name),
        cmocka_unit_test(test_safe_name),
        cmocka_unit_test(test_input_text_and_html),
        cmocka_unit_test(test_clean_temps),
        cmocka_unit_test(test_record_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
