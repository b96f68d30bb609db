#!/usr/bin/python3
"""pandas reference implementation of `chitieu compute` for bench/national-plan.yaml.

    /usr/bin/python3 bench/pandas_compute.py DATA_DIR OUT.csv

Reads DATA_DIR/units.csv and DATA_DIR/observations.csv (contract format) and writes
every indicator of the plan at every unit at or above the indicator's base level and
every year and half-year of the data span, with the columns of `chitieu compute`:
plan,indicator,unit,level,period,value,numerator,denominator,reported,expected

Semantics follow docs/yaml-reference.md and docs/data-formats.md. The plan is hardcoded below (no YAML parsing)
and must match bench/national-plan.yaml. Written the way a competent pandas user would:
categorical columns on load, one reshape to wide, vectorised groupby roll-ups over the
hierarchy, no Python loops over rows.

Scope (what the benchmark data needs, no more): periods of type year and half-year;
conditions that read metrics of the counted units' own level and unit attributes;
no valid_from/valid_to.
"""

import re
import sys
import time

import numpy as np
import pandas as pd

PLAN_ID = "bench-national"
REGION = "VN"
LEVEL_ORDER = ["national", "province", "district", "commune"]

# name: (level, type, over_time) -- as in bench/national-plan.yaml
METRICS = {
    "is_clean": ("commune", "boolean", "last"),
    "has_propaganda": ("commune", "boolean", "max"),
    "has_hotspot": ("commune", "boolean", "max"),
    "has_social_team": ("commune", "boolean", "last"),
    "media_sessions": ("commune", "count", "sum"),
    "establishments_at_risk": ("commune", "count", "last"),
    "establishments_inspected": ("commune", "count", "sum"),
    "establishments_violating": ("commune", "count", "sum"),
    "cases_detected": ("commune", "count", "sum"),
    "cases_handled": ("commune", "count", "sum"),
    "people_supported": ("commune", "count", "sum"),
    "people_reintegrated": ("commune", "count", "sum"),
    "staff_trained": ("district", "count", "last"),
    "staff_total": ("district", "count", "last"),
    "violators_detected": ("district", "count", "sum"),
    "violators_handled": ("district", "count", "sum"),
    "has_plan": ("district", "boolean", "last"),
}


def cond(names, fn):
    """A condition: the metrics/attributes it reads, and a vectorised test on a frame."""
    return {"names": names, "fn": fn}


INDICATORS = [
    dict(id="clean_communes_pct", kind="share_of_units", of="commune",
         condition=cond(["is_clean"], lambda d: d["is_clean"] == 1)),
    dict(id="clean_high_risk_communes_pct", kind="share_of_units", of="commune",
         condition=cond(["is_clean"], lambda d: d["is_clean"] == 1),
         among=cond(["high_risk"], lambda d: d["high_risk"] == 1)),
    dict(id="active_propaganda_communes_pct", kind="share_of_units", of="commune",
         condition=cond(["has_propaganda", "media_sessions"],
                        lambda d: (d["has_propaganda"] == 1) & (d["media_sessions"] >= 2))),
    dict(id="hotspot_communes", kind="count_of_units", of="commune",
         condition=cond(["has_hotspot"], lambda d: d["has_hotspot"] == 1)),
    dict(id="clean_transition_rate", kind="transition_rate", of="commune",
         from_=cond(["is_clean"], lambda d: d["is_clean"] == 0),
         to=cond(["is_clean"], lambda d: d["is_clean"] == 1)),
    dict(id="establishments_inspected_pct", kind="ratio",
         numerator="establishments_inspected", denominator="establishments_at_risk", scale=100),
    dict(id="cases_detected_total", kind="sum", metric="cases_detected"),
    dict(id="staff_trained_pct", kind="ratio",
         numerator="staff_trained", denominator="staff_total", scale=100),
    dict(id="violators_handled_pct", kind="ratio",
         numerator="violators_handled", denominator="violators_detected", scale=100),
    dict(id="districts_with_plan_pct", kind="share_of_units", of="district",
         condition=cond(["has_plan"], lambda d: d["has_plan"] == 1)),
]

OUT_COLUMNS = ["plan", "indicator", "unit", "level", "period", "value",
               "numerator", "denominator", "reported", "expected"]


