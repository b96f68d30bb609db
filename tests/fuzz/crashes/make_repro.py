#!/usr/bin/env python3
"""Regenerates the resource-exhaustion reproducers in this folder (found by
reading the code the fuzzers pointed at; each exceeds run.sh's 10 s / 2 GB
limits under ASan). Replay: build-fuzz/fuzz_NAME tests/fuzz/crashes/NAME/FILE"""
import os
h = os.path.dirname(os.path.abspath(__file__))
def w(p, s):
    with open(os.path.join(h, p), "w") as f: f.write(s)
w("yaml/slow-block-scalars.yaml", "".join("- |\n  x\n" for i in range(20000)))
w("yaml/slow-duplicate-key-check.yaml", "".join("k%d: 0\n" % i for i in range(30000)))
w("plan/slow-duplicate-indicator-ids.yaml",
  "plan: {id: p}\nindicators:\n" + "".join("- {id: a%d}\n" % i for i in range(60000)))
w("data/memory-one-level-per-unit",
  "%%\ncode,name,level,parent\n" + "".join("u%d,x,l%d,\n" % (i, i) for i in range(20000)) + "%%\n")
w("data/slow-parent-chain",
  "%%\ncode,name,level,parent\n" +
  "".join("u%d,x,%s,%s\n" % (i, "ab"[i % 2], "u%d" % (i - 1) if i else "") for i in range(60000)) + "%%\n")
