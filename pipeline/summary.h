/* summary.h - a per-corpus summary of the EVENT facts (summary.xml).
 *
 * Events are grouped by type, actor (the canonical name of the actor
 * entity, "" when none) and period (the event date's month "YYYY-MM", its
 * year "YYYY" when only the year is known, "" when undated); each group
 * counts its events, the documents they come from and the sum of the
 * COUNT figures that count them.  An analyst reads "DEPORTATION, Russia,
 * 2024: 80,000" off one line.  schema/summary.rng describes the output.
 *
 * nm_summary_add is not thread-safe: callers serialize it.
 */
#ifndef NM_SUMMARY_H
#define NM_SUMMARY_H

#include "nm_core.h"

#define NM_SUMMARY_NS "urn:newsmine:summary:1"

typedef struct nm_summary nm_summary;

nm_summary *nm_summary_new(void);
void nm_summary_free(nm_summary *s);
/* Adds the events of a finished document (after nm_run). */
void nm_summary_add(nm_summary *s, const nm_doc *doc);
/* Adds the documents of an XML record file made earlier (an incremental
 * batch skips documents whose record is current).  Returns -1 when the
 * bytes are not a newsmine record. */
int nm_summary_add_record(nm_summary *s, const char *xml, size_t len);
/* The summary as an XML document, sorted by type, actor and period;
 * the caller frees it. */
char *nm_summary_xml(const nm_summary *s, size_t *len);

#endif
