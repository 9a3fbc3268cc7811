/* lexicon.c - parse and check lexicon lists (see lexicons/README.md). */
#include "lexicon.h"
#include "nm_sha256.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

/* What each @kind accepts: its types (NULL: any or none) and the
 * attributes every entry must have. */
typedef struct kind_rule {
    const char *kind;
    const char *const *types;
    const char *required;
} kind_rule;

static const char *const entity_types[] = {"PERSON", "ORG", "GPE", "LOC", "FACILITY", "NORP", NULL};
static const char *const number_forms[] = {"cardinal", "fraction", "multiplier", NULL};
static const char *const event_types[] = {
    "DEPORTATION", "ENTRY_BAN", "WORK_AUTHORIZATION", "QUOTA", "VISA_POLICY",
    "LEGISLATION", "ENFORCEMENT", "CITIZENSHIP", "REGISTRATION", "RESTRICTION",
    "PROGRAM", "DIPLOMACY", "RECRUITMENT", NULL};

static const kind_rule kind_rules[] = {
    {"ENTITY", entity_types, NULL},
    {"CURRENCY", NULL, "code"},
    {"NUMBER", number_forms, "value"},
    {"SCALE", NULL, "value"},
    {"QUALIFIER", NULL, "qualifier"},
    {"ABBREVIATION", NULL, NULL},
    {"COUNTED", NULL, "lemma"},
    {"CHANGE", NULL, "change"},
    {"UNIT", NULL, "unit"},
    {"WORDCLASS", NULL, "class"},
    {"TRIGGER", event_types, NULL},
    {"EVENTCUE", NULL, "class"},
    {"DATEWORD", NULL, "value"},
    {"NAMECUE", NULL, "class"},
};

static const kind_rule *find_kind(const char *k)
{
    for (size_t i = 0; i < sizeof kind_rules / sizeof kind_rules[0]; i++)
        if (strcmp(kind_rules[i].kind, k) == 0)
            return &kind_rules[i];
    return NULL;
}

