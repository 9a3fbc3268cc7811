/* lexicon.h - loading and checking the user-editable lexicon lists.
 *
 * The format is described in lexicons/README.md.  A set of lists is loaded
 * from one or more directories; every problem is recorded as
 * "file:line: message" and loading goes on, so a user sees all problems at
 * once.  The set is read-only after loading and may be shared by threads.
 */
#ifndef NM_LEXICON_H
#define NM_LEXICON_H

#include "nm_core.h"
#include "nm_sha256.h"

#define NM_LEX_MAX_ATTRS 8

typedef struct nm_lex_entry {
    const char *surface;   /* as written (NFC) */
    const char *type;      /* entry type or the list's @type, may be "" */
    const char *canonical; /* canonical= or the surface */
    uint32_t line;
    bool icase;            /* the @case in force at this entry */
    uint16_t nattrs;
    nm_attr attrs[NM_LEX_MAX_ATTRS]; /* keys and values in the set's arena */
} nm_lex_entry;

typedef struct nm_lex_list {
    const char *path;   /* as given, for messages */
    const char *kind;   /* "ENTITY", "CURRENCY", ... */
    const char *type;   /* default type, may be "" */
    const char *source; /* @source text, may be "" */
    bool icase;         /* the @case in force at the end of the list */
    nm_lex_entry defaults; /* attributes of the @attrs in force */
    nm_lex_entry *entries;
    size_t n, cap;
} nm_lex_list;

typedef struct nm_lexset {
    nm_arena arena;
    nm_lex_list *lists;
    size_t nlists, clists;
    char **msgs;
    size_t nmsgs, cmsgs;
    uint8_t digest[32];  /* over every file's path (relative) and bytes */
    nm_sha256 sha;
    bool sha_started;
    size_t nfiles;
} nm_lexset;

/* Loads every *.lst below dir (sorted).  Returns NM_E_LEXICON when any
 * problem was found (the messages say which), NM_E_IO when dir is missing. */
nm_status nm_lexset_load_dir(nm_lexset *ls, const char *dir);
/* Loads one list file. */
nm_status nm_lexset_load_file(nm_lexset *ls, const char *path, const char *relname);
/* Parses a list from memory (tests); path is used in messages. */
nm_status nm_lexset_load_mem(nm_lexset *ls, const char *path, const char *data, size_t len);
void nm_lexset_free(nm_lexset *ls);
void nm_lexset_finish_digest(nm_lexset *ls, const char *rules_text);

const char *nm_lex_attr(const nm_lex_entry *e, const char *key);

#endif
