/* eval.c — `newsmine eval`: command line and driver (score.py main() and
 * score_dirs()). The report matches `python3 tools/score.py` byte for byte. */
#include "eval.h"
#include "eval_priv.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_line[] =
    "usage: newsmine eval [-h] [--kinds KINDS] [--map KIND:A=B,...] [--text-dir DIR |\n"
    "                     --no-text-check] [--json] GOLD_DIR SYS_DIR\n";

static const char help_text[] =
    "\n"
    "Score fact-extraction TSV files against gold TSV files (see ANNOTATION.md);\n"
    "a C port of tools/score.py that prints the same report.\n"
    "\n"
    "options:\n"
    "  -h, --help           show this help message and exit\n"
    "  --kinds KINDS        comma list of kinds to report (default: all present)\n"
    "  --map KIND:A=B,...   merge types before matching, e.g.\n"
    "                       ENTITY:GPE=LOC,FACILITY=LOC; '*' = any other type,\n"
    "                       target '-' drops the type (may be repeated)\n"
    "  --text-dir DIR       directory holding <doc>.txt for the text check\n"
    "  --no-text-check      do not compare annotation texts with <doc>.txt\n"
    "  --json               print the report as JSON\n"
    "\n"
    "Every GOLD_DIR/<doc>.tsv except documents.tsv is one document; SYS_DIR/<doc>.tsv\n"
    "is the system's output for it (a missing file counts as empty; files for\n"
    "documents not in gold are ignored with a warning). Both use the ANNOTATION.md\n"
    "format: header `id kind start end text type value attrs`, byte offsets, attrs\n"
    "`key=value;key=value`. Blank lines and lines starting with '#' are skipped.\n"
    "\n"
    "Per kind and type it prints gold and system counts, strict P/R/F1 (same start\n"
    "and end), relaxed P/R/F1 (overlapping spans, same kind and type, one-to-one,\n"
    "greedy by overlap size; ties go to the exact span, then the closest\n"
    "boundaries), value accuracy for FIGURE and DATE over relaxed matches whose\n"
    "gold value is non-empty (numbers within relative tolerance 1e-6, unit\n"
    "compared case-insensitively, PERCENT without unit = percent) and slot\n"
    "accuracy for EVENT (right / (gold slot ids + system slot ids - right)).\n"
    "A total line per kind is micro-averaged over its types.\n"
    "\n"
    "Text check: where <doc>.txt is found (--text-dir, else GOLD_DIR, else its\n"
    "parent), each gold line's text must equal the file bytes start..end (TAB, CR\n"
    "and LF in the span may be written as spaces) or the gold is refused; system\n"
    "lines that do not match are counted and warned about on stderr.\n"
    "\n"
    "Exit status: 0 after scoring; 2 on a malformed TSV line (reported as\n"
    "file:line: reason), a refused gold file, or bad arguments.\n";

typedef struct {
    const char *pos[2];
    const char *kinds, *text_dir;
    const char **maps;
    size_t nmaps;
    int no_text_check, json, help;
} args;

typedef struct {
    char **v;
    size_t n, cap;
} strvec;

typedef struct {
    const args *a;
    nm_ereport rep;
    nm_ecells cells;
    nm_emaps maps;
    strvec docs, missing, warnings;
    nm_ebuf err;
} run;

static void sv_push(strvec *s, char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = nm_eval_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = str;
}

static void sv_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

/* ---------------------------------------------------------------- arguments */

static const char *const long_opts[] = {"--kinds", "--map", "--text-dir", "--no-text-check",
                                        "--json", "--help"};
enum { OPT_KINDS, OPT_MAP, OPT_TEXT_DIR, OPT_NO_TEXT, OPT_JSON, OPT_HELP, NOPTS };

/* Option index for s (exact, or an unambiguous prefix of a long option);
 * -1 unknown, -2 ambiguous. */
static int find_opt(const char *s, size_t len)
{
    int found = -1;
    if (len == 2 && !strncmp(s, "-h", 2))
        return OPT_HELP;
    if (len < 3 || strncmp(s, "--", 2))
        return -1;
    for (int i = 0; i < NOPTS; i++) {
        if (strlen(long_opts[i]) == len && !strncmp(s, long_opts[i], len))
            return i;
        if (!strncmp(s, long_opts[i], len))
            found = found == -1 ? i : -2;
    }
    return found;
}

static int arg_error(run *r, const char *fmt, const char *what)
{
    nm_ebuf_printf(&r->err, fmt, what);
    return 2;
}

static int set_value(args *a, int opt, const char *val)
{
    if (opt == OPT_KINDS)
        a->kinds = val;
    else if (opt == OPT_TEXT_DIR)
        a->text_dir = val;
    else {
        a->maps = nm_eval_xrealloc(a->maps, (a->nmaps + 1) * sizeof *a->maps);
        a->maps[a->nmaps++] = val;
    }
    return 0;
}

