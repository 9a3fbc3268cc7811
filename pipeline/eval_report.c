/* eval_report.c — the report of `newsmine eval` as score.py prints it:
 * format_report() for plain text, json.dumps(rep, indent=1) for --json. */
#include "eval_priv.h"

#include <stdlib.h>
#include <string.h>

typedef struct {       /* a Python float or None */
    int some;
    double v;
} opt;

typedef struct {       /* summarize(): what one row shows */
    opt p[2], r[2], f[2];       /* strict, relaxed */
    opt value_acc, slot_acc, slot_acc_per[NM_EVAL_NSLOTS];
} row_stats;

static opt ratio(long long a, long long b)
{
    opt o = {b != 0, b ? (double)a / (double)b : 0.0};
    return o;
}

static void prf(long long tp, long long n_gold, long long n_sys, opt *p, opt *r, opt *f)
{
    *p = ratio(tp, n_sys);
    *r = ratio(tp, n_gold);
    f->some = 1;
    f->v = 0.0;
    if (!p->some || !r->some)
        f->some = !(n_gold == 0 && n_sys == 0);
    else if (p->v + r->v != 0.0)
        f->v = 2 * p->v * r->v / (p->v + r->v);
}

static void summarize(const nm_ecell *c, row_stats *st)
{
    prf(c->strict_tp, c->gold, c->sys, &st->p[0], &st->r[0], &st->f[0]);
    prf(c->relaxed_tp, c->gold, c->sys, &st->p[1], &st->r[1], &st->f[1]);
    st->value_acc = ratio(c->value_correct, c->value_total);
    st->slot_acc = ratio(c->slot_correct, c->slot_gold + c->slot_sys - c->slot_correct);
    for (int s = 0; s < NM_EVAL_NSLOTS; s++) {
        const long long *v = c->slots[s];
        st->slot_acc_per[s] = ratio(v[0], v[1] + v[2] - v[0]);
    }
}

static void add_cell(nm_ecell *dst, const nm_ecell *src)
{
    dst->gold += src->gold;
    dst->sys += src->sys;
    dst->strict_tp += src->strict_tp;
    dst->relaxed_tp += src->relaxed_tp;
    dst->value_correct += src->value_correct;
    dst->value_total += src->value_total;
    dst->slot_correct += src->slot_correct;
    dst->slot_gold += src->slot_gold;
    dst->slot_sys += src->slot_sys;
    for (int s = 0; s < NM_EVAL_NSLOTS; s++)
        for (int i = 0; i < 3; i++)
            dst->slots[s][i] += src->slots[s][i];
}

static int cell_ptr_cmp(const void *x, const void *y)
{
    const nm_ecell *a = *(const nm_ecell *const *)x, *b = *(const nm_ecell *const *)y;
    return nm_py_cmp(a->type, b->type);
}

/* build_report() for one kind: its cells sorted by type, and the total in *total. */
static size_t kind_rows(const nm_ecells *cells, int kind, const nm_ecell ***rows,
                        nm_ecell *total)
{
    size_t n = 0;
    *rows = nm_eval_xrealloc(NULL, (cells->n + 1) * sizeof **rows);
    memset(total, 0, sizeof *total);
    total->kind = kind;
    total->type = nm_es("*total*");
    for (size_t i = 0; i < cells->n; i++)
        if (cells->v[i].kind == kind)
            (*rows)[n++] = &cells->v[i];
    qsort(*rows, n, sizeof **rows, cell_ptr_cmp);
    for (size_t i = 0; i < n; i++)
        add_cell(total, (*rows)[i]);
    return n;
}

/* ---------------------------------------------------------------- plain text */

static void fmt(nm_ebuf *b, opt x)
{
    if (x.some)
        nm_py_fmt3(x.v, b);
    else
        nm_ebuf_puts(b, "    -");
}

static void pad(nm_ebuf *b, size_t have, size_t width)
{
    for (; have < width; have++)
        nm_ebuf_addc(b, ' ');
}

static void format_cols(nm_ebuf *b, const row_stats *st)
{
    for (int m = 0; m < 2; m++) {
        nm_ebuf_puts(b, " | ");
        fmt(b, st->p[m]);
        nm_ebuf_addc(b, ' ');
        fmt(b, st->r[m]);
        nm_ebuf_addc(b, ' ');
        fmt(b, st->f[m]);
    }
    nm_ebuf_puts(b, " | ");
}

