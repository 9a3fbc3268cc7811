/* html.c - the text of a news article page (see html.h). */
#include "html.h"
#include "nm_core.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define CS(x) ((const char *)(x))

enum { DATE_META_PUBLISHED, DATE_JSONLD, DATE_ITEMPROP, DATE_TIME, DATE_META_OTHER, DATE_N };
static const char *const date_from_names[DATE_N] = {
    "article:published_time", "json-ld datePublished", "itemprop datePublished",
    "time datetime", "meta date"};

/* What the first pass over the whole page finds. */
typedef struct page {
    unsigned max_depth;
    bool depth_cut;
    xmlNodePtr body, main, article_body, h1;
    xmlNodePtr *articles;
    size_t narticles, carticles;
    char *og_title, *title;
    char date[DATE_N][11];
} page;

/* The text being built: separators are held back until the next visible
 * character, so blocks never start or end with spaces. */
typedef struct text_out {
    char *s;
    size_t n, cap;
    int pending; /* 0 none, 1 space, 2 line break, 3 paragraph break */
} text_out;

/* ------------------------------------------------------------ helpers */

static bool is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcasecmp(CS(n->name), name) == 0;
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(s, *list) == 0)
            return true;
    return false;
}

/* An attribute value, owned by the caller (xmlFree), or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool attr_is(xmlNodePtr n, const char *name, const char *const *values)
{
    char *v = attr(n, name);
    bool r = v && in_list(v, values);
    xmlFree(v);
    return r;
}

bool nm_html_parse_date(const char *s, char out[11])
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    char d[11];
    snprintf(d, sizeof d, "%.10s", s);
    if (strlen(d) == 10 && nm_date_valid(d) && (s[10] < '0' || s[10] > '9')) {
        memcpy(out, d, 11);
        return true;
    }
    d[7] = '\0';
    if (nm_date_valid(d) && (s[7] == '\0' || s[7] == 'T' || s[7] == ' ' || s[7] == '"')) {
        memcpy(out, d, 8);
        return true;
    }
    return false;
}

static void set_date(page *p, int which, const char *value)
{
    if (value && !p->date[which][0])
        nm_html_parse_date(value, p->date[which]);
}

/* ------------------------------------------------------------ first pass */

/* "datePublished": "2024-03-05T..." anywhere in a JSON-LD script. */
static void jsonld_date(page *p, xmlNodePtr script)
{
    xmlChar *c = xmlNodeGetContent(script);
    for (const char *s = CS(c); s && (s = strstr(s, "\"datePublished\"")) != NULL;) {
        s += strlen("\"datePublished\"");
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (*s != ':')
            continue;
        s++;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (*s == '"') {
            set_date(p, DATE_JSONLD, s + 1);
            break;
        }
    }
    xmlFree(c);
}

static void scan_meta(page *p, xmlNodePtr n)
{
    static const char *const published[] = {"article:published_time",
                                            "og:article:published_time", NULL};
    static const char *const other[] = {
        "pubdate", "publishdate", "publish-date", "publication_date", "date", "dc.date",
        "dc.date.issued", "dcterms.date", "dcterms.created", "dcterms.issued",
        "sailthru.date", "parsely-pub-date", "og:published_time", NULL};
    char *content = attr(n, "content");
    if (!content)
        return;
    char *key = attr(n, "property");
    if (!key)
        key = attr(n, "name");
    if (key && in_list(key, published))
        set_date(p, DATE_META_PUBLISHED, content);
    else if (key && in_list(key, other))
        set_date(p, DATE_META_OTHER, content);
    if (key && strcasecmp(key, "og:title") == 0 && !p->og_title && *content)
        p->og_title = nm_xstrdup(content);
    xmlFree(key);
    xmlFree(content);
}

static void scan_element(page *p, xmlNodePtr n)
{
    static const char *const ldjson[] = {"application/ld+json", NULL};
    static const char *const date_pub[] = {"datePublished", NULL};
    static const char *const body[] = {"articleBody", NULL};
    if (is(n, "meta"))
        scan_meta(p, n);
    else if (is(n, "title") && !p->title) {
        xmlChar *c = xmlNodeGetContent(n);
        p->title = nm_xstrdup(c ? CS(c) : "");
        xmlFree(c);
    } else if (is(n, "script") && attr_is(n, "type", ldjson))
        jsonld_date(p, n);
    else if (is(n, "time")) {
        char *v = attr(n, "datetime");
        set_date(p, DATE_TIME, v);
        xmlFree(v);
    } else if (is(n, "body") && !p->body)
        p->body = n;
    else if (is(n, "main") && !p->main)
        p->main = n;
    else if (is(n, "h1") && !p->h1)
        p->h1 = n;
    else if (is(n, "article") && p->narticles < 64) /* bounds the work of pick_root */
        NM_VEC_PUSH(p->articles, p->narticles, p->carticles, n);
    if (attr_is(n, "itemprop", date_pub)) {
        char *v = attr(n, "content");
        if (!v)
            v = attr(n, "datetime");
        set_date(p, DATE_ITEMPROP, v);
        xmlFree(v);
    }
    if (!p->article_body && attr_is(n, "itemprop", body))
        p->article_body = n;
}