/* Length of the option name in s: before '=' for --opt=value, 2 for -hVALUE. */
static size_t opt_name_len(const char *s)
{
    const char *eq = strchr(s, '=');
    if (s[1] != '-')
        return s[1] == 'h' ? 2 : strlen(s);
    return eq ? (size_t)(eq - s) : strlen(s);
}

static int find_opt_arg(const char *s)
{
    return find_opt(s, opt_name_len(s));
}

/* argparse's _parse_optional(): is this argument an option rather than a value? */
static int looks_optional(const char *s)
{
    const char *p = s + 1;
    if (s[0] != '-' || !s[1])
        return 0;
    if (find_opt_arg(s) != -1)
        return 1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.' && p[1])
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (!*p)
        return 0;     /* "-5", "-.5" are negative numbers */
    return !strchr(s, ' ');
}

/* One known (or ambiguous) option at argv[*i]; 0 or 2 with the message in r->err. */
static int take_option(run *r, args *a, int argc, char **argv, int *i)
{
    const char *s = argv[*i];
    size_t len = opt_name_len(s);
    const char *explicit = s[len] ? s + len + (s[len] == '=') : NULL;
    int opt = find_opt(s, len);
    if (opt == -2)
        return arg_error(r, "ambiguous option: %s", s);
    if (opt >= OPT_NO_TEXT) {
        if (explicit) {
            nm_ebuf_printf(&r->err, "argument %s: ignored explicit argument '%s'",
                           opt == OPT_HELP ? "-h/--help" : long_opts[opt], explicit);
            return 2;
        }
        *(opt == OPT_NO_TEXT ? &a->no_text_check : opt == OPT_JSON ? &a->json : &a->help) = 1;
        return 0;
    }
    if (explicit)
        return set_value(a, opt, explicit);
    if (*i + 1 >= argc || looks_optional(argv[*i + 1]))
        return arg_error(r, "argument %s: expected one argument", long_opts[opt]);
    return set_value(a, opt, argv[++*i]);
}

static int parse_args(run *r, args *a, int argc, char **argv)
{
    int npos = 0, dashdash = 0;
    nm_ebuf extra = {0};
    for (int i = 1; i < argc; i++) {
        if (!dashdash && !strcmp(argv[i], "--")) {
            dashdash = 1;
        } else if (!dashdash && looks_optional(argv[i]) && find_opt_arg(argv[i]) == -1) {
            nm_ebuf_printf(&extra, "%s%s", extra.n ? " " : "", argv[i]);
        } else if (!dashdash && looks_optional(argv[i])) {
            if (take_option(r, a, argc, argv, &i) || a->help)
                break;   /* like argparse, --help acts at once */
        } else if (npos < 2) {
            a->pos[npos++] = argv[i];
        } else {
            nm_ebuf_printf(&extra, "%s%s", extra.n ? " " : "", argv[i]);
        }
    }
    if (!r->err.n && extra.n && !a->help)
        arg_error(r, "unrecognized arguments: %s", extra.p);
    nm_ebuf_free(&extra);
    if (r->err.n)
        return 2;
    if (!a->help && (!a->pos[0] || !a->pos[1] || !*a->pos[0] || !*a->pos[1]))
        return arg_error(r, "%s", "GOLD_DIR and SYS_DIR are required");
    return 0;
}

/* --kinds: the kinds to report, in the order given, each once. */
static int parse_kinds(run *r, const char *spec)
{
    nm_eslice rest = nm_es(spec ? spec : "");
    nm_ebuf bad = {0};
    while (rest.n) {
        const char *comma = memchr(rest.p, ',', rest.n);
        nm_eslice item = {rest.p, comma ? (size_t)(comma - rest.p) : rest.n};
        nm_ebuf up = {0};
        int k, seen = 0;
        rest.n -= item.n + (comma != NULL);
        rest.p += item.n + (comma != NULL);
        if (!nm_py_strip(item).n)
            continue;
        nm_py_upper(nm_py_strip(item), &up);
        for (k = 0; k < NM_EK_N && !nm_es_eqs(nm_ebuf_slice(&up), nm_eval_kind_names[k]); k++)
            ;
        for (int j = 0; j < r->rep.nkinds; j++)
            seen |= r->rep.kinds[j] == k;
        if (k == NM_EK_N) {
            nm_ebuf_puts(&bad, bad.n ? "," : "");
            nm_ebuf_adds(&bad, nm_ebuf_slice(&up));
        } else if (!seen) {
            r->rep.kinds[r->rep.nkinds++] = k;
        }
        nm_ebuf_free(&up);
    }
    if (bad.n)
        nm_ebuf_printf(&r->err, "--kinds: unknown kind(s) %s", bad.p);
    nm_ebuf_free(&bad);
    return r->err.n ? 2 : 0;
}