static void format_row(nm_ebuf *b, const nm_ecell *c)
{
    row_stats st;
    nm_eslice type = nm_py_head(c->type, 18);
    size_t mark;
    summarize(c, &st);
    nm_ebuf_printf(b, "%-6s ", nm_eval_kind_names[c->kind]);
    nm_ebuf_adds(b, type);
    pad(b, nm_py_len(type), 18);
    nm_ebuf_printf(b, " %6lld %6lld", c->gold, c->sys);
    format_cols(b, &st);
    mark = b->n;
    if (c->kind == NM_EK_FIGURE || c->kind == NM_EK_DATE) {
        fmt(b, st.value_acc);
        nm_ebuf_printf(b, " (%lld/%lld)", c->value_correct, c->value_total);
    }
    pad(b, b->n - mark, 17);
    nm_ebuf_puts(b, " | ");
    if (c->kind == NM_EK_EVENT) {
        fmt(b, st.slot_acc);
        nm_ebuf_printf(b, " (%lld; gold %lld, sys %lld)", c->slot_correct, c->slot_gold,
                       c->slot_sys);
    }
    while (b->n && b->p[b->n - 1] == ' ')     /* .rstrip(): only spaces can trail */
        b->p[--b->n] = 0;
}

static int mapent_cmp(const void *x, const void *y)
{
    return nm_py_cmp(((const nm_emapent *)x)->src, ((const nm_emapent *)y)->src);
}

/* json.dumps(maps, sort_keys=True) */
static void format_maps_sorted(nm_ebuf *b, const nm_emaps *m)
{
    static const int by_name[NM_EK_N] = {NM_EK_DATE, NM_EK_ENTITY, NM_EK_EVENT, NM_EK_FIGURE};
    int first = 1;
    nm_ebuf_addc(b, '{');
    for (int i = 0; i < NM_EK_N; i++) {
        const nm_emap *km = &m->kind[by_name[i]];
        if (!km->n)
            continue;
        nm_emapent *e = nm_eval_xrealloc(NULL, km->n * sizeof *e);
        memcpy(e, km->e, km->n * sizeof *e);
        qsort(e, km->n, sizeof *e, mapent_cmp);
        nm_ebuf_printf(b, "%s\"%s\": {", first ? "" : ", ", nm_eval_kind_names[by_name[i]]);
        for (size_t k = 0; k < km->n; k++) {
            nm_ebuf_puts(b, k ? ", " : "");
            nm_py_json_str(e[k].src, b);
            nm_ebuf_puts(b, ": ");
            nm_py_json_str(e[k].dst, b);
        }
        nm_ebuf_addc(b, '}');
        free(e);
        first = 0;
    }
    nm_ebuf_addc(b, '}');
}

void nm_eval_format_text(const nm_ereport *r, nm_ebuf *out)
{
    nm_ebuf_printf(out, "# gold %s  sys %s  docs %zu  sys files missing %zu  texts checked %zu\n",
                   r->gold_dir, r->sys_dir, r->docs, r->nmissing, r->texts_checked);
    if (r->maps->norder) {
        nm_ebuf_puts(out, "# type map: ");
        format_maps_sorted(out, r->maps);
        nm_ebuf_addc(out, '\n');
    }
    nm_ebuf_printf(out, "%-6s %-18s %6s %6s | %-17s | %-17s |\n", "", "", "", "", "strict",
                   "relaxed");
    nm_ebuf_printf(out, "%-6s %-18s %6s %6s | %-5s %-5s %-5s | %-5s %-5s %-5s | %-17s | %s\n",
                   "kind", "type", "gold", "sys", "P", "R", "F1", "P", "R", "F1", "value acc",
                   "slot acc");
    for (int k = 0; k < r->nkinds; k++) {
        const nm_ecell **rows;
        nm_ecell total;
        size_t n = kind_rows(r->cells, r->kinds[k], &rows, &total);
        for (size_t i = 0; i < n; i++) {
            format_row(out, rows[i]);
            nm_ebuf_addc(out, '\n');
        }
        format_row(out, &total);
        nm_ebuf_addc(out, '\n');
        free(rows);
    }
}

/* ---------------------------------------------------------------- JSON (indent=1) */

typedef struct {
    nm_ebuf *b;
    int depth;
    int empty;          /* the innermost open container has no item yet */
} jw;

static void jw_item(jw *w, const char *key)
{
    nm_ebuf_addc(w->b, w->empty ? '\n' : ',');
    if (!w->empty)
        nm_ebuf_addc(w->b, '\n');
    pad(w->b, 0, (size_t)w->depth);
    w->empty = 0;
    if (key) {
        nm_py_json_str(nm_es(key), w->b);
        nm_ebuf_puts(w->b, ": ");
    }
}

static void jw_open(jw *w, const char *key, char c)
{
    jw_item(w, key);
    nm_ebuf_addc(w->b, c);
    w->depth++;
    w->empty = 1;
}

static void jw_close(jw *w, char c)
{
    w->depth--;
    if (!w->empty) {
        nm_ebuf_addc(w->b, '\n');
        pad(w->b, 0, (size_t)w->depth);
    }
    nm_ebuf_addc(w->b, c);
    w->empty = 0;
}

static void jw_int(jw *w, const char *key, long long v)
{
    jw_item(w, key);
    nm_ebuf_printf(w->b, "%lld", v);
}