def die(msg):
    sys.stderr.write("pandas_compute: error: %s\n" % msg)
    sys.exit(1)


# ---------------------------------------------------------------- load

def load_units(path):
    u = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("code", "name", "level", "parent"):
        if col not in u.columns:
            die("%s: missing column %s" % (path, col))
    if ("valid_from" in u.columns and (u["valid_from"] != "").any()) or \
            ("valid_to" in u.columns and (u["valid_to"] != "").any()):
        die("%s: valid_from/valid_to are not supported by this benchmark script" % path)
    attrs = [c for c in u.columns if c not in ("code", "name", "level", "parent",
                                               "valid_from", "valid_to")]
    for c in attrs:
        u[c] = pd.to_numeric(u[c].replace("", np.nan))
    if u["code"].duplicated().any():
        die("%s: duplicate unit code %s" % (path, u.loc[u["code"].duplicated(), "code"].iloc[0]))
    roots = u[u["parent"] == ""]
    if not (len(roots) == 1 and roots["level"].iloc[0] == "national"):
        u.loc[u["parent"] == "", "parent"] = "VN"
        u = pd.concat([pd.DataFrame({"code": ["VN"], "name": ["Việt Nam"],
                                     "level": ["national"], "parent": [""]}), u],
                      ignore_index=True)
    unknown = ~u["parent"].isin(u["code"]) & (u["parent"] != "")
    if unknown.any():
        die("%s: unknown parent %s" % (path, u.loc[unknown, "parent"].iloc[0]))
    # Ancestor at every level, by walking up the parent links (one vectorised map per depth).
    u = u.set_index("code", drop=False)
    parent = u["parent"]
    level = u["level"]
    anc = pd.DataFrame(index=u.index, columns=LEVEL_ORDER, dtype=object)
    cur = u["code"]
    while cur.notna().any():
        lv = cur.map(level)
        for name in LEVEL_ORDER:
            hit = (lv == name) & anc[name].isna()
            anc.loc[hit, name] = cur[hit]
        cur = cur.map(parent).replace("", np.nan)
    return u, attrs, anc


def parse_periods(labels):
    """Map period labels to (type, year, half); years and half-years only."""
    rows = []
    for p in labels:
        m = re.fullmatch(r"(\d{4})(?:S([12]))?", p)
        if not m:
            die("observations.csv: period %r: only years and half-years are supported here" % p)
        y = int(m.group(1))
        rows.append(("half", y, int(m.group(2))) if m.group(2) else ("year", y, 0))
    return pd.DataFrame(rows, index=pd.Index(labels, name="period"),
                        columns=["ptype", "year", "half"])


def load_observations(path, units):
    obs = pd.read_csv(path, dtype={"unit": "category", "period": "category",
                                   "metric": "category", "value": "float64"},
                      keep_default_na=False, na_values={"value": [""]})
    bad = ~obs["unit"].cat.categories.isin(units.index)
    if bad.any():
        die("%s: unknown unit %s" % (path, obs["unit"].cat.categories[bad][0]))
    bad = ~obs["metric"].cat.categories.isin(list(METRICS))
    if bad.any():
        die("%s: metric %s is not declared by the plan" % (path, obs["metric"].cat.categories[bad][0]))
    key = ["unit", "period", "metric"]
    dup = obs.duplicated(key, keep=False)
    if dup.any():
        d = obs[dup]
        conflict = d.groupby(key, observed=True)["value"].nunique(dropna=False) > 1
        if conflict.any():
            die("%s: conflicting values for %s" % (path, conflict[conflict].index[0]))
        sys.stderr.write("pandas_compute: warning: %d duplicate observations\n" % dup.sum())
        obs = obs.drop_duplicates(key)
    return obs


# ---------------------------------------------------------------- periods and values