/* ---------------------------------------------------------------- files */

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int doc_cmp(const void *x, const void *y)
{
    return nm_py_cmp(nm_es(*(char *const *)x), nm_es(*(char *const *)y));
}

/* list_docs(): sorted <doc> of every <doc>.tsv but documents.tsv; 0 or 2. */
static int list_docs(run *r, const char *dir, strvec *out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) {
        nm_ebuf_printf(&r->err, "%s: cannot list directory (%s)", dir, strerror(errno));
        return 2;
    }
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n >= 4 && !strcmp(e->d_name + n - 4, ".tsv") && strcmp(e->d_name, "documents.tsv"))
            sv_push(out, nm_eval_xstrndup(e->d_name, n - 4));
    }
    closedir(d);
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, doc_cmp);
    return 0;
}

static void path_of(nm_ebuf *b, const char *dir, const char *doc, const char *ext)
{
    nm_ebuf name = {0};
    nm_ebuf_puts(&name, doc);
    nm_ebuf_puts(&name, ext);
    b->n = 0;
    nm_py_join(b, dir, nm_ebuf_slice(&name));
    nm_ebuf_free(&name);
}

/* find_text(): path of <doc>.txt in --text-dir, else GOLD_DIR, else its parent; 0 if none. */
static int find_text(const run *r, const char *doc, nm_ebuf *path)
{
    const char *td = r->a->text_dir;
    nm_ebuf parent = {0};
    int found;
    if (td && *td) {
        path_of(path, td, doc, ".txt");
        return is_file(path->p);
    }
    path_of(path, r->rep.gold_dir, doc, ".txt");
    if (is_file(path->p))
        return 1;
    if (nm_py_abs_dirname(&parent, r->rep.gold_dir))
        return 0;
    path_of(path, parent.p, doc, ".txt");
    found = is_file(path->p);
    nm_ebuf_free(&parent);
    return found;
}

/* ---------------------------------------------------------------- scoring */

/* check_texts(): refuse gold whose text is not its bytes; count and warn for system lines. */
static int check_texts(run *r, const nm_etsv *gold, const nm_etsv *sys, const char *text_path)
{
    nm_ebuf text = {0}, msg = {0};
    size_t bad = 0;
    if (nm_eval_slurp(text_path, &text)) {
        nm_ebuf_printf(&r->err, "%s: cannot read (%s)", text_path, strerror(errno));
        return 2;
    }
    for (size_t i = 0; i < gold->n && !r->err.n; i++)
        if (!nm_etsv_span_ok(&text, &gold->anns[i]))
            nm_etsv_text_msg(&r->err, gold, &gold->anns[i], text_path);
    for (size_t i = 0; i < sys->n && !r->err.n; i++) {
        if (nm_etsv_span_ok(&text, &sys->anns[i]) || bad++ >= 3)
            continue;
        msg.n = 0;
        nm_etsv_text_msg(&msg, sys, &sys->anns[i], text_path);
        sv_push(&r->warnings, nm_eval_xstrndup(msg.p, msg.n));
    }
    r->rep.mismatched += bad;
    nm_ebuf_free(&text);
    nm_ebuf_free(&msg);
    return r->err.n ? 2 : 0;
}

/* One document of score_dirs(); 0 or 2. */
static int score_one(run *r, const char *doc, nm_etsv *gold, nm_etsv *sys)
{
    nm_ebuf path = {0};
    int rc = 0;
    path_of(&path, r->rep.gold_dir, doc, ".tsv");
    rc = nm_etsv_read(gold, path.p, &r->err);
    path_of(&path, r->rep.sys_dir, doc, ".tsv");
    if (!rc && is_file(path.p)) {
        rc = nm_etsv_read(sys, path.p, &r->err);
    } else if (!rc) {
        sv_push(&r->missing, nm_eval_xstrndup(doc, strlen(doc)));
    }
    if (!rc && !r->a->no_text_check && find_text(r, doc, &path)) {
        r->rep.texts_checked++;
        rc = check_texts(r, gold, sys, path.p);
    }
    if (!rc)
        nm_eval_score_doc(gold, sys, &r->maps, &r->cells);
    nm_ebuf_free(&path);
    return rc;
}

static int in_sorted(const strvec *v, const char *s)
{
    return v->n && bsearch(&s, v->v, v->n, sizeof *v->v, doc_cmp) != NULL;
}

