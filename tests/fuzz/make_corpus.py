#!/usr/bin/env python3
"""Regenerates tests/fuzz/corpus/ from the repository's own files:
plans (indicators/*.yaml, tests/golden/cases/*/*.yaml), the golden cases'
data folders, and the conditions written in the plans."""
import glob, hashlib, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
out = os.path.join(here, "corpus")

def put(name, data, limit=16384):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > limit:
        return
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, h), "wb") as f:
        f.write(data)

def read(p):
    with open(p, "rb") as f:
        return f.read()

plans = sorted(glob.glob(os.path.join(root, "indicators", "*.yaml")) +
               glob.glob(os.path.join(root, "tests", "golden", "cases", "*", "*.yaml")))
csvs = sorted(glob.glob(os.path.join(root, "tests", "golden", "cases", "*", "data", "*.csv")))

for p in plans:
    put("yaml", read(p))
    put("plan", read(p))
for c in csvs:
    put("csv", read(c))

# conditions: every condition/among/from/to value in the plans
cond_re = re.compile(r'^\s*-?\s*(?:condition|among|from|to):\s*(.+?)\s*$', re.M)
inline_re = re.compile(r'\b(?:condition|among|from|to):\s*("(?:[^"\\]|\\.)*"|\'[^\']*\')')
conds = set()
for p in plans:
    t = read(p).decode("utf-8", "replace")
    for m in list(cond_re.finditer(t)) + list(inline_re.finditer(t)):
        v = m.group(1).strip()
        if v[:1] in "\"'" and v[-1:] == v[:1]:
            v = v[1:-1]
        if any(op in v for op in ("==", "!=", "<", ">")):
            conds.add(v)
for c in sorted(conds):
    put("cond", c)
for c in ["not (a == 1 or b.c >= 2.5e3) and _x != -1", "((x<1))", "not not a > 0x10"]:
    put("cond", c)

# periods: the forms of the contract, and those found in the data
periods = {"2016", "2016S1", "2016S2", "2016Q3", "2016-03", "201603", "1900", "2200-12", "half", "month"}
for c in csvs:
    for line in read(c).decode("utf-8", "replace").splitlines()[1:50]:
        f = line.split(",")
        if len(f) >= 2 and re.fullmatch(r"\d{4}(S\d|Q\d|-?\d\d)?", f[1].strip()):
            periods.add(f[1].strip())
for p in sorted(periods):
    put("period", p)

# data: metric declarations from the case's plan, then units.csv, then observations.csv
decl_re = re.compile(r'^\s+([A-Za-z_][A-Za-z0-9_]*):\s*\{([^}]*)\}', re.M)
def kv(body):
    return dict((a.strip(), b.strip()) for a, b in (x.split(":", 1) for x in body.split(",") if ":" in x))
for case in sorted(glob.glob(os.path.join(root, "tests", "golden", "cases", "*"))):
    u = os.path.join(case, "data", "units.csv")
    o = os.path.join(case, "data", "observations.csv")
    if not (os.path.exists(u) and os.path.exists(o)):
        continue
    decls = []
    for p in glob.glob(os.path.join(case, "*.yaml")):
        for m in decl_re.finditer(read(p).decode("utf-8", "replace")):
            d = kv(m.group(2))
            if "level" in d:
                decls.append("%s %s %s %s" % (m.group(1), d["level"], d.get("type", "number"), d.get("over_time", "last")))
    body = ("\n".join(decls) + "\n%%\n").encode() + read(u) + b"%%\n" + read(o)
    put("data", body)
    if decls:
        put("data", ("asof 2017-06\n" + "\n".join(decls) + "\n%%\n").encode() + read(u) + b"%%\n" + read(o))

for n in sorted(os.listdir(out)):
    print(n, len(os.listdir(os.path.join(out, n))))