def printed_periods(pinfo):
    """Years overlapping the data span, and the half-years inside it (ordered)."""
    ordkey = pinfo["year"] * 2 + np.where(pinfo["ptype"] == "half", pinfo["half"] - 1, 0)
    first = pinfo.loc[ordkey.idxmin()]
    lastk = (pinfo["year"] * 2 + np.where(pinfo["ptype"] == "half", pinfo["half"] - 1, 1))
    last = pinfo.loc[lastk.idxmax()]
    years = [str(y) for y in range(first["year"], last["year"] + 1)]
    h0 = first["year"] * 2 + (first["half"] - 1 if first["ptype"] == "half" else 0)
    h1 = last["year"] * 2 + (last["half"] - 1 if last["ptype"] == "half" else 1)
    halves = ["%dS%d" % (k // 2, k % 2 + 1) for k in range(h0, h1 + 1)]
    return years, halves


def values_by_level(obs, pinfo, units, years, halves):
    """For each metric level: a frame indexed by (unit, period) over the full grid of
    that level's units x printed periods, one column per metric, NaN = no data."""
    wide = obs.set_index(["unit", "period", "metric"])["value"].unstack("metric")
    wide = wide.reset_index()
    wide["unit"] = wide["unit"].astype(str)
    wide["period"] = wide["period"].astype(str)
    wide = wide.join(pinfo, on="period")
    out = {}
    for lv in sorted({m[0] for m in METRICS.values()}, key=LEVEL_ORDER.index):
        names = [m for m, spec in METRICS.items() if spec[0] == lv and m in wide.columns]
        codes = units.index[units["level"] == lv]
        w = wide[wide["unit"].isin(codes)]
        half = w[w["ptype"] == "half"].sort_values(["unit", "year", "half"])
        # Year values: each metric's over_time rule over the half-years with data.
        g = half.groupby(["unit", "year"], sort=False)
        parts = []
        for rule in ("sum", "last", "max", "min", "mean"):
            cols = [m for m in names if METRICS[m][2] == rule]
            if not cols:
                continue
            if rule == "sum":
                parts.append(g[cols].sum(min_count=1))
            else:
                parts.append(getattr(g[cols], rule)())
        rolled = pd.concat(parts, axis=1).reset_index()
        rolled["period"] = rolled["year"].astype(str)
        rolled = rolled.set_index(["unit", "period"])[names]
        direct = w[w["ptype"] == "year"].set_index(["unit", "period"])[names]
        ydata = direct.combine_first(rolled) if len(direct) else rolled
        hdata = half.set_index(["unit", "period"])[names]
        grid = pd.MultiIndex.from_product([codes, years + halves], names=["unit", "period"])
        out[lv] = pd.concat([ydata, hdata]).reindex(grid)
    return out


# ---------------------------------------------------------------- indicators

def evaluate(c, frame):
    """(known, met) boolean arrays of a condition; unknown if any name has no value."""
    known = frame[c["names"]].notna().all(axis=1).to_numpy()
    met = known & c["fn"](frame).to_numpy()
    return known, met


def rollup(grid_index, cols, base_level, units, anc, region_units, periods):
    """Sum per-base-unit columns up to every level at or above base_level.
    Returns one frame over units x periods of each level, with a `level` column."""
    base_units = grid_index.get_level_values("unit")
    period = grid_index.get_level_values("period")
    df = pd.DataFrame(cols, index=grid_index).reset_index(drop=True)
    out = []
    for lv in LEVEL_ORDER[:LEVEL_ORDER.index(base_level) + 1]:
        key = anc[lv].reindex(base_units).to_numpy()
        g = df.groupby([key, period], sort=False).sum()
        g.index.names = ["unit", "period"]
        lv_units = region_units[units.loc[region_units, "level"].to_numpy() == lv]
        full = pd.MultiIndex.from_product([lv_units, periods], names=["unit", "period"])
        g = g.reindex(full, fill_value=0)
        g["level"] = lv
        out.append(g)
    return pd.concat(out)


def compute_indicator(ind, vals, units, attrs, anc, region_units, years, halves):
    kind = ind["kind"]
    periods = years + halves
    nan = np.nan
    if kind in ("share_of_units", "count_of_units", "transition_rate"):
        base = ind["of"]
        frame = vals[base]
        if attrs:
            frame = frame.join(units[attrs], on="unit")
        grid = frame.index
        if "among" in ind:
            known, met = evaluate(ind["among"], frame)
            counted = met
        else:
            counted = np.ones(len(frame), dtype=bool)
        if kind == "transition_rate":
            f_known, f_met = evaluate(ind["from_"], frame)
            t_known, t_met = evaluate(ind["to"], frame)
            # `from` at the previous period of the same type (2016 -> 2015, 2016S1 -> 2015S2).
            prev_of = {p: str(int(p) - 1) for p in years}
            prev_of.update({p: ("%sS2" % (int(p[:4]) - 1)) if p.endswith("S1") else p[:4] + "S1"
                            for p in halves})
            prevf = pd.DataFrame({"k": f_known, "m": f_met}, index=grid)
            prev_idx = pd.MultiIndex.from_arrays(
                [grid.get_level_values("unit"), grid.get_level_values("period").map(prev_of)])
            prevf = prevf.reindex(prev_idx)
            pk = prevf["k"].fillna(False).to_numpy(dtype=bool)
            pm = prevf["m"].fillna(False).to_numpy(dtype=bool)
            rep = counted & pk & t_known
            den = rep & pm
            num = den & t_met
            cols = {"expected": counted.astype(np.int64), "reported": rep.astype(np.int64),
                    "denominator": den.astype(np.int64), "numerator": num.astype(np.int64)}
        else:
            known, met = evaluate(ind["condition"], frame)
            cols = {"expected": counted.astype(np.int64),
                    "reported": (counted & known).astype(np.int64),
                    "numerator": (counted & met).astype(np.int64)}
        r = rollup(grid, cols, base, units, anc, region_units, periods)
        if kind == "share_of_units":
            r["denominator"] = r["expected"] if ind.get("missing") == "as_not_met" else r["reported"]
        if kind == "count_of_units":
            r["value"] = r["numerator"].where(r["reported"] > 0).astype(float)
            r["denominator"] = nan
        else:
            d = r["denominator"]
            r["value"] = (100.0 * r["numerator"] / d.where(d > 0))
    elif kind in ("ratio", "sum"):
        names = [ind["numerator"], ind["denominator"]] if kind == "ratio" else [ind["metric"]]
        base = METRICS[names[0]][0]
        frame = vals[base]
        has = frame[names].notna().all(axis=1)
        cols = {"n": has.astype(np.int64).to_numpy()}
        cols["numerator"] = frame[names[0]].where(has, 0.0).to_numpy()
        if kind == "ratio":
            cols["denominator"] = frame[names[1]].where(has, 0.0).to_numpy()
        r = rollup(frame.index, cols, base, units, anc, region_units, periods)
        some = r.pop("n") > 0
        r["numerator"] = r["numerator"].where(some)
        if kind == "ratio":
            r["denominator"] = r["denominator"].where(some)
            d = r["denominator"]
            r["value"] = ind.get("scale", 100) * r["numerator"] / d.where(d != 0)
        else:
            r["denominator"] = nan
            r["value"] = r["numerator"]
        r["reported"] = nan
        r["expected"] = nan
    else:
        die("indicator kind %s not implemented" % kind)
    r = r.reset_index()
    r.insert(0, "plan", PLAN_ID)
    r.insert(1, "indicator", ind["id"])
    return r[OUT_COLUMNS]


def as_int_if_integral(s):
    """Counts print as integers: cast a column to nullable Int64 when every value is whole."""
    v = s.dropna()
    if (v == np.floor(v)).all():
        return s.round().astype("Int64")
    return s.round(6)


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 and argv[1] in ("-h", "--help") else 2
    data, out_path = argv[1], argv[2]
    t0 = time.time()
    units, attrs, anc = load_units(data + "/units.csv")
    obs = load_observations(data + "/observations.csv", units)
    pinfo = parse_periods(list(obs["period"].cat.categories))
    years, halves = printed_periods(pinfo)
    vals = values_by_level(obs, pinfo, units, years, halves)
    del obs
    region_level = units.loc[REGION, "level"]
    region_units = units.index[(anc[region_level] == REGION).to_numpy()]
    t1 = time.time()
    results = [compute_indicator(ind, vals, units, attrs, anc, region_units, years, halves)
               for ind in INDICATORS]
    res = pd.concat(results, ignore_index=True)
    res["value"] = res["value"].astype(float).round(6)
    for c in ("numerator", "denominator", "reported", "expected"):
        res[c] = as_int_if_integral(res[c].astype(float))
    t2 = time.time()
    tmp = out_path + ".tmp"
    res.to_csv(tmp, index=False)
    import os
    os.replace(tmp, out_path)
    t3 = time.time()
    sys.stderr.write("pandas_compute: %d rows; load+reshape %.1f s, compute %.1f s, write %.1f s\n"
                     % (len(res), t1 - t0, t2 - t1, t3 - t2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
