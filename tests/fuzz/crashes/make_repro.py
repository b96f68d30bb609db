#!/usr/bin/env python3
"""Regenerates the resource-exhaustion reproducers in this folder (found by
reading the code the fuzzers pointed at; each exceeds run.sh's 10 s / 2 GB
limits under ASan). Replay: build-fuzz/fuzz_NAME tests/fuzz/crashes/NAME/FILE"""
import os
h = os.path.dirname(os.path.abspath(__file__))
def w(p, s):
    with open(os.path.join(h, p), "wb") as f: f.write(s if isinstance(s, bytes) else s.encode())
w("yaml/slow-block-scalars.yaml", "".join("- |\n  x\n" for i in range(20000)))
w("yaml/slow-duplicate-key-check.yaml", "".join("k%d: 0\n" % i for i in range(30000)))
w("plan/slow-duplicate-indicator-ids.yaml",
  "plan: {id: p}\nindicators:\n" + "".join("- {id: a%d}\n" % i for i in range(60000)))
w("data/memory-one-level-per-unit",
  "%%\ncode,name,level,parent\n" + "".join("u%d,x,l%d,\n" % (i, i) for i in range(20000)) + "%%\n")
w("data/slow-parent-chain",
  "%%\ncode,name,level,parent\n" +
  "".join("u%d,x,%s,%s\n" % (i, "ab"[i % 2], "u%d" % (i - 1) if i else "") for i in range(60000)) + "%%\n")
# found by the runs with larger inputs (run.sh -max_len): each ran out of time
# or memory, or crashed, before the fix named in its file name
os.makedirs(os.path.join(h, "cond"), exist_ok=True)
os.makedirs(os.path.join(h, "csv"), exist_ok=True)
w("cond/slow-long-and-chain", " and ".join("a == 1" for i in range(40000)))
w("cond/slow-long-or-chain", " or ".join("(b < 2 and not c >= 0x10)" for i in range(10000)))
w("data/memory-period-span",
  "x commune count sum\n%%\ncode,name,level,parent\nVN,x,national,\n" +
  "".join("c%d,x,commune,VN\n" % i for i in range(20000)) +
  "%%\nunit,period,metric,value\nc0,1901-01,x,1\nc1,2199-12,x,1\n")
w("data/nul-in-code", "x commune count sum\n%%\ncode,name,level,parent\nVN,x,national,\nc\x001,x,commune,VN\n"
  "c1,x,commune,VN\n%%\nunit,period,metric,value\nc1,2016,x,1\n")
w("csv/invalid-utf8", b"a,b\n\xff\xfe,1\nH\xc3\xa0 N\xe1\xbb\x99i,2\n\xed\xa0\x80,3\n")
