#!/usr/bin/env python3
"""canon_check.py - share of ENTITY matches whose canonical name is right.

    python3 tools/canon_check.py GOLD_DIR SYS_DIR [-v]

score.py scores spans and types but not the `canonical` attribute.  This
pairs gold and system ENTITY lines the way score.py's relaxed match does
(same type, overlapping spans, each used once, strict matches first) and
reports how many of the matched pairs carry the same canonical name.
-v lists the mismatches.
"""
import os
import sys


def read(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            cols = line.rstrip("\n").split("\t")
            if i == 0 and cols[0] == "id" or len(cols) < 8 or cols[1] != "ENTITY":
                continue
            attrs = dict(kv.split("=", 1) for kv in cols[7].split(";") if "=" in kv)
            out.append((int(cols[2]), int(cols[3]), cols[4], cols[5], attrs.get("canonical", "")))
    return out


def pairs(gold, sys_):
    used, res = set(), []
    for strict in (True, False):
        for g in gold:
            if any(g is p[0] for p in res):
                continue
            for j, s in enumerate(sys_):
                if j in used or s[3] != g[3]:
                    continue
                ok = (s[0], s[1]) == (g[0], g[1]) if strict else s[0] < g[1] and g[0] < s[1]
                if ok:
                    used.add(j)
                    res.append((g, s))
                    break
    return res


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    gdir, sdir = args
    total = right = 0
    for name in sorted(os.listdir(gdir)):
        if not name.endswith(".tsv") or name == "documents.tsv":
            continue
        for g, s in pairs(read(os.path.join(gdir, name)), read(os.path.join(sdir, name))):
            total += 1
            if g[4] == s[4]:
                right += 1
            elif verbose:
                print(f"{name}\t{g[2]}\t{g[3]}\tgold={g[4]}\tsys={s[4]}")
    share = right / total if total else 0.0
    print(f"canonical: {right}/{total} relaxed ENTITY matches right = {share:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
