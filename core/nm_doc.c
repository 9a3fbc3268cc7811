/* nm_doc.c - the document: raw bytes, offset map, diagnostics, facts. */
#include "nm_core.h"
#include "nm_sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const nm_kind_names[NM_KIND_COUNT] = {"FIGURE", "DATE", "ENTITY", "EVENT"};
const char *const nm_slot_names[NM_SLOT_COUNT] = {"actor", "target", "figure", "date", "place"};

void nm_match_scratch_free(nm_match_scratch *s); /* extract/pattern.c */

_Static_assert(NM_SPARE_SORT_KEYS - NM_SPARE_BY_KIND == NM_KIND_COUNT, "a spare per kind index");

nm_doc *nm_doc_new(const char *name, const char *path)
{
    nm_doc *doc = nm_xcalloc(1, sizeof *doc);
    /* the layers start with the buffers this thread's last document left */
    doc->sents = nm_spare_take(NM_SPARE_SENTS, &doc->csents);
    doc->toks = nm_spare_take(NM_SPARE_TOKS, &doc->ctoks);
    doc->facts = nm_spare_take(NM_SPARE_FACTS, &doc->cfacts);
    doc->map = nm_spare_take(NM_SPARE_MAP, &doc->cmap);
    for (int k = 0; k < NM_KIND_COUNT; k++)
        doc->by_kind[k] = nm_spare_take(NM_SPARE_BY_KIND + k, &doc->cby[k]);
    doc->name = nm_xstrdup(name ? name : "stdin");
    doc->path = nm_xstrdup(path ? path : doc->name);
    doc->date_source = "none";
    doc->stage = "ingest";
    return doc;
}

void nm_doc_free(nm_doc *doc)
{
    if (!doc)
        return;
    nm_arena_free(&doc->arena);
    if (doc->scratch)
        nm_match_scratch_free(doc->scratch);
    free(doc->name);
    free(doc->path);
    free(doc->raw);
    free(doc->text_owned);
    free(doc->diags);
    nm_spare_put(NM_SPARE_MAP, doc->map, doc->cmap, sizeof *doc->map);
    nm_spare_put(NM_SPARE_SENTS, doc->sents, doc->csents, sizeof *doc->sents);
    nm_spare_put(NM_SPARE_TOKS, doc->toks, doc->ctoks, sizeof *doc->toks);
    nm_spare_put(NM_SPARE_FACTS, doc->facts, doc->cfacts, sizeof *doc->facts);
    for (int k = 0; k < NM_KIND_COUNT; k++)
        nm_spare_put(NM_SPARE_BY_KIND + k, doc->by_kind[k], doc->cby[k], sizeof *doc->by_kind[k]);
    if (doc->xml_cap)
        nm_spare_put(NM_SPARE_XML, doc->xml, doc->xml_cap, 1);
    else
        free(doc->xml);
    free(doc->tsv);
    free(doc);
}

void nm_doc_set_raw(nm_doc *doc, const void *bytes, size_t len)
{
    free(doc->raw);
    doc->raw = nm_xmalloc(len + 1);
    if (len)
        memcpy(doc->raw, bytes, len);
    doc->raw[len] = '\0';
    doc->raw_len = len;
    nm_sha256_hex(doc->raw, len, doc->hash);
}

void nm_doc_take_raw(nm_doc *doc, char *bytes, size_t len, const char hash[65])
{
    free(doc->raw);
    doc->raw = (uint8_t *)bytes;
    doc->raw_len = len;
    memcpy(doc->hash, hash, sizeof doc->hash);
}

