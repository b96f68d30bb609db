#!/usr/bin/python3
"""Compare two `compute` CSV outputs numerically (chitieu's and pandas_compute.py's).

    /usr/bin/python3 bench/compare.py A.csv B.csv [--examples N]

Rows are joined on plan,indicator,unit,period. Reports rows present on one side only,
rows whose level differs, and for each of value, numerator, denominator, reported,
expected the cells that differ: one side empty and the other not, or both numbers and
|a - b| > 1e-6 (+ 1e-9 relative, for large sums). Prints examples of each kind of
mismatch, then a summary line `mismatches: N` (rows with any difference).
Exit status: 0 when the files agree, 1 when they differ, 2 on usage errors.
"""

import sys

import numpy as np
import pandas as pd

KEY = ["plan", "indicator", "unit", "period"]
NUM = ["value", "numerator", "denominator", "reported", "expected"]
ABS_TOL, REL_TOL = 1e-6, 1e-9


def load(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in KEY + ["level"] + NUM if c not in df.columns]
    if missing:
        sys.exit("compare: %s: missing columns %s" % (path, ", ".join(missing)))
    dup = df.duplicated(KEY)
    if dup.any():
        print("%s: %d duplicate rows, e.g. %s" % (path, dup.sum(), df.loc[dup, KEY].iloc[0].tolist()))
        df = df[~dup]
    for c in NUM:
        df[c] = pd.to_numeric(df[c].replace("", np.nan), errors="coerce")
    return df[KEY + ["level"] + NUM]


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    nex = 5
    for a in argv[1:]:
        if a.startswith("--examples="):
            nex = int(a.split("=", 1)[1])
        elif a.startswith("--") and a not in ("--help",):
            sys.stderr.write("compare: unknown option %s\n" % a)
            return 2
    if len(args) != 2 or "--help" in argv:
        print(__doc__.strip())
        return 0 if "--help" in argv else 2
    a_path, b_path = args
    a, b = load(a_path), load(b_path)
    m = a.merge(b, on=KEY, how="outer", suffixes=("_a", "_b"), indicator=True)
    only_a = m[m["_merge"] == "left_only"]
    only_b = m[m["_merge"] == "right_only"]
    both = m[m["_merge"] == "both"].copy()
    print("rows: %s %d, %s %d, joined %d" % (a_path, len(a), b_path, len(b), len(both)))
    bad_any = np.zeros(len(both), dtype=bool)

    def show(title, rows, cols):
        print("%s: %d" % (title, len(rows)))
        if len(rows):
            by = rows.groupby("indicator").size().sort_values(ascending=False)
            print("  by indicator: " + ", ".join("%s %d" % kv for kv in by.items()))
            print(rows[cols].head(nex).to_string(index=False, na_rep="(empty)"))

    show("only in %s" % a_path, only_a, KEY + ["level_a"] + [c + "_a" for c in NUM])
    show("only in %s" % b_path, only_b, KEY + ["level_b"] + [c + "_b" for c in NUM])
    lv = both["level_a"] != both["level_b"]
    bad_any |= lv.to_numpy()
    if lv.any():
        show("level differs", both[lv], KEY + ["level_a", "level_b"])
    for c in NUM:
        x, y = both[c + "_a"], both[c + "_b"]
        empty_diff = x.isna() != y.isna()
        num_diff = x.notna() & y.notna() & ((x - y).abs() > ABS_TOL + REL_TOL * np.maximum(x.abs(), y.abs()))
        diff = (empty_diff | num_diff).to_numpy()
        bad_any |= diff
        print("%-12s differs in %d rows (%d empty vs non-empty, %d numeric)"
              % (c, diff.sum(), empty_diff.sum(), num_diff.sum()))
        if diff.any():
            rows = both[diff]
            by = rows.groupby("indicator").size().sort_values(ascending=False)
            print("  by indicator: " + ", ".join("%s %d" % kv for kv in by.items()))
            print(rows[KEY + ["level_a"] + [c + "_a", c + "_b"]].head(nex)
                  .to_string(index=False, na_rep="(empty)"))
    n = int(bad_any.sum()) + len(only_a) + len(only_b)
    print("mismatches: %d" % n)
    return 0 if n == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
