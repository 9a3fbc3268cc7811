/* emit.c - the record of a document as XML (libxml2 xmlTextWriter) and as
 * TSV in the gold format of ANNOTATION.md.
 *
 * The XML is a <document> element (the caller wraps one or more in a
 * <newsmine> root, see nm_xml_head/nm_xml_tail); schema/newsmine.rng
 * describes it.  Output is deterministic: same input and lexicons, same
 * bytes.
 */
#include "emit.h"
#include "stages.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

char *nm_clean_text(nm_doc *doc, const char *s, size_t n, bool tsv)
{
    char *out = nm_arena_alloc(&doc->arena, n * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            bool ws = c == '\t' || c == '\n' || c == '\r';
            out[o++] = (c < 0x20 && !ws) || c == 0x7F || (tsv && ws) ? ' ' : (char)c;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += k <= 0 ? 1 : (size_t)k;
        } else {
            memcpy(out + o, s + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        }
    }
    out[o] = '\0';
    return out;
}

static const char *fact_text(nm_doc *doc, const nm_fact *f, bool tsv)
{
    return nm_clean_text(doc, (const char *)doc->raw + f->rstart, (size_t)(f->rend - f->rstart), tsv);
}

/* ------------------------------------------------------------ TSV */

static void tsv_fact(nm_doc *doc, const nm_fact *f, char **buf, size_t *n, size_t *cap)
{
    char attrs[2048];
    size_t a = 0;
    attrs[0] = '\0';
    for (int s = 0; s < NM_SLOT_COUNT && a < sizeof attrs - 1; s++) /* slots first, as gold */
        if (f->slot[s] >= 0)
            a += (size_t)snprintf(attrs + a, sizeof attrs - a, "%s%s=%s", a ? ";" : "",
                                  nm_slot_names[s], doc->facts[f->slot[s]].id);
    for (uint16_t k = 0; k < f->nattrs && a < sizeof attrs - 1; k++)
        a += (size_t)snprintf(attrs + a, sizeof attrs - a, "%s%s=%s", a ? ";" : "",
                              f->attrs[k].key, f->attrs[k].val);
    if (a >= sizeof attrs)
        a = sizeof attrs - 1;
    const char *text = fact_text(doc, f, true);
    size_t need = strlen(text) + strlen(f->value) + a + 128;
    nm_vec_reserve((void **)buf, cap, *n + need, 1);
    *n += (size_t)snprintf(*buf + *n, *cap - *n, "%s\t%s\t%llu\t%llu\t%s\t%s\t%s\t%s\n", f->id,
                           nm_kind_names[f->kind], (unsigned long long)f->rstart,
                           (unsigned long long)f->rend, text, f->type, f->value, attrs);
}

static void emit_tsv(nm_doc *doc)
{
    static const char header[] = "id\tkind\tstart\tend\ttext\ttype\tvalue\tattrs\n";
    char *buf = NULL;
    size_t n = 0, cap = 0;
    nm_vec_reserve((void **)&buf, &cap, sizeof header + 1, 1);
    memcpy(buf, header, sizeof header);
    n = sizeof header - 1;
    for (size_t i = 0; i < doc->nfacts; i++)
        tsv_fact(doc, &doc->facts[i], &buf, &n, &cap);
    doc->tsv = buf;
    doc->tsv_len = n;
}

/* ------------------------------------------------------------ XML */

#define W(call)                                                                \
    do {                                                                       \
        if ((call) < 0)                                                        \
            return NM_E_XML;                                                   \
    } while (0)

static int attr(xmlTextWriterPtr w, const char *name, const char *val)
{
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST val);
}

static int attr_u(xmlTextWriterPtr w, const char *name, unsigned long long v)
{
    char buf[24];
    nm_utoa(v, buf);
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST buf);
}

static const char *const elem_names[NM_KIND_COUNT] = {"figure", "date", "entity", "event"};

/* Fact elements are many (thousands per long article) and libxml2's
 * attribute calls cost over a thousand instructions each, so facts and
 * diagnostics are escaped here and handed to the writer whole
 * (xmlTextWriterWriteRawLen).
 * nm_xml_attr_escape is the only escaper; the schema tests validate its
 * output. */