void nm_doc_set_origin(nm_doc *doc, const char *format, const char *sha256, const char *title)
{
    doc->origin_format = format ? nm_arena_strdup(&doc->arena, format) : NULL;
    doc->origin_sha256 = sha256 ? nm_arena_strdup(&doc->arena, sha256) : NULL;
    doc->title = title ? nm_arena_strdup(&doc->arena, title) : NULL;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Accepts YYYY-MM-DD or YYYY-MM with a real month and day. */
bool nm_date_valid(const char *d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(d);
    if ((n != 7 && n != 10) || d[4] != '-' || !all_digits(d, 4) || !all_digits(d + 5, 2))
        return false;
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    if (m < 1 || m > 12)
        return false;
    if (n == 7)
        return true;
    if (d[7] != '-' || !all_digits(d + 8, 2))
        return false;
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    return day >= 1 && day <= mdays[m - 1];
}

nm_status nm_doc_set_date(nm_doc *doc, const char *date, const char *source)
{
    if (!date || !nm_date_valid(date))
        return NM_E_DATE;
    memcpy(doc->date, date, strlen(date) + 1);
    doc->date_source = source ? source : "option";
    return NM_OK;
}

void nm_diag_add(nm_doc *doc, nm_status code, nm_severity sev, uint64_t raw_off,
                 const char *fmt, ...)
{
    if (sev == NM_SEV_ERROR)
        doc->failed = true;
    if (doc->ndiags >= NM_MAX_DIAGS) {
        doc->dropped_diags++;
        return;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nm_diag d = {code, sev, doc->stage, raw_off, nm_arena_strdup(&doc->arena, buf)};
    NM_VEC_PUSH(doc->diags, doc->ndiags, doc->cdiags, d);
}

size_t nm_doc_diag_count(const nm_doc *doc) { return doc->ndiags; }
const nm_diag *nm_doc_diag(const nm_doc *doc, size_t i) { return &doc->diags[i]; }

void nm_doc_line_col(const nm_doc *doc, uint64_t off, unsigned long *line, unsigned long *col)
{
    unsigned long l = 1;
    uint64_t bol = 0;
    if (off > doc->raw_len)
        off = doc->raw_len;
    for (const uint8_t *p = doc->raw, *e = doc->raw + off;
         (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++) {
        l++;
        bol = (uint64_t)(p - doc->raw) + 1;
    }
    *line = l;
    *col = (unsigned long)(off - bol) + 1;
}

/* The segment holding normalized byte off (off < text_len). */
static const nm_seg *seg_at(const nm_doc *doc, uint32_t off)
{
    size_t lo = 0, hi = doc->nmap;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const nm_seg *s = &doc->map[mid];
        if (off < s->norm)
            hi = mid;
        else if (off >= s->norm + s->nlen)
            lo = mid + 1;
        else
            return s;
    }
    return NULL;
}

uint64_t nm_doc_raw_start(const nm_doc *doc, uint32_t off)
{
    if (off >= doc->text_len)
        return doc->raw_len;
    const nm_seg *s = seg_at(doc, off);
    if (!s)
        return doc->raw_len;
    return s->ident ? s->raw + (off - s->norm) : s->raw;
}

uint64_t nm_doc_raw_end(const nm_doc *doc, uint32_t off)
{
    if (off == 0)
        return 0;
    if (off > doc->text_len)
        off = (uint32_t)doc->text_len;
    const nm_seg *s = seg_at(doc, off - 1);
    if (!s)
        return doc->raw_len;
    return s->ident ? s->raw + (off - s->norm) : s->raw + s->rlen;
}

int32_t nm_fact_add(nm_doc *doc, nm_kind kind, const char *type, uint32_t start,
                    uint32_t end, const char *rule)
{
    if (!doc->cfacts) /* most articles have fewer: no growing on the way */
        nm_vec_reserve((void **)&doc->facts, &doc->cfacts, 64, sizeof *doc->facts);
    else if (doc->nfacts == doc->cfacts)
        nm_vec_reserve((void **)&doc->facts, &doc->cfacts, doc->nfacts + 1, sizeof *doc->facts);
    /* Built in place, field by field; the attribute array past nattrs is
     * never read, so it is left as it is. */
    nm_fact *f = &doc->facts[doc->nfacts];
    f->kind = kind;
    f->type = type;
    f->start = start;
    f->end = end;
    f->rstart = f->rend = 0;
    f->value = "";
    f->rule = rule;
    f->id = NULL;
    f->num = 0;
    f->carried = f->dead = 0;
    f->nattrs = 0;
    f->sent = 0;
    if (doc->nsents) { /* facts mostly come in text order: go on from the last one's sentence */
        uint32_t s = doc->sent_hint < doc->nsents ? doc->sent_hint : 0;
        if (doc->sents[s].off <= start) {
            uint32_t stop = s + 8 < doc->nsents ? s + 8 : (uint32_t)doc->nsents;
            while (s + 1 < stop && doc->sents[s + 1].off <= start)
                s++;
            if (s + 1 < doc->nsents && doc->sents[s + 1].off <= start)
                s = nm_doc_sent_at(doc, start);
        } else {
            s = nm_doc_sent_at(doc, start);
        }
        doc->sent_hint = s;
        f->sent = s + 1;
    }
    for (int i = 0; i < NM_SLOT_COUNT; i++)
        f->slot[i] = -1;
    int32_t id = (int32_t)doc->nfacts++;
    size_t *n = &doc->nby[kind];
    if (*n && doc->facts[doc->by_kind[kind][*n - 1]].start > start)
        doc->unsorted[kind] = true;
    NM_VEC_PUSH(doc->by_kind[kind], *n, doc->cby[kind], id);
    return id;
}

void nm_fact_reserve(nm_doc *doc, size_t n)
{
    if (doc->nfacts + n > doc->cfacts)
        nm_vec_reserve((void **)&doc->facts, &doc->cfacts, doc->nfacts + n, sizeof *doc->facts);
}

/* The attribute of fact i with that key: the one it has, or a new one
 * (NULL when the fact has NM_MAX_ATTRS already). */
static nm_attr *attr_slot(nm_doc *doc, int32_t i, const char *key)
{
    nm_fact *f = &doc->facts[i];
    for (uint16_t k = 0; k < f->nattrs; k++) /* keys are mostly the same literals */
        if (f->attrs[k].key == key ||
            (f->attrs[k].key[0] == key[0] && strcmp(f->attrs[k].key, key) == 0))
            return &f->attrs[k];
    if (f->nattrs == NM_MAX_ATTRS)
        return NULL;
    f->attrs[f->nattrs].key = key;
    return &f->attrs[f->nattrs++];
}

void nm_fact_attr(nm_doc *doc, int32_t i, const char *key, const char *val)
{
    nm_attr *a = attr_slot(doc, i, key);
    if (a)
        a->val = nm_arena_strdup(&doc->arena, val);
}

void nm_fact_attr_lit(nm_doc *doc, int32_t i, const char *key, const char *val)
{
    nm_attr *a = attr_slot(doc, i, key);
    if (a)
        a->val = val;
}

void nm_fact_attrf(nm_doc *doc, int32_t i, const char *key, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    nm_fact_attr(doc, i, key, buf);
}

const char *nm_fact_get(const nm_fact *f, const char *key)
{
    for (uint16_t k = 0; k < f->nattrs; k++)
        if (strcmp(f->attrs[k].key, key) == 0)
            return f->attrs[k].val;
    return NULL;
}

static bool overlaps(const nm_fact *f, uint32_t start, uint32_t end)
{
    return !f->dead && f->start < end && start < f->end;
}

int32_t nm_fact_overlap(const nm_doc *doc, nm_kind kind, uint32_t start, uint32_t end)
{
    const int32_t *v = doc->by_kind[kind];
    size_t n = doc->nby[kind];
    if (doc->unsorted[kind]) {
        for (size_t i = n; i-- > 0;)
            if (overlaps(&doc->facts[v[i]], start, end))
                return v[i];
        return -1;
    }
    size_t lo = 0, hi = n; /* first fact starting at or after end */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->facts[v[mid]].start < end)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* facts of one kind rarely nest: look back a few for a long one */
    for (size_t i = lo, k = 0; i-- > 0 && k < 16; k++)
        if (overlaps(&doc->facts[v[i]], start, end))
            return v[i];
    return -1;
}

uint32_t nm_doc_sent_at(const nm_doc *doc, uint32_t off)
{
    size_t lo = 0, hi = doc->nsents;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->sents[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

const char *nm_doc_xml(const nm_doc *doc, size_t *len)
{
    if (len)
        *len = doc->xml_len;
    return doc->xml;
}

const char *nm_doc_tsv(const nm_doc *doc, size_t *len)
{
    if (len)
        *len = doc->tsv_len;
    return doc->tsv;
}

size_t nm_doc_fact_count(const nm_doc *doc, int kind)
{
    return kind >= 0 && kind < NM_KIND_COUNT ? doc->kind_count[kind] : 0;
}

const char *nm_doc_hash(const nm_doc *doc) { return doc->hash; }

const char *nm_status_name(nm_status st)
{
    switch (st) {
    case NM_OK: return "ok";
    case NM_E_USAGE: return "usage";
    case NM_E_IO: return "io";
    case NM_E_TOO_BIG: return "too-big";
    case NM_E_UTF8: return "utf8";
    case NM_E_BINARY: return "binary";
    case NM_E_EMPTY: return "empty";
    case NM_E_LIMIT: return "limit";
    case NM_E_CONTROL: return "control";
    case NM_E_DATE: return "date";
    case NM_E_LEXICON: return "lexicon";
    case NM_E_RULE: return "rule";
    case NM_E_XML: return "xml";
    case NM_E_INTERNAL: return "internal";
    }
    return "unknown";
}
