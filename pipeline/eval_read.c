/* eval_read.c — read and check one annotation TSV (score.py read_tsv(),
 * parse_line(), parse_attrs(), check_refs(), span_text_ok()). */
#include "eval_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const nm_eval_kind_names[NM_EK_N] = {"FIGURE", "DATE", "ENTITY", "EVENT"};
const char *const nm_eval_slot_names[NM_EVAL_NSLOTS] = {"actor", "target", "figure", "date",
                                                        "place"};
static const char *const header[8] = {"id", "kind", "start", "end",
                                      "text", "type", "value", "attrs"};

enum { NFIELDS = 8 };

static nm_eslice slice_of(const char *p, size_t n)
{
    nm_eslice s = {p, n};
    return s;
}

static void fail_where(nm_ebuf *err, const nm_etsv *t, size_t line)
{
    nm_ebuf_printf(err, "%s:%zu: ", t->path, line);
}

static void add_repr(nm_ebuf *b, nm_eslice s)
{
    nm_py_repr(s, b);
}

/* parse_attrs(): append key=value pairs to t->attrs; 0 or 2. */
static int parse_attrs(nm_etsv *t, nm_eann *a, nm_eslice s, nm_ebuf *err)
{
    nm_eslice rest = s;
    a->attr0 = t->nattrs;
    for (;;) {
        const char *semi = rest.n ? memchr(rest.p, ';', rest.n) : NULL;
        size_t len = semi ? (size_t)(semi - rest.p) : rest.n;
        nm_eslice item = nm_py_strip(slice_of(rest.p, len));
        if (item.n) {
            const char *eq = memchr(item.p, '=', item.n);
            if (!eq) {
                fail_where(err, t, a->line);
                nm_ebuf_puts(err, "attribute ");
                add_repr(err, item);
                nm_ebuf_puts(err, " is not key=value");
                return 2;
            }
            if (t->nattrs == t->acap) {
                t->acap = t->acap ? t->acap * 2 : 32;
                t->attrs = nm_eval_xrealloc(t->attrs, t->acap * sizeof *t->attrs);
            }
            nm_eattr *at = &t->attrs[t->nattrs++];
            at->key = nm_py_strip(slice_of(item.p, (size_t)(eq - item.p)));
            at->val = nm_py_strip(slice_of(eq + 1, item.n - (size_t)(eq - item.p) - 1));
        }
        if (!semi)
            break;
        rest = slice_of(semi + 1, rest.n - len - 1);
    }
    a->nattr = t->nattrs - a->attr0;
    return 0;
}

static int parse_kind(nm_eslice s)
{
    for (int k = 0; k < NM_EK_N; k++)
        if (nm_es_eqs(s, nm_eval_kind_names[k]))
            return k;
    return -1;
}

/* The start/end checks of parse_line(). */
static int parse_span(const nm_etsv *t, nm_eann *a, const nm_eslice *f, nm_ebuf *err)
{
    int rs = nm_py_offset(f[2], &a->start), re = nm_py_offset(f[3], &a->end);
    if (rs || re) {
        fail_where(err, t, a->line);
        nm_ebuf_puts(err, "start/end must be non-negative integers, got ");
        add_repr(err, f[2]);
        nm_ebuf_addc(err, ' ');
        add_repr(err, f[3]);
        if (rs != 1 && re != 1)  /* Python would crash in int(); say why we refuse */
            nm_ebuf_puts(err, " (only decimal digits, below 10^18)");
        return 2;
    }
    if (a->start >= a->end) {
        fail_where(err, t, a->line);
        nm_ebuf_printf(err, "empty or reversed span %lld..%lld", (long long)a->start,
                       (long long)a->end);
        return 2;
    }
    return 0;
}

/* parse_line(): fill a from the tab-separated fields; 0 or 2. */
static int parse_line(nm_etsv *t, nm_eann *a, const nm_eslice *f, size_t nf, nm_ebuf *err)
{
    if (nf != NFIELDS) {
        fail_where(err, t, a->line);
        nm_ebuf_printf(err, "expected %d tab-separated fields, found %zu", NFIELDS, nf);
        return 2;
    }
    a->id = f[0];
    a->kind = parse_kind(f[1]);
    a->text = f[4];
    a->type = f[5];
    a->value = f[6];
    if (!a->id.n) {
        fail_where(err, t, a->line);
        nm_ebuf_puts(err, "empty id");
        return 2;
    }
    if (a->kind < 0) {
        fail_where(err, t, a->line);
        nm_ebuf_puts(err, "unknown kind ");
        add_repr(err, f[1]);
        nm_ebuf_puts(err, " (expected one of FIGURE,DATE,ENTITY,EVENT)");
        return 2;
    }
    if (parse_span(t, a, f, err))
        return 2;
    if (!a->type.n) {
        fail_where(err, t, a->line);
        nm_ebuf_puts(err, "empty type");
        return 2;
    }
    return parse_attrs(t, a, f[7], err);
}

/* Split line into at most NFIELDS+1 counted fields; returns the field count. */
static size_t split_tabs(nm_eslice line, nm_eslice *f)
{
    size_t nf = 0;
    const char *p = line.p, *end = line.p + line.n;
    for (;;) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *stop = tab ? tab : end;
        if (nf < NFIELDS)
            f[nf] = slice_of(p, (size_t)(stop - p));
        nf++;
        if (!tab)
            return nf;
        p = tab + 1;
    }
}

static int is_header(const nm_eslice *f, size_t nf)
{
    if (nf != NFIELDS)
        return 0;
    for (size_t k = 0; k < NFIELDS; k++)
        if (!nm_es_eqs(f[k], header[k]))
            return 0;
    return 1;
}

