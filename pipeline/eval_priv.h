/* eval_priv.h — internals of `newsmine eval`, the C port of tools/score.py.
 *
 * eval.c         command line, driver (score_dirs), directory listing
 * eval_read.c    TSV reading and checking, span text check
 * eval_score.c   type maps, matching, counting
 * eval_report.c  plain-text and JSON report
 * eval_py.c      Python str semantics on UTF-8 bytes (strip, lower, repr, float(), paths)
 * eval_util.c    byte buffers, slices, a string-keyed index
 * eval_unidata.c Unicode tables generated from Python by eval_unidata_gen.py
 *
 * Strings are byte slices (they may hold NUL, as Python strs may). Bytes
 * that are not UTF-8 (only possible in paths and arguments) are treated as
 * Python's surrogateescape does: one code point U+DC80..U+DCFF per byte.
 * Out of memory aborts.
 */
#ifndef NM_EVAL_PRIV_H
#define NM_EVAL_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- unicode tables */
enum { NM_UNI_CASED = 1, NM_UNI_IGNORABLE = 2 };
int nm_uni_isprintable(uint32_t c);           /* str.isprintable() */
int nm_uni_decimal(uint32_t c);               /* digit value if str.isdecimal(), else -1 */
int nm_uni_isdigit(uint32_t c);               /* str.isdigit() */
int nm_uni_caseclass(uint32_t c);             /* for the final-sigma rule of lower() */
size_t nm_uni_lower(uint32_t c, uint32_t out[3]); /* full lower-case mapping, 1..3 cps */
size_t nm_uni_upper(uint32_t c, uint32_t out[3]); /* full upper-case mapping, 1..3 cps */

/* ---------------------------------------------------------------- utilities */
typedef struct {
    const char *p;
    size_t n;
} nm_eslice;

typedef struct {        /* growable byte buffer; p[n] is always 0 once p is set */
    char *p;
    size_t n, cap;
} nm_ebuf;

void *nm_eval_xrealloc(void *p, size_t n);
char *nm_eval_xstrndup(const char *p, size_t n);
nm_eslice nm_es(const char *s);
int nm_es_eq(nm_eslice a, nm_eslice b);
int nm_es_eqs(nm_eslice a, const char *s);
nm_eslice nm_ebuf_slice(const nm_ebuf *b);
void nm_ebuf_add(nm_ebuf *b, const void *p, size_t n);
void nm_ebuf_addc(nm_ebuf *b, char c);
void nm_ebuf_puts(nm_ebuf *b, const char *s);
void nm_ebuf_adds(nm_ebuf *b, nm_eslice s);
void nm_ebuf_printf(nm_ebuf *b, const char *fmt, ...);
void nm_ebuf_free(nm_ebuf *b);
int nm_eval_slurp(const char *path, nm_ebuf *out);   /* 0, or -1 with errno */

typedef struct {        /* open-addressing map: slice -> index */
    nm_eslice *keys;
    size_t *vals;
    size_t n, cap;
} nm_eindex;

/* Insert key -> val unless present; return the stored value (old or new). */
size_t nm_eindex_put(nm_eindex *ix, nm_eslice key, size_t val);
/* Value stored for key, or (size_t)-1. */
size_t nm_eindex_get(const nm_eindex *ix, nm_eslice key);
void nm_eindex_free(nm_eindex *ix);