/* The warnings score_dirs() adds after the documents. */
static int final_warnings(run *r)
{
    strvec sysdocs = {0};
    size_t extra = 0;
    const char *first = NULL;
    nm_ebuf msg = {0};
    if (list_docs(r, r->rep.sys_dir, &sysdocs))
        return 2;
    for (size_t i = 0; i < sysdocs.n; i++)
        if (!in_sorted(&r->docs, sysdocs.v[i]) && !extra++)
            first = sysdocs.v[i];
    if (extra) {
        nm_ebuf_printf(&msg, "%zu system file(s) have no gold and were ignored (e.g. %s.tsv)",
                       extra, first);
        sv_push(&r->warnings, nm_eval_xstrndup(msg.p, msg.n));
    }
    if (r->rep.mismatched) {
        msg.n = 0;
        nm_ebuf_printf(&msg, "%zu system line(s) whose text is not the bytes at their offsets",
                       r->rep.mismatched);
        sv_push(&r->warnings, nm_eval_xstrndup(msg.p, msg.n));
    }
    nm_ebuf_free(&msg);
    sv_free(&sysdocs);
    return 0;
}

/* The kinds to report when --kinds gave none: those with a cell, in KINDS order. */
static void default_kinds(run *r)
{
    for (int k = 0; k < NM_EK_N; k++)
        for (size_t i = 0; i < r->cells.n; i++)
            if (r->cells.v[i].kind == k) {
                r->rep.kinds[r->rep.nkinds++] = k;
                break;
            }
}

static int score_dirs(run *r)
{
    if (!is_dir(r->rep.gold_dir))
        return arg_error(r, "%s: gold directory not found", r->rep.gold_dir);
    if (!is_dir(r->rep.sys_dir))
        return arg_error(r, "%s: system directory not found", r->rep.sys_dir);
    if (list_docs(r, r->rep.gold_dir, &r->docs))
        return 2;
    for (size_t i = 0; i < r->docs.n; i++) {
        nm_etsv gold = {0}, sys = {0};
        int rc = score_one(r, r->docs.v[i], &gold, &sys);
        nm_etsv_free(&gold);
        nm_etsv_free(&sys);
        if (rc)
            return rc;
    }
    if (final_warnings(r))
        return 2;
    if (!r->rep.nkinds)
        default_kinds(r);
    return 0;
}

/* ---------------------------------------------------------------- main */

static void print_msg(FILE *err, const char *level, const char *msg)
{
    fprintf(err, "newsmine eval: %s: ", level);
    if (msg)
        nm_py_write_err(err, msg, strlen(msg));
    fputc('\n', err);
}

static void print_report(run *r, FILE *out, FILE *err)
{
    nm_ebuf text = {0};
    for (size_t i = 0; i < r->warnings.n; i++)
        print_msg(err, "warning", r->warnings.v[i]);
    r->rep.docs = r->docs.n;
    r->rep.missing = r->missing.v;
    r->rep.nmissing = r->missing.n;
    r->rep.warnings = r->warnings.v;
    r->rep.nwarnings = r->warnings.n;
    if (r->a->json)
        nm_eval_format_json(&r->rep, &text);
    else
        nm_eval_format_text(&r->rep, &text);
    fwrite(text.p, 1, text.n, out);
    fflush(out);
    nm_ebuf_free(&text);
}

static int eval_run(run *r, args *a, int argc, char **argv, FILE *out, FILE *err)
{
    if (parse_args(r, a, argc, argv)) {
        fputs(usage_line, err);
        print_msg(err, "error", r->err.p);
        return 2;
    }
    if (a->help) {
        fputs(usage_line, out);
        fputs(help_text, out);
        return 0;
    }
    r->rep.gold_dir = a->pos[0];
    r->rep.sys_dir = a->pos[1];
    r->rep.maps = &r->maps;
    r->rep.cells = &r->cells;
    if (parse_kinds(r, a->kinds) || nm_emaps_parse(&r->maps, a->maps, a->nmaps, &r->err) ||
        score_dirs(r)) {
        print_msg(err, "error", r->err.p);
        return 2;
    }
    print_report(r, out, err);
    return 0;
}

int nm_eval_main(int argc, char **argv, FILE *out, FILE *err)
{
    args a = {{NULL, NULL}, NULL, NULL, NULL, 0, 0, 0, 0};
    run r;
    memset(&r, 0, sizeof r);
    r.a = &a;
    locale_t c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c_loc ? uselocale(c_loc) : (locale_t)0;
    int rc = eval_run(&r, &a, argc, argv, out, err);
    if (c_loc) {
        uselocale(old);
        freelocale(c_loc);
    }
    free(a.maps);
    nm_ecells_free(&r.cells);
    nm_emaps_free(&r.maps);
    sv_free(&r.docs);
    sv_free(&r.missing);
    sv_free(&r.warnings);
    nm_ebuf_free(&r.err);
    return rc;
}
