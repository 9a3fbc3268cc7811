/* pattern.h - PCRE2 patterns with match and depth limits.
 *
 * Patterns are compiled once (JIT where available) into a read-only
 * nm_pattern shared by threads.  Matching uses per-document scratch
 * (match data, match context with limits); a limit hit becomes an
 * NM_E_LIMIT diagnostic on the document and the search stops, so no input
 * can make a pattern run away.
 */
#ifndef NM_PATTERN_H
#define NM_PATTERN_H

#include "nm_core.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define NM_MATCH_LIMIT 100000u
#define NM_DEPTH_LIMIT 1000u

typedef struct nm_pattern {
    const char *id;
    pcre2_code *code;
    uint32_t ncap;
    bool jit; /* JIT-compiled: matched through the cheaper pcre2_jit_match */
    bool anchored; /* compiled with PCRE2_ANCHORED: nm_pattern_at can use JIT */
} nm_pattern;

/* Compiles src (UTF, no UCP: classes are explicit).  On failure writes a
 * message "id: offset N: reason" into err and returns NM_E_RULE. */
nm_status nm_pattern_compile(nm_pattern *p, const char *id, const char *src, uint32_t opts,
                             char *err, size_t errlen);
void nm_pattern_free(nm_pattern *p);

/* Searches doc->text from start.  Returns 1 and fills ov (pairs of
 * normalized offsets, at most nov pairs) on a match, 0 when there is none,
 * -1 when a limit was hit (a diagnostic was added). */
int nm_pattern_find(const nm_pattern *p, nm_doc *doc, size_t start, size_t *ov, size_t nov);
/* Anchored match at exactly pos; same return values.  Through JIT only
 * for a pattern compiled with PCRE2_ANCHORED (JIT has no match-time
 * anchoring). */
int nm_pattern_at(const nm_pattern *p, nm_doc *doc, size_t pos, size_t *ov, size_t nov);

void nm_match_scratch_free(nm_match_scratch *s);

#endif