static void jw_opt(jw *w, const char *key, opt v)
{
    jw_item(w, key);
    if (v.some)
        nm_py_float_repr(v.v, w->b);
    else
        nm_ebuf_puts(w->b, "null");
}

static void jw_str(jw *w, const char *key, nm_eslice s)
{
    jw_item(w, key);
    nm_py_json_str(s, w->b);
}

static void json_prf(jw *w, const char *key, long long tp, const row_stats *st, int m)
{
    jw_open(w, key, '{');
    jw_int(w, "tp", tp);
    jw_opt(w, "p", st->p[m]);
    jw_opt(w, "r", st->r[m]);
    jw_opt(w, "f1", st->f[m]);
    jw_close(w, '}');
}

static void json_slots(jw *w, const nm_ecell *c, const row_stats *st)
{
    jw_open(w, "slots", '{');
    jw_int(w, "correct", c->slot_correct);
    jw_int(w, "gold", c->slot_gold);
    jw_int(w, "sys", c->slot_sys);
    jw_opt(w, "acc", st->slot_acc);
    jw_open(w, "per_slot", '{');
    for (int s = 0; s < NM_EVAL_NSLOTS; s++) {
        jw_open(w, nm_eval_slot_names[s], '{');
        jw_int(w, "correct", c->slots[s][0]);
        jw_int(w, "gold", c->slots[s][1]);
        jw_int(w, "sys", c->slots[s][2]);
        jw_opt(w, "acc", st->slot_acc_per[s]);
        jw_close(w, '}');
    }
    jw_close(w, '}');
    jw_close(w, '}');
}

static void json_row(jw *w, const char *key, const nm_ecell *c)
{
    row_stats st;
    summarize(c, &st);
    jw_open(w, key, '{');
    jw_str(w, "kind", nm_es(nm_eval_kind_names[c->kind]));
    jw_str(w, "type", c->type);
    jw_int(w, "gold", c->gold);
    jw_int(w, "sys", c->sys);
    json_prf(w, "strict", c->strict_tp, &st, 0);
    json_prf(w, "relaxed", c->relaxed_tp, &st, 1);
    if (c->kind == NM_EK_FIGURE || c->kind == NM_EK_DATE) {
        jw_open(w, "value", '{');
        jw_int(w, "correct", c->value_correct);
        jw_int(w, "total", c->value_total);
        jw_opt(w, "acc", st.value_acc);
        jw_close(w, '}');
    }
    if (c->kind == NM_EK_EVENT)
        json_slots(w, c, &st);
    jw_close(w, '}');
}

static void json_kinds(jw *w, const nm_ereport *r)
{
    jw_open(w, "kinds", '{');
    for (int k = 0; k < r->nkinds; k++) {
        const nm_ecell **rows;
        nm_ecell total;
        size_t n = kind_rows(r->cells, r->kinds[k], &rows, &total);
        jw_open(w, nm_eval_kind_names[r->kinds[k]], '{');
        jw_open(w, "types", '[');
        for (size_t i = 0; i < n; i++)
            json_row(w, NULL, rows[i]);
        jw_close(w, ']');
        json_row(w, "total", &total);
        jw_close(w, '}');
        free(rows);
    }
    jw_close(w, '}');
}

static void json_maps(jw *w, const nm_emaps *m)
{
    jw_open(w, "maps", '{');
    for (int i = 0; i < m->norder; i++) {
        const nm_emap *km = &m->kind[m->order[i]];
        jw_open(w, nm_eval_kind_names[m->order[i]], '{');
        for (size_t k = 0; k < km->n; k++) {
            jw_item(w, NULL);
            nm_py_json_str(km->e[k].src, w->b);
            nm_ebuf_puts(w->b, ": ");
            nm_py_json_str(km->e[k].dst, w->b);
        }
        jw_close(w, '}');
    }
    jw_close(w, '}');
}

static void json_strings(jw *w, const char *key, char **v, size_t n)
{
    jw_open(w, key, '[');
    for (size_t i = 0; i < n; i++)
        jw_str(w, NULL, nm_es(v[i]));
    jw_close(w, ']');
}

void nm_eval_format_json(const nm_ereport *r, nm_ebuf *out)
{
    jw w = {out, 1, 1};
    nm_ebuf_addc(out, '{');
    jw_str(&w, "gold_dir", nm_es(r->gold_dir));
    jw_str(&w, "sys_dir", nm_es(r->sys_dir));
    jw_int(&w, "docs", (long long)r->docs);
    json_strings(&w, "sys_missing", r->missing, r->nmissing);
    jw_int(&w, "texts_checked", (long long)r->texts_checked);
    jw_int(&w, "sys_text_mismatches", (long long)r->mismatched);
    json_maps(&w, r->maps);
    json_strings(&w, "warnings", r->warnings, r->nwarnings);
    json_kinds(&w, r);
    jw_close(&w, '}');
    nm_ebuf_addc(out, '\n');
}
