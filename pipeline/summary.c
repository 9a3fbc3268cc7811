/* summary.c - events by type, actor and period over a corpus. */
#include "summary.h"
#include "nm_hash.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct group {
    char *type, *actor, *period;
    size_t events, docs, figures;
    double sum;
    size_t last_doc; /* 1 + index of the last document counted */
} group;

struct nm_summary {
    nm_hash index; /* "type\tactor\tperiod" -> group index + 1 (as a pointer) */
    group *g;
    size_t n, cap;
    size_t docs, events;
    nm_arena arena;
};

nm_summary *nm_summary_new(void) { return nm_xcalloc(1, sizeof(nm_summary)); }

void nm_summary_free(nm_summary *s)
{
    if (!s)
        return;
    nm_hash_free(&s->index);
    free(s->g);
    nm_arena_free(&s->arena);
    free(s);
}

/* The period of an event's date value: YYYY-MM or YYYY, else "". */
static void period_of(const char *v, char out[8])
{
    out[0] = '\0';
    bool year = strlen(v) >= 4;
    for (int i = 0; i < 4 && year; i++)
        year = v[i] >= '0' && v[i] <= '9';
    if (!year)
        return;
    bool month = v[4] == '-' && v[5] >= '0' && v[5] <= '1' && v[6] >= '0' && v[6] <= '9';
    memcpy(out, v, month ? 7 : 4);
    out[month ? 7 : 4] = '\0';
}

static group *group_of(nm_summary *s, const char *type, const char *actor, const char *period)
{
    char *key = nm_arena_printf(&s->arena, "%s\t%s\t%s", type, actor, period);
    void **slot = nm_hash_slot_of(&s->index, key, strlen(key));
    if (!*slot) {
        group g = {nm_arena_strdup(&s->arena, type), nm_arena_strdup(&s->arena, actor),
                   nm_arena_strdup(&s->arena, period), 0, 0, 0, 0, 0};
        NM_VEC_PUSH(s->g, s->n, s->cap, g);
        *slot = (void *)(uintptr_t)s->n;
    }
    return &s->g[(uintptr_t)*slot - 1];
}

/* One event: its type, the canonical name of its actor, its date value and
 * its counted figure (has_count). */
static void add_event(nm_summary *s, const char *type, const char *actor, const char *date,
                      bool has_count, double count)
{
    char period[8];
    period_of(date ? date : "", period);
    group *g = group_of(s, type, actor ? actor : "", period);
    g->events++;
    s->events++;
    if (g->last_doc != s->docs) {
        g->docs++;
        g->last_doc = s->docs;
    }
    if (has_count) {
        g->figures++;
        g->sum += count;
    }
}

void nm_summary_add(nm_summary *s, const nm_doc *doc)
{
    s->docs++;
    for (size_t i = 0; i < doc->nfacts; i++) {
        const nm_fact *f = &doc->facts[i];
        if (f->kind != NM_EVENT || f->dead)
            continue;
        const nm_fact *a = f->slot[NM_SLOT_ACTOR] >= 0 ? &doc->facts[f->slot[NM_SLOT_ACTOR]] : NULL;
        const nm_fact *d = f->slot[NM_SLOT_DATE] >= 0 ? &doc->facts[f->slot[NM_SLOT_DATE]] : NULL;
        const nm_fact *n = f->slot[NM_SLOT_FIGURE] >= 0 ? &doc->facts[f->slot[NM_SLOT_FIGURE]] : NULL;
        bool count = n && strcmp(n->type, "COUNT") == 0;
        add_event(s, f->type, a ? nm_fact_get(a, "canonical") : NULL, d ? d->value : NULL, count,
                  count ? n->num : 0);
    }
}

/* ------------------------------------------------------------ records */

static const char *prop(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);
    return a && a->children && a->children->content ? (const char *)a->children->content : NULL;
}

static bool named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The fact element a slot of event e refers to, or NULL. */
static xmlNodePtr slot_fact(const nm_hash *ids, xmlNodePtr e, const char *role)
{
    for (xmlNodePtr c = e->children; c; c = c->next) {
        const char *r = named(c, "slot") ? prop(c, "role") : NULL;
        const char *ref = r && strcmp(r, role) == 0 ? prop(c, "ref") : NULL;
        if (ref)
            return nm_hash_get(ids, ref, strlen(ref));
    }
    return NULL;
}

