/* nm_test.h - shared helpers for the cmocka unit tests. */
#ifndef NM_TEST_H
#define NM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stages.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A context with the shipped lexicons (NEWSMINE_LEXICONS is set by meson),
 * XML and TSV output. */
static inline nm_ctx *nm_test_ctx(void)
{
    nm_options opt;
    memset(&opt, 0, sizeof opt);
    opt.formats = NM_FMT_XML | NM_FMT_TSV;
    nm_ctx *ctx = NULL;
    nm_status st = nm_ctx_new(&opt, &ctx);
    for (size_t i = 0; st != NM_OK && i < nm_ctx_message_count(ctx); i++)
        print_error("%s\n", nm_ctx_message(ctx, i));
    assert_int_equal(st, NM_OK);
    return ctx;
}

/* The context of a test group using nm_test_setup / nm_test_teardown. */
static nm_ctx *ctx;

static inline int nm_test_setup(void **state)
{
    (void)state;
    ctx = nm_test_ctx();
    return 0;
}

static inline int nm_test_teardown(void **state)
{
    (void)state;
    nm_ctx_free(ctx);
    ctx = NULL;
    return 0;
}

/* A compiled RELAX NG schema (path relative to the source root, where the
 * tests run), or NULL; free it with xmlRelaxNGFree. */
static inline xmlRelaxNGPtr nm_test_schema(const char *path)
{
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGPtr schema = xmlRelaxNGParse(pc);
    xmlRelaxNGFreeParserCtxt(pc);
    return schema;
}

/* Runs the whole pipeline on text; the caller frees the document. */
static inline nm_doc *nm_test_run(const nm_ctx *c, const char *text, const char *date)
{
    nm_doc *doc = nm_doc_new("t", "t.txt");
    nm_doc_set_raw(doc, text, strlen(text));
    if (date)
        assert_int_equal(nm_doc_set_date(doc, date, "option"), NM_OK);
    assert_int_equal(nm_run(doc, c), NM_OK);
    return doc;
}

/* Runs text as a paragraph of a migration article: events count only in
 * texts about migration, so a closing paragraph says so (it adds no facts). */
static inline nm_doc *nm_test_run_migration(const nm_ctx *c, const char *text, const char *date)
{
    static const char tail[] = "\n\nMigrants. Migration.\n";
    size_t n = strlen(text);
    char *all = malloc(n + sizeof tail);
    memcpy(all, text, n);
    memcpy(all + n, tail, sizeof tail);
    nm_doc *doc = nm_test_run(c, all, date);
    free(all);
    return doc;
}

/* The bytes of a file (NUL-terminated; the caller frees), its size in *n. */
static inline char *nm_test_slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
    fclose(fp);
    buf[len] = '\0';
    *n = (size_t)len;
    return buf;
}

/* The first live fact of a kind whose raw text is surface, or NULL. */
static inline const nm_fact *nm_test_find(const nm_doc *doc, nm_kind kind, const char *surface)
{
    size_t n = strlen(surface);
    for (size_t i = 0; i < doc->nfacts; i++) {
        const nm_fact *f = &doc->facts[i];
        if (f->kind == kind && f->rend - f->rstart == n &&
            memcmp(doc->raw + f->rstart, surface, n) == 0)
            return f;
    }
    return NULL;
}

/* Fails the test unless fact f has key=want (want NULL: has no key). */
static inline void nm_test_check_attr(const nm_fact *f, const char *key, const char *want,
                                      const char *input)
{
    const char *got = nm_fact_get(f, key);
    if (!want && got)
        fail_msg("%s: unexpected %s=%s", input, key, got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("%s: %s is %s, want %s", input, key, got ? got : "(none)", want);
}

/* Parses xml[0, n) and validates it against schema: 0 when valid. */
static inline int nm_test_validate(xmlRelaxNGPtr schema, const char *xml, size_t n)
{
    xmlDocPtr x = xmlReadMemory(xml, (int)n, "record.xml", NULL, XML_PARSE_NONET);
    if (!x)
        return -1;
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
    int rc = xmlRelaxNGValidateDoc(vc, x);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlFreeDoc(x);
    return rc;
}

#endif