typedef struct xbuf {
    char *p;
    size_t n, cap;
} xbuf;

static void xb_put(xbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap)
        nm_vec_reserve((void **)&b->p, &b->cap, b->n + n + 1, 1);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void xb_str(xbuf *b, const char *s) { xb_put(b, s, strlen(s)); }

/* Escapes s[0..n) (n bytes, NUL bytes aside) into b. */
static void escape_n(xbuf *b, const char *s, size_t n)
{
    const char *run = s, *end = s + n;
    for (; s < end; s++) {
        const char *rep;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\t': rep = "&#9;"; break;
        case '\n': rep = "&#10;"; break;
        case '\r': rep = "&#13;"; break;
        default: continue;
        }
        xb_put(b, run, (size_t)(s - run));
        xb_str(b, rep);
        run = s + 1;
    }
    xb_put(b, run, (size_t)(end - run));
}

void nm_xml_attr_escape(xbuf *b, const char *s) { escape_n(b, s, strlen(s)); }

/* The text attribute of a fact: the raw bytes of its span, escaped straight
 * from the input when they are printable ASCII (most are), else cleaned
 * first (invalid UTF-8, control characters). */
static void xb_text_attr(xbuf *b, nm_doc *doc, const nm_fact *f)
{
    const char *s = (const char *)doc->raw + f->rstart;
    size_t n = (size_t)(f->rend - f->rstart), i = 0;
    while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F)
        i++;
    xb_str(b, " text=\"");
    if (i == n)
        escape_n(b, s, n);
    else
        nm_xml_attr_escape(b, fact_text(doc, f, false));
    xb_put(b, "\"", 1);
}

/* An attribute whose name is a literal: XB_ATTR(b, "id", val). */
#define XB_ATTR(b, name, val) xb_attr_pre((b), " " name "=\"", sizeof(" " name "=\"") - 1, (val))
#define XB_ATTR_U(b, name, v) xb_attr_u_pre((b), " " name "=\"", sizeof(" " name "=\"") - 1, (v))

static void xb_attr_pre(xbuf *b, const char *pre, size_t n, const char *val)
{
    xb_put(b, pre, n);
    nm_xml_attr_escape(b, val);
    xb_put(b, "\"", 1);
}

static void xb_attr_u_pre(xbuf *b, const char *pre, size_t n, uint64_t v)
{
    char num[24];
    size_t k = nm_utoa(v, num);
    num[k++] = '"';
    xb_put(b, pre, n);
    xb_put(b, num, k);
}

static void xb_attr(xbuf *b, const char *name, const char *val)
{
    xb_put(b, " ", 1);
    xb_str(b, name);
    xb_put(b, "=\"", 2);
    nm_xml_attr_escape(b, val);
    xb_put(b, "\"", 1);
}

static void xml_diag(nm_doc *doc, xbuf *b, const nm_diag *d)
{
    unsigned long line, col;
    nm_doc_line_col(doc, d->offset, &line, &col);
    char code[24] = "NM-";
    nm_utoa((uint64_t)d->code, code + 3);
    xb_str(b, "\n <diagnostic");
    XB_ATTR(b, "code", code);
    XB_ATTR(b, "severity", d->severity == NM_SEV_ERROR ? "error" : "warning");
    XB_ATTR(b, "stage", d->stage);
    XB_ATTR_U(b, "offset", d->offset);
    XB_ATTR_U(b, "line", line);
    XB_ATTR_U(b, "column", col);
    xb_str(b, ">");
    nm_xml_attr_escape(b, nm_clean_text(doc, d->msg, strlen(d->msg), false));
    xb_str(b, "</diagnostic>");
}