static void scan(page *p, xmlNodePtr n, unsigned depth)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (depth >= p->max_depth) {
            p->depth_cut = true;
            continue;
        }
        scan_element(p, n);
        scan(p, n->children, depth + 1);
    }
}

/* ------------------------------------------------------------ text */

static void out_byte(text_out *o, char c)
{
    nm_vec_reserve((void **)&o->s, &o->cap, o->n + 2, 1);
    o->s[o->n++] = c;
}

static void out_break(text_out *o, int level)
{
    if (level > o->pending)
        o->pending = level;
}

/* Text with runs of white space as one space (pre: kept as written). */
static void out_text(text_out *o, const char *s, bool pre)
{
    static const char *const seps[] = {"", " ", "\n", "\n\n"};
    for (; *s; s++) {
        char c = *s;
        bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (ws && !pre) {
            out_break(o, 1);
            continue;
        }
        if (o->pending && o->n)
            for (const char *p = seps[o->pending]; *p; p++)
                out_byte(o, *p);
        o->pending = 0;
        out_byte(o, c == '\r' ? '\n' : c);
    }
}

static bool dropped(xmlNodePtr n)
{
    static const char *const names[] = {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
        "form", "button", "select", "textarea", "input", "iframe", "frame", "frameset",
        "object", "embed", "applet", "svg", "math", "canvas", "audio", "video", "map",
        "figure", "menu", "dialog", "head", "title", NULL};
    static const char *const roles[] = {"navigation", "banner", "contentinfo", "complementary",
                                        "menu", "menubar", "search", NULL};
    static const char *const yes[] = {"true", NULL};
    if (in_list(CS(n->name), names) || attr_is(n, "role", roles) || attr_is(n, "aria-hidden", yes))
        return true;
    return xmlHasProp(n, (const xmlChar *)"hidden") != NULL;
}

/* Bytes of visible text under n, and how many of them are inside links. */
static void text_weight(xmlNodePtr n, bool in_link, unsigned depth, size_t *all, size_t *linked)
{
    for (; n && depth < NM_HTML_MAX_DEPTH; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            size_t k = 0;
            for (const xmlChar *c = n->content; c && *c; c++)
                k += *c > ' ';
            *all += k;
            *linked += in_link ? k : 0;
        } else if (n->type == XML_ELEMENT_NODE && !dropped(n)) {
            text_weight(n->children, in_link || is(n, "a"), depth + 1, all, linked);
        }
    }
}

/* A list whose text is mostly links: a menu, "related stories", tags. */
static bool link_list(xmlNodePtr n)
{
    if (!is(n, "ul") && !is(n, "ol") && !is(n, "dl"))
        return false;
    size_t all = 0, linked = 0;
    text_weight(n->children, false, 0, &all, &linked);
    return all == 0 || linked * 2 >= all;
}

static int block_level(xmlNodePtr n)
{
    static const char *const para[] = {
        "p", "div", "section", "article", "main", "body", "blockquote", "h1", "h2", "h3",
        "h4", "h5", "h6", "ul", "ol", "dl", "table", "pre", "address", "hr", "center",
        "details", "summary", "fieldset", "figcaption", "caption", NULL};
    static const char *const line[] = {"br", "li", "tr", "dt", "dd", "option", NULL};
    static const char *const cell[] = {"td", "th", NULL};
    const char *name = CS(n->name);
    return in_list(name, para) ? 3 : in_list(name, line) ? 2 : in_list(name, cell) ? 1 : 0;
}

static void emit_children(page *p, text_out *o, xmlNodePtr n, unsigned depth, bool pre);