/* ---------------------------------------------------------------- Python str semantics */
int nm_py_utf8_error(const char *p, size_t n, nm_ebuf *why); /* 0 if valid, else 1 + reason */
nm_eslice nm_py_strip(nm_eslice s);
void nm_py_lower(nm_eslice s, nm_ebuf *out);
void nm_py_upper(nm_eslice s, nm_ebuf *out);
void nm_py_repr(nm_eslice s, nm_ebuf *out);
void nm_py_json_str(nm_eslice s, nm_ebuf *out);
int nm_py_cmp(nm_eslice a, nm_eslice b);
size_t nm_py_len(nm_eslice s);
nm_eslice nm_py_head(nm_eslice s, size_t ncp);
int nm_py_num(nm_eslice s, double *out);
int nm_py_offset(nm_eslice s, int64_t *out);
void nm_py_float_repr(double x, nm_ebuf *out);
void nm_py_fmt3(double x, nm_ebuf *out);
void nm_py_join(nm_ebuf *out, const char *dir, nm_eslice name);
int nm_py_abs_dirname(nm_ebuf *out, const char *path);
void nm_py_write_err(FILE *f, const char *p, size_t n);

/* ---------------------------------------------------------------- annotations (eval_read.c) */
enum { NM_EK_FIGURE, NM_EK_DATE, NM_EK_ENTITY, NM_EK_EVENT, NM_EK_N };
enum { NM_EVAL_NSLOTS = 5 };
extern const char *const nm_eval_kind_names[NM_EK_N];
extern const char *const nm_eval_slot_names[NM_EVAL_NSLOTS];

typedef struct {
    nm_eslice key, val;
} nm_eattr;

typedef struct {
    nm_eslice id, text, type, value;
    int kind;
    int64_t start, end;
    size_t attr0, nattr;  /* into nm_etsv.attrs; a later key wins */
    size_t line;
} nm_eann;

typedef struct {
    char *path;
    nm_ebuf data;
    nm_eann *anns;
    size_t n, cap;
    nm_eattr *attrs;
    size_t nattrs, acap;
    nm_eindex ids;        /* id -> index into anns */
} nm_etsv;

/* read_tsv(): 0, or 2 with the 'file:line: reason' message in err. */
int nm_etsv_read(nm_etsv *t, const char *path, nm_ebuf *err);
void nm_etsv_free(nm_etsv *t);
nm_eslice nm_etsv_attr(const nm_etsv *t, const nm_eann *a, const char *key);
int nm_eval_next_id(nm_eslice *rest, nm_eslice *id);
int nm_etsv_span_ok(const nm_ebuf *text, const nm_eann *a);
void nm_etsv_text_msg(nm_ebuf *b, const nm_etsv *t, const nm_eann *a, const char *text_path);

/* ---------------------------------------------------------------- scoring (eval_score.c) */
typedef struct {
    nm_eslice src, dst;
} nm_emapent;

typedef struct {
    nm_emapent *e;
    size_t n, cap;
} nm_emap;

typedef struct {
    nm_emap kind[NM_EK_N];
    int order[NM_EK_N];   /* kinds in first-insertion order */
    int norder;
} nm_emaps;

int nm_emaps_parse(nm_emaps *m, const char *const *specs, size_t nspecs, nm_ebuf *err);
void nm_emaps_free(nm_emaps *m);

typedef struct {
    int kind;
    nm_eslice type;       /* owned copy */
    long long gold, sys, strict_tp, relaxed_tp, value_correct, value_total;
    long long slot_correct, slot_gold, slot_sys;
    long long slots[NM_EVAL_NSLOTS][3];
} nm_ecell;

typedef struct {
    nm_ecell *v;
    size_t n, cap;
} nm_ecells;

void nm_eval_score_doc(const nm_etsv *gold, const nm_etsv *sys, const nm_emaps *maps,
                       nm_ecells *cells);
void nm_ecells_free(nm_ecells *c);

/* ---------------------------------------------------------------- report (eval_report.c) */
typedef struct {
    const char *gold_dir, *sys_dir;
    size_t docs, texts_checked, mismatched;
    char **missing;
    size_t nmissing;
    char **warnings;
    size_t nwarnings;
    const nm_emaps *maps;
    int kinds[NM_EK_N];
    int nkinds;
    const nm_ecells *cells;
} nm_ereport;

void nm_eval_format_text(const nm_ereport *r, nm_ebuf *out);
void nm_eval_format_json(const nm_ereport *r, nm_ebuf *out);

#endif