/* One non-blank, non-comment line; 0 or 2. */
static int take_line(nm_etsv *t, nm_eslice line, size_t no, int *header_seen, nm_ebuf *err)
{
    nm_eslice f[NFIELDS];
    size_t nf = split_tabs(line, f);
    if (!*header_seen) {
        if (!is_header(f, nf)) {
            fail_where(err, t, no);
            nm_ebuf_puts(err, "expected header ");
            add_repr(err, nm_es("id\tkind\tstart\tend\ttext\ttype\tvalue\tattrs"));
            return 2;
        }
        *header_seen = 1;
        return 0;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->anns = nm_eval_xrealloc(t->anns, t->cap * sizeof *t->anns);
    }
    nm_eann *a = &t->anns[t->n];
    memset(a, 0, sizeof *a);
    a->line = no;
    if (parse_line(t, a, f, nf, err))
        return 2;
    if (nm_eindex_put(&t->ids, a->id, t->n) != t->n) {
        fail_where(err, t, no);
        nm_ebuf_puts(err, "duplicate id ");
        add_repr(err, a->id);
        return 2;
    }
    t->n++;
    return 0;
}

/* check_refs(): every EVENT slot id names an annotation of the same file. */
static int check_refs(const nm_etsv *t, nm_ebuf *err)
{
    for (size_t i = 0; i < t->n; i++) {
        const nm_eann *a = &t->anns[i];
        if (a->kind != NM_EK_EVENT)
            continue;
        for (int s = 0; s < NM_EVAL_NSLOTS; s++) {
            nm_eslice rest = nm_etsv_attr(t, a, nm_eval_slot_names[s]), ref;
            while (nm_eval_next_id(&rest, &ref)) {
                if (nm_eindex_get(&t->ids, ref) != (size_t)-1)
                    continue;
                fail_where(err, t, a->line);
                nm_ebuf_printf(err, "%s=", nm_eval_slot_names[s]);
                nm_ebuf_adds(err, ref);
                nm_ebuf_puts(err, " points at no annotation in this file");
                return 2;
            }
        }
    }
    return 0;
}

static int parse_lines(nm_etsv *t, nm_ebuf *err)
{
    const char *p = t->data.p, *end = t->data.p + t->data.n;
    int header_seen = 0;
    for (size_t no = 1;; no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        nm_eslice line = slice_of(p, (size_t)((nl ? nl : end) - p));
        while (line.n && line.p[line.n - 1] == '\r')
            line.n--;
        if (nm_py_strip(line).n && line.p[0] != '#' && take_line(t, line, no, &header_seen, err))
            return 2;
        if (!nl)
            return 0;
        p = nl + 1;
    }
}

int nm_etsv_read(nm_etsv *t, const char *path, nm_ebuf *err)
{
    nm_ebuf why = {0};
    memset(t, 0, sizeof *t);
    t->path = nm_eval_xstrndup(path, strlen(path));
    if (nm_eval_slurp(path, &t->data)) {
        nm_ebuf_printf(err, "%s: cannot read (%s)", path, strerror(errno));
        return 2;
    }
    if (nm_py_utf8_error(t->data.p, t->data.n, &why)) {
        nm_ebuf_printf(err, "%s: not valid UTF-8 (%s)", path, why.p);
        nm_ebuf_free(&why);
        return 2;
    }
    if (parse_lines(t, err))
        return 2;
    return check_refs(t, err);
}

void nm_etsv_free(nm_etsv *t)
{
    free(t->path);
    nm_ebuf_free(&t->data);
    free(t->anns);
    free(t->attrs);
    nm_eindex_free(&t->ids);
    memset(t, 0, sizeof *t);
}

nm_eslice nm_etsv_attr(const nm_etsv *t, const nm_eann *a, const char *key)
{
    for (size_t k = a->nattr; k-- > 0;)
        if (nm_es_eqs(t->attrs[a->attr0 + k].key, key))
            return t->attrs[a->attr0 + k].val;
    return nm_es("");
}

/* slot_ids() as an iterator: the next non-empty stripped ','-separated id. */
int nm_eval_next_id(nm_eslice *rest, nm_eslice *id)
{
    while (rest->n) {
        const char *comma = memchr(rest->p, ',', rest->n);
        size_t len = comma ? (size_t)(comma - rest->p) : rest->n;
        *id = nm_py_strip(slice_of(rest->p, len));
        len += comma != NULL;
        rest->p += len;
        rest->n -= len;
        if (id->n)
            return 1;
    }
    return 0;
}

/* span_text_ok(): the text equals the file bytes start..end (TAB, CR, LF as spaces). */
int nm_etsv_span_ok(const nm_ebuf *text, const nm_eann *a)
{
    nm_ebuf why = {0};
    if ((uint64_t)a->end > text->n)
        return 0;
    const char *span = text->p + a->start;
    size_t n = (size_t)(a->end - a->start);
    int bad = nm_py_utf8_error(span, n, &why);
    nm_ebuf_free(&why);
    if (bad || n != a->text.n)
        return 0;
    if (!n || memcmp(span, a->text.p, n) == 0)
        return 1;
    for (size_t i = 0; i < n; i++) {
        char c = span[i] == '\t' || span[i] == '\r' || span[i] == '\n' ? ' ' : span[i];
        if (c != a->text.p[i])
            return 0;
    }
    return 1;
}

void nm_etsv_text_msg(nm_ebuf *b, const nm_etsv *t, const nm_eann *a, const char *text_path)
{
    fail_where(b, t, a->line);
    nm_ebuf_puts(b, "text ");
    add_repr(b, a->text);
    nm_ebuf_printf(b, " is not the bytes %lld..%lld of %s", (long long)a->start,
                   (long long)a->end, text_path);
}