static void xml_fact(nm_doc *doc, xbuf *b, const nm_fact *f)
{
    xb_put(b, "\n <", 3);
    xb_str(b, elem_names[f->kind]);
    XB_ATTR(b, "id", f->id);
    XB_ATTR_U(b, "start", f->rstart);
    XB_ATTR_U(b, "end", f->rend);
    XB_ATTR_U(b, "sentence", f->sent);
    XB_ATTR(b, "type", f->type);
    if (f->kind == NM_FIGURE || f->kind == NM_DATE)
        XB_ATTR(b, "value", f->value);
    for (uint16_t k = 0; k < f->nattrs; k++)
        xb_attr(b, f->attrs[k].key, f->attrs[k].val);
    XB_ATTR(b, "rule", f->rule);
    xb_text_attr(b, doc, f);
    bool slots = false;
    for (int s = 0; s < NM_SLOT_COUNT; s++) {
        if (f->slot[s] < 0)
            continue;
        xb_str(b, slots ? "\n  <slot" : ">\n  <slot");
        slots = true;
        xb_attr(b, "role", nm_slot_names[s]);
        XB_ATTR(b, "ref", doc->facts[f->slot[s]].id);
        if (f->carried & (1u << s))
            XB_ATTR(b, "carried", "true");
        xb_str(b, "/>");
    }
    if (slots) {
        xb_str(b, "\n </");
        xb_str(b, elem_names[f->kind]);
        xb_str(b, ">");
    } else {
        xb_str(b, "/>");
    }
}

static nm_status xml_body(nm_doc *doc, const nm_ctx *ctx, xmlTextWriterPtr w)
{
    nm_status st = NM_OK;
    W(xmlTextWriterStartElement(w, BAD_CAST "document"));
    W(attr(w, "id", nm_clean_text(doc, doc->name, strlen(doc->name), false)));
    W(attr(w, "source", nm_clean_text(doc, doc->path, strlen(doc->path), false)));
    W(attr_u(w, "bytes", doc->raw_len));
    W(attr(w, "sha256", doc->hash));
    if (doc->origin_format)
        W(attr(w, "format", doc->origin_format));
    if (doc->origin_sha256)
        W(attr(w, "source-sha256", doc->origin_sha256));
    if (doc->title)
        W(attr(w, "title", nm_clean_text(doc, doc->title, strlen(doc->title), false)));
    if (doc->date[0])
        W(attr(w, "date", doc->date));
    W(attr(w, "date-source", doc->date_source));
    W(attr(w, "newsmine", NM_VERSION));
    W(attr(w, "rules", ctx->digest));
    W(attr_u(w, "sentences", doc->nsents));
    xbuf b = {NULL, 0, 0};
    for (size_t i = 0; i < doc->ndiags; i++)
        xml_diag(doc, &b, &doc->diags[i]);
    for (size_t i = 0; i < doc->nfacts; i++)
        xml_fact(doc, &b, &doc->facts[i]);
    if (b.n && xmlTextWriterWriteRawLen(w, BAD_CAST b.p, (int)b.n) < 0)
        st = NM_E_XML;
    free(b.p);
    NM_TRY(st);
    W(xmlTextWriterWriteRaw(w, BAD_CAST "\n"));
    W(xmlTextWriterEndElement(w));
out:
    return st;
}

nm_status nm_emit_xml(nm_doc *doc, const nm_ctx *ctx)
{
    xmlBufferPtr buf = xmlBufferCreate();
    if (!buf)
        return NM_E_XML;
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    if (!w) {
        xmlBufferFree(buf);
        return NM_E_XML;
    }
    nm_status st = xml_body(doc, ctx, w);
    xmlTextWriterFlush(w);
    xmlFreeTextWriter(w);
    if (st == NM_OK) {
        size_t n = (size_t)xmlBufferLength(buf);
        doc->xml = nm_xmalloc(n + 2);
        memcpy(doc->xml, xmlBufferContent(buf), n);
        if (n == 0 || doc->xml[n - 1] != '\n')
            doc->xml[n++] = '\n';
        doc->xml[n] = '\0';
        doc->xml_len = n;
    }
    xmlBufferFree(buf);
    return st;
}

nm_status nm_stage_emit(nm_doc *doc, const nm_ctx *ctx)
{
    unsigned fmt = ctx->opt.formats ? ctx->opt.formats : NM_FMT_XML;
    if (fmt & NM_FMT_TSV)
        emit_tsv(doc);
    if (fmt & NM_FMT_XML)
        return nm_emit_xml(doc, ctx);
    return NM_OK;
}

const char *nm_xml_head(void)
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<newsmine xmlns=\"" NM_XML_NS "\" version=\"" NM_VERSION "\">\n";
}

const char *nm_xml_tail(void) { return "</newsmine>\n"; }