static void add_record_doc(nm_summary *s, xmlNodePtr doc)
{
    nm_hash ids = {NULL, 0, 0};
    for (xmlNodePtr c = doc->children; c; c = c->next) {
        const char *id = c->type == XML_ELEMENT_NODE ? prop(c, "id") : NULL;
        if (id)
            nm_hash_put(&ids, id, strlen(id), c);
    }
    s->docs++;
    for (xmlNodePtr e = doc->children; e; e = e->next) {
        if (!named(e, "event") || !prop(e, "type"))
            continue;
        xmlNodePtr a = slot_fact(&ids, e, "actor"), d = slot_fact(&ids, e, "date");
        xmlNodePtr f = slot_fact(&ids, e, "figure");
        const char *ft = f ? prop(f, "type") : NULL, *fv = f ? prop(f, "value") : NULL;
        bool count = ft && fv && strcmp(ft, "COUNT") == 0;
        add_event(s, prop(e, "type"), a ? prop(a, "canonical") : NULL, d ? prop(d, "value") : NULL,
                  count, count ? strtod(fv, NULL) : 0);
    }
    nm_hash_free(&ids);
}

int nm_summary_add_record(nm_summary *s, const char *xml, size_t len)
{
    xmlDocPtr x = xmlReadMemory(xml, (int)len, "record.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = x ? xmlDocGetRootElement(x) : NULL;
    if (!root || !named(root, "newsmine")) {
        xmlFreeDoc(x);
        return -1;
    }
    for (xmlNodePtr d = root->children; d; d = d->next)
        if (named(d, "document"))
            add_record_doc(s, d);
    xmlFreeDoc(x);
    return 0;
}

static int group_cmp(const void *x, const void *y)
{
    const group *a = x, *b = y;
    int c = strcmp(a->type, b->type);
    if (!c)
        c = strcmp(a->actor, b->actor);
    return c ? c : strcmp(a->period, b->period);
}

typedef struct obuf {
    char *p;
    size_t n, cap;
} obuf;

static void put(obuf *b, const char *s)
{
    size_t k = strlen(s);
    nm_vec_reserve((void **)&b->p, &b->cap, b->n + k + 1, 1);
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
}

static void put_attr(obuf *b, const char *name, const char *val)
{
    put(b, " ");
    put(b, name);
    put(b, "=\"");
    for (const char *v = val; *v; v++) {
        char one[2] = {*v, '\0'};
        switch (*v) {
        case '&': put(b, "&amp;"); break;
        case '<': put(b, "&lt;"); break;
        case '>': put(b, "&gt;"); break;
        case '"': put(b, "&quot;"); break;
        case '\t': case '\n': case '\r': put(b, " "); break;
        default: put(b, one);
        }
    }
    put(b, "\"");
}

static void put_group(obuf *b, const group *g)
{
    char num[64];
    put(b, " <group");
    put_attr(b, "type", g->type);
    if (*g->actor)
        put_attr(b, "actor", g->actor);
    if (*g->period)
        put_attr(b, "period", g->period);
    snprintf(num, sizeof num, "%zu", g->events);
    put_attr(b, "events", num);
    snprintf(num, sizeof num, "%zu", g->docs);
    put_attr(b, "documents", num);
    if (g->figures) {
        snprintf(num, sizeof num, "%.0f", g->sum);
        put_attr(b, "sum", num);
        snprintf(num, sizeof num, "%zu", g->figures);
        put_attr(b, "figures", num);
    }
    put(b, "/>\n");
}

char *nm_summary_xml(const nm_summary *s, size_t *len)
{
    group *g = nm_xmalloc((s->n + 1) * sizeof *g);
    if (s->n)
        memcpy(g, s->g, s->n * sizeof *g);
    if (s->n > 1)
        qsort(g, s->n, sizeof *g, group_cmp);
    obuf b = {NULL, 0, 0};
    char head[256];
    snprintf(head, sizeof head,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<summary xmlns=\"" NM_SUMMARY_NS
             "\" version=\"" NM_VERSION "\" documents=\"%zu\" events=\"%zu\">\n",
             s->docs, s->events);
    put(&b, head);
    for (size_t i = 0; i < s->n; i++)
        put_group(&b, &g[i]);
    put(&b, "</summary>\n");
    free(g);
    *len = b.n;
    return b.p;
}
