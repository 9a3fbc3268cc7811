/* eval.h — `newsmine eval GOLD_DIR SYS_DIR`: score annotation TSV files
 * against gold TSV files, a faithful C port of the reference scorer
 * tools/score.py (see ANNOTATION.md for the format and the measures).
 */
#ifndef NM_EVAL_H
#define NM_EVAL_H

#include <stdio.h>

/* Run the eval command. argv[0] is "eval", the rest are its arguments
 * (GOLD_DIR SYS_DIR [--kinds K,...] [--map KIND:A=B,...]... [--text-dir DIR |
 * --no-text-check] [--json] [--help]). The report goes to `out`, warnings and
 * errors to `err`, both byte for byte as score.py prints them (with the prefix
 * "newsmine eval:"). Returns the exit status: 0 after scoring (or --help),
 * 2 on a malformed TSV line, a refused gold file or bad arguments. Everything
 * allocated is freed before returning; the streams are not closed. */
int nm_eval_main(int argc, char **argv, FILE *out, FILE *err);

#endif
