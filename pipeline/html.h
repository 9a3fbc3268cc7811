/* html.h - the text of a news article page (internal).
 *
 * Parses untrusted HTML with libxml2's HTML parser the way browsers do
 * (recovering from any breakage, never refusing), with no network access,
 * no DTD loading and no entity expansion beyond the predefined HTML ones.
 * Keeps the article body (itemprop=articleBody, else the largest <article>,
 * else <main>, else <body>) without scripts, styles, navigation, headers,
 * footers, asides, forms and link lists; blocks become paragraphs.  The
 * title (og:title, the first <h1>, <title>) is the first paragraph.  The date
 * comes from article:published_time, JSON-LD datePublished,
 * itemprop=datePublished, <time datetime> or a common date meta, in that
 * order.
 */
#ifndef NM_HTML_H
#define NM_HTML_H

#include "newsmine.h"

#include <stdbool.h>
#include <stddef.h>

#define NM_HTML_MAX_DEPTH 200 /* elements nested deeper are dropped */

typedef struct nm_html_text {
    char *text;           /* UTF-8, NUL-terminated; owned, free with nm_html_text_free */
    size_t len;
    char *title;          /* NULL when the page has none */
    char date[11];        /* YYYY-MM-DD or YYYY-MM; "" when none */
    const char *date_from; /* static: which tag gave the date, or NULL */
    bool depth_cut;       /* content nested over max_depth was dropped */
} nm_html_text;

/* Extracts the article text of html[0, len).  max_depth 0 means
 * NM_HTML_MAX_DEPTH.  Never fails on broken HTML; returns NM_E_TOO_BIG when
 * len is over what the parser takes (INT_MAX).  *out is always set (empty
 * text at worst) and must be freed. */
nm_status nm_html_extract(const char *html, size_t len, unsigned max_depth, nm_html_text *out);
void nm_html_text_free(nm_html_text *t);

/* The date at the start of s (an ISO 8601 date-time, "YYYY-MM-DD..." or
 * "YYYY-MM"), into out[11]; false when there is none. */
bool nm_html_parse_date(const char *s, char out[11]);

#endif
