/* dates_helpers.h - helpers for the DATE unit tests: a context with the
 * shipped lexicons and a one-shot pipeline run. */
#ifndef DATES_HELPERS_H
#define DATES_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A context with the shipped lexicons (NEWSMINE_LEXICONS is set by meson)
 * and TSV output; day_first as given.  The caller frees it. */
static inline nm_ctx *dt_ctx(int day_first)
{
    nm_options opt;
    memset(&opt, 0, sizeof opt);
    opt.formats = NM_FMT_TSV;
    opt.day_first = day_first;
    nm_ctx *ctx = NULL;
    nm_status st = nm_ctx_new(&opt, &ctx);
    for (size_t i = 0; st != NM_OK && i < nm_ctx_message_count(ctx); i++)
        print_error("%s\n", nm_ctx_message(ctx, i));
    assert_int_equal(st, NM_OK);
    return ctx;
}

/* Runs the pipeline on n bytes of text; date may be NULL.  The caller
 * frees the document. */
static inline nm_doc *dt_run(const nm_ctx *ctx, const char *text, size_t n, const char *date)
{
    nm_doc *doc = nm_doc_new("t", "t.txt");
    nm_doc_set_raw(doc, text, n);
    if (date)
        assert_int_equal(nm_doc_set_date(doc, date, "option"), NM_OK);
    assert_int_equal(nm_run(doc, ctx), NM_OK);
    return doc;
}

#endif
