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
    return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%llu", v);
}

static nm_status xml_diag(nm_doc *doc, xmlTextWriterPtr w, const nm_diag *d)
{
    unsigned long line, col;
    nm_doc_line_col(doc, d->offset, &line, &col);
    W(xmlTextWriterStartElement(w, BAD_CAST "diagnostic"));
    W(xmlTextWriterWriteFormatAttribute(w, BAD_CAST "code", "NM-%d", (int)d->code));
    W(attr(w, "severity", d->severity == NM_SEV_ERROR ? "error" : "warning"));
    W(attr(w, "stage", d->stage));
    W(attr_u(w, "offset", d->offset));
    W(attr_u(w, "line", line));
    W(attr_u(w, "column", col));
    W(xmlTextWriterWriteString(w, BAD_CAST nm_clean_text(doc, d->msg, strlen(d->msg), false)));
    W(xmlTextWriterEndElement(w));
    return NM_OK;
}

static const char *const elem_names[NM_KIND_COUNT] = {"figure", "date", "entity", "event"};

static nm_status xml_fact(nm_doc *doc, xmlTextWriterPtr w, const nm_fact *f)
{
    W(xmlTextWriterStartElement(w, BAD_CAST elem_names[f->kind]));
    W(attr(w, "id", f->id));
    W(attr_u(w, "start", f->rstart));
    W(attr_u(w, "end", f->rend));
    W(attr_u(w, "sentence", f->sent));
    W(attr(w, "type", f->type));
    if (f->kind == NM_FIGURE || f->kind == NM_DATE)
        W(attr(w, "value", f->value));
    for (uint16_t k = 0; k < f->nattrs; k++)
        W(attr(w, f->attrs[k].key, f->attrs[k].val));
    W(attr(w, "rule", f->rule));
    W(attr(w, "text", fact_text(doc, f, false)));
    for (int s = 0; s < NM_SLOT_COUNT; s++) {
        if (f->slot[s] < 0)
            continue;
        W(xmlTextWriterStartElement(w, BAD_CAST "slot"));
        W(attr(w, "role", nm_slot_names[s]));
        W(attr(w, "ref", doc->facts[f->slot[s]].id));
        if (f->carried & (1u << s))
            W(attr(w, "carried", "true"));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
    return NM_OK;
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
    for (size_t i = 0; i < doc->ndiags; i++)
        NM_TRY(xml_diag(doc, w, &doc->diags[i]));
    for (size_t i = 0; i < doc->nfacts; i++)
        NM_TRY(xml_fact(doc, w, &doc->facts[i]));
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
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, BAD_CAST " ");
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