static void emit_node(page *p, text_out *o, xmlNodePtr n, unsigned depth, bool pre)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        out_text(o, n->content ? CS(n->content) : "", pre);
        return;
    }
    if (n->type != XML_ELEMENT_NODE || dropped(n) || link_list(n))
        return;
    if (depth >= p->max_depth) {
        p->depth_cut = true;
        return;
    }
    int level = block_level(n);
    out_break(o, level);
    emit_children(p, o, n->children, depth + 1, pre || is(n, "pre"));
    out_break(o, level);
}

static void emit_children(page *p, text_out *o, xmlNodePtr n, unsigned depth, bool pre)
{
    for (; n; n = n->next)
        emit_node(p, o, n, depth, pre);
}

static unsigned node_depth(xmlNodePtr n)
{
    unsigned d = 0;
    for (; n && n->parent && n->parent->type == XML_ELEMENT_NODE; n = n->parent)
        d++;
    return d;
}

/* ------------------------------------------------------------ the page */

/* The element holding the article: itemprop=articleBody, the <article>
 * with the most text, <main>, <body>, the root. */
static xmlNodePtr pick_root(page *p, xmlDocPtr doc)
{
    if (p->article_body)
        return p->article_body;
    xmlNodePtr best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < p->narticles; i++) {
        text_out t = {0};
        emit_node(p, &t, p->articles[i], node_depth(p->articles[i]), false);
        if (!best || t.n > best_len) {
            best = p->articles[i];
            best_len = t.n;
        }
        free(t.s);
    }
    if (best)
        return best;
    return p->main ? p->main : p->body ? p->body : xmlDocGetRootElement(doc);
}

static char *page_title(page *p)
{
    text_out t = {0};
    if (p->og_title)
        out_text(&t, p->og_title, false);
    else if (p->h1)
        emit_children(p, &t, p->h1->children, node_depth(p->h1) + 1, false);
    if (!t.n && p->title)
        out_text(&t, p->title, false);
    if (!t.n) {
        free(t.s);
        return NULL;
    }
    t.s[t.n] = '\0';
    return t.s;
}

static bool valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* The page's declared charset decides; without one, UTF-8 when the bytes
 * are UTF-8, else windows-1252, as browsers do (libxml2 alone would assume
 * ISO-8859-1, which today's pages rarely are). */
static const char *guess_encoding(const char *html, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 7 <= n; i++)
        if (strncasecmp(html + i, "charset", 7) == 0)
            return NULL;
    return valid_utf8(html, len) ? "UTF-8" : "windows-1252";
}

static void page_free(page *p)
{
    free(p->articles);
    free(p->og_title);
    free(p->title);
}

static void finish(page *p, xmlDocPtr doc, nm_html_text *out)
{
    text_out t = {0};
    char *title = page_title(p);
    if (title)
        out_text(&t, title, false);
    xmlNodePtr root = pick_root(p, doc);
    text_out body = {0};
    if (root)
        emit_node(p, &body, root, node_depth(root), false);
    size_t tl = title ? strlen(title) : 0;
    bool repeats = title && body.n >= tl && memcmp(body.s, title, tl) == 0;
    if (body.n) {
        body.s[body.n] = '\0';
        out_break(&t, 3);
        const char *rest = repeats ? body.s + tl : body.s;
        while (*rest == ' ' || *rest == '\n')
            rest++;
        out_text(&t, rest, true);
    }
    free(body.s);
    nm_vec_reserve((void **)&t.s, &t.cap, t.n + 2, 1);
    if (t.n)
        t.s[t.n++] = '\n';
    t.s[t.n] = '\0';
    out->text = t.s;
    out->len = t.n;
    out->title = title;
    for (int i = 0; i < DATE_N && !out->date[0]; i++)
        if (p->date[i][0]) {
            memcpy(out->date, p->date[i], sizeof out->date);
            out->date_from = date_from_names[i];
        }
}

nm_status nm_html_extract(const char *html, size_t len, unsigned max_depth, nm_html_text *out)
{
    memset(out, 0, sizeof *out);
    if (len > INT_MAX) {
        out->text = nm_xstrdup("");
        return NM_E_TOO_BIG;
    }
    int opts = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER;
    xmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, guess_encoding(html, len), opts);
    page p = {0};
    p.max_depth = max_depth ? max_depth : NM_HTML_MAX_DEPTH;
    if (doc)
        scan(&p, doc->children, 0);
    finish(&p, doc, out);
    out->depth_cut = p.depth_cut;
    page_free(&p);
    xmlFreeDoc(doc);
    return NM_OK;
}

void nm_html_text_free(nm_html_text *t)
{
    free(t->text);
    free(t->title);
    memset(t, 0, sizeof *t);
}