static void lex_msg(nm_lexset *ls, const char *path, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void lex_msg(nm_lexset *ls, const char *path, uint32_t line, const char *fmt, ...)
{
    char buf[600];
    int n = line ? snprintf(buf, sizeof buf, "%s:%u: ", path, line)
                 : snprintf(buf, sizeof buf, "%s: ", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
    va_end(ap);
    NM_VEC_PUSH(ls->msgs, ls->nmsgs, ls->cmsgs, nm_xstrdup(buf));
}

const char *nm_lex_attr(const nm_lex_entry *e, const char *key)
{
    for (uint16_t i = 0; i < e->nattrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0)
            return e->attrs[i].val;
    return NULL;
}

static bool type_ok(const kind_rule *kr, const char *t)
{
    if (!kr->types || !*t)
        return true;
    for (const char *const *p = kr->types; *p; p++)
        if (strcmp(*p, t) == 0)
            return true;
    return false;
}

static bool key_ok(const char *k, size_t n)
{
    if (n == 0 || !((k[0] >= 'a' && k[0] <= 'z') || k[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
            return false;
    return true;
}

typedef struct parse_state {
    nm_lexset *ls;
    nm_lex_list *list;
    const char *path;
    uint32_t line;
    int errors;
} parse_state;

static void perr(parse_state *ps, const char *fmt, const char *arg)
{
    lex_msg(ps->ls, ps->path, ps->line, fmt, arg);
    ps->errors++;
}

static char *dup_trim(nm_arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return nm_arena_strndup(a, s, n);
}

static void parse_attrs(parse_state *ps, nm_lex_entry *e, const char *s, size_t n);

static void directive(parse_state *ps, const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] != ' ' && s[k] != '\t')
        k++;
    char *name = nm_arena_strndup(&ps->ls->arena, s + 1, k - 1);
    char *val = dup_trim(&ps->ls->arena, s + k, n - k);
    nm_lex_list *l = ps->list;
    if (strcmp(name, "kind") == 0) {
        if (l->n)
            perr(ps, "@kind must come before the first entry (%s)", val);
        else if (!find_kind(val))
            perr(ps, "unknown kind '%s'", val);
        else
            l->kind = val;
    } else if (strcmp(name, "type") == 0) {
        const kind_rule *kr = l->kind ? find_kind(l->kind) : NULL;
        if (!kr)
            perr(ps, "@type %s before @kind", val);
        else if (!type_ok(kr, val))
            perr(ps, "unknown type '%s' for this kind", val);
        else
            l->type = val;
    } else if (strcmp(name, "case") == 0) {
        if (strcmp(val, "sensitive") == 0)
            l->icase = false;
        else if (strcmp(val, "insensitive") == 0)
            l->icase = true;
        else
            perr(ps, "@case must be 'sensitive' or 'insensitive', not '%s'", val);
    } else if (strcmp(name, "attrs") == 0) {
        memset(&l->defaults, 0, sizeof l->defaults);
        parse_attrs(ps, &l->defaults, val, strlen(val));
    } else if (strcmp(name, "source") == 0 || strcmp(name, "license") == 0 ||
               strcmp(name, "generated") == 0) {
        if (strcmp(name, "source") == 0)
            l->source = val;
    } else {
        perr(ps, "unknown directive '@%s'", name);
    }
}

/* Sets key=value on e; a later value of the same key replaces the earlier
 * one (an entry's own attributes override the list's @attrs). */
static void set_attr(parse_state *ps, nm_lex_entry *e, const char *key, const char *val)
{
    for (uint16_t i = 0; i < e->nattrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0) {
            e->attrs[i].val = val;
            return;
        }
    if (e->nattrs >= NM_LEX_MAX_ATTRS)
        perr(ps, "too many attributes (at most 8): '%s'", key);
    else
        e->attrs[e->nattrs++] = (nm_attr){key, val};
}

static void parse_attrs(parse_state *ps, nm_lex_entry *e, const char *s, size_t n)
{
    nm_arena *a = &ps->ls->arena;
    while (n) {
        const char *semi = memchr(s, ';', n);
        size_t len = semi ? (size_t)(semi - s) : n;
        const char *eq = memchr(s, '=', len);
        char *item = dup_trim(a, s, len);
        if (*item) {
            if (!eq) {
                perr(ps, "attribute '%s' is not key=value", item);
            } else {
                char *key = dup_trim(a, s, (size_t)(eq - s));
                char *val = dup_trim(a, eq + 1, len - (size_t)(eq - s) - 1);
                if (!key_ok(key, strlen(key)))
                    perr(ps, "bad attribute name '%s'", key);
                else
                    set_attr(ps, e, key, val);
            }
        }
        if (!semi)
            break;
        n -= len + 1;
        s = semi + 1;
    }
}

static void check_entry(parse_state *ps, nm_lex_entry *e, const kind_rule *kr)
{
    const char *t = nm_lex_attr(e, "type");
    if (t) {
        if (!type_ok(kr, t))
            perr(ps, "unknown type '%s' for this kind", t);
        e->type = t;
    }
    if (kr->types && kr == find_kind("ENTITY") && !*e->type)
        perr(ps, "entry '%s' has no type (set @type or type=)", e->surface);
    if (kr->required && !nm_lex_attr(e, kr->required)) {
        char what[160];
        snprintf(what, sizeof what, "%s' needs the attribute '%s", e->surface, kr->required);
        perr(ps, "entry '%s'", what);
    }
    const char *c = nm_lex_attr(e, "canonical");
    if (c)
        e->canonical = c;
}

static bool is_nfc(const char *s, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = false;
    if (ascii)
        return true;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    bool ok = m >= 0 && (size_t)m == n && memcmp(out, s, n) == 0;
    free(out);
    return ok;
}

static bool utf8_ok(const char *s, size_t n)
{
    utf8proc_int32_t cp;
    for (size_t i = 0; i < n;) {
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
    }
    return true;
}

static void entry_line(parse_state *ps, const char *s, size_t n)
{
    nm_lex_list *l = ps->list;
    const kind_rule *kr = l->kind ? find_kind(l->kind) : NULL;
    if (!kr) {
        perr(ps, "entry before @kind%s", "");
        return;
    }
    const char *tab = memchr(s, '\t', n);
    size_t slen = tab ? (size_t)(tab - s) : n;
    nm_lex_entry e;
    memset(&e, 0, sizeof e);
    e.line = ps->line;
    e.surface = dup_trim(&ps->ls->arena, s, slen);
    e.type = l->type;
    e.canonical = e.surface;
    e.icase = l->icase;
    if (!*e.surface) {
        perr(ps, "empty surface form%s", "");
        return;
    }
    e.nattrs = l->defaults.nattrs;
    memcpy(e.attrs, l->defaults.attrs, sizeof e.attrs);
    if (tab)
        parse_attrs(ps, &e, tab + 1, n - slen - 1);
    check_entry(ps, &e, kr);
    NM_VEC_PUSH(l->entries, l->n, l->cap, e);
}

static void parse_line(parse_state *ps, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    if (!utf8_ok(s, n)) {
        perr(ps, "line is not valid UTF-8%s", "");
        return;
    }
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n || s[i] == '#')
        return;
    if (!is_nfc(s, n))
        perr(ps, "line is not in Unicode NFC (normalize the file, e.g. with uconv -x nfc)%s", "");
    else if (s[i] == '@')
        directive(ps, s + i, n - i);
    else
        entry_line(ps, s, n);
}

typedef struct surf_ref {
    const char *s;
    size_t i;
} surf_ref;

static int surf_cmp(const void *a, const void *b)
{
    const surf_ref *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* Same surface twice in one list with different canonical names or types. */
static void check_dups(parse_state *ps)
{
    nm_lex_list *l = ps->list;
    if (l->n < 2)
        return;
    surf_ref *p = nm_xmalloc(l->n * sizeof *p);
    for (size_t i = 0; i < l->n; i++)
        p[i] = (surf_ref){l->entries[i].surface, i};
    qsort(p, l->n, sizeof *p, surf_cmp);
    for (size_t i = 1; i < l->n; i++) {
        const nm_lex_entry *a = &l->entries[p[i - 1].i], *b = &l->entries[p[i].i];
        if (strcmp(a->surface, b->surface) != 0 ||
            (strcmp(a->canonical, b->canonical) == 0 && strcmp(a->type, b->type) == 0))
            continue;
        char buf[300];
        snprintf(buf, sizeof buf, "'%s' is already at line %u with canonical '%s' and type '%s'",
                 b->surface, a->line, a->canonical, a->type);
        ps->line = b->line;
        perr(ps, "%s", buf);
    }
    free(p);
}

nm_status nm_lexset_load_mem(nm_lexset *ls, const char *path, const char *data, size_t len)
{
    nm_lex_list l;
    memset(&l, 0, sizeof l);
    l.path = nm_arena_strdup(&ls->arena, path);
    l.type = "";
    l.source = "";
    parse_state ps = {ls, &l, l.path, 0, 0};
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        ps.line++;
        parse_line(&ps, data + i, n);
        i += n + 1;
    }
    if (!l.kind && ps.errors == 0) {
        ps.line = 1;
        perr(&ps, "no @kind directive%s", "");
    }
    check_dups(&ps);
    if (!l.kind)
        l.kind = "";
    NM_VEC_PUSH(ls->lists, ls->nlists, ls->clists, l);
    return ps.errors ? NM_E_LEXICON : NM_OK;
}

static char *read_file(const char *path, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        nm_vec_reserve((void **)&buf, &cap, n + 65536, 1);
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    *err = ferror(f) ? EIO : 0;
    fclose(f);
    if (*err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

nm_status nm_lexset_load_file(nm_lexset *ls, const char *path, const char *relname)
{
    size_t len = 0;
    int err = 0;
    char *data = read_file(path, &len, &err);
    if (!data) {
        lex_msg(ls, path, 0, "cannot read: %s", strerror(err));
        return NM_E_IO;
    }
    nm_sha256_update(&ls->sha, relname, strlen(relname) + 1);
    nm_sha256_update(&ls->sha, data, len);
    ls->nfiles++;
    nm_status st = nm_lexset_load_mem(ls, path, data, len);
    free(data);
    return st;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the paths (relative to root) of every *.lst below root/rel. */
static void walk(const char *root, const char *rel, char ***v, size_t *n, size_t *cap, int depth)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d || depth > 16) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        if (nm[0] == '.')
            continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", nm);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        size_t L = strlen(nm);
        if (S_ISDIR(st.st_mode))
            walk(root, sub, v, n, cap, depth + 1);
        else if (S_ISREG(st.st_mode) && L > 4 && strcmp(nm + L - 4, ".lst") == 0)
            NM_VEC_PUSH(*v, *n, *cap, nm_xstrdup(sub));
    }
    closedir(d);
}

nm_status nm_lexset_load_dir(nm_lexset *ls, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        lex_msg(ls, dir, 0, "lexicon directory not found%s", "");
        return NM_E_IO;
    }
    if (!ls->sha_started) {
        nm_sha256_init(&ls->sha);
        ls->sha_started = true;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    walk(dir, "", &v, &n, &cap, 0);
    qsort(v, n, sizeof *v, str_cmp);
    nm_status res = NM_OK;
    for (size_t i = 0; i < n; i++) {
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", dir, v[i]);
        nm_status st2 = nm_lexset_load_file(ls, full, v[i]);
        if (st2 != NM_OK && res == NM_OK)
            res = st2 == NM_E_IO ? NM_E_IO : NM_E_LEXICON;
        free(v[i]);
    }
    free(v);
    return res;
}

void nm_lexset_finish_digest(nm_lexset *ls, const char *rules_text)
{
    if (!ls->sha_started)
        nm_sha256_init(&ls->sha);
    nm_sha256_update(&ls->sha, rules_text, strlen(rules_text));
    nm_sha256_final(&ls->sha, ls->digest);
}

void nm_lexset_free(nm_lexset *ls)
{
    for (size_t i = 0; i < ls->nlists; i++)
        free(ls->lists[i].entries);
    free(ls->lists);
    for (size_t i = 0; i < ls->nmsgs; i++)
        free(ls->msgs[i]);
    free(ls->msgs);
    nm_arena_free(&ls->arena);
    memset(ls, 0, sizeof *ls);
}
