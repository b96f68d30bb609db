#!/usr/bin/env python3
"""Generate the SYNTHETIC sample dataset for chitieu (data/units.csv, data/observations.csv,
data/successions.csv, data/metrics.csv).

Deterministic: every random draw comes from random.Random seeded with a fixed string, and the
rows are written in a fixed order, so `python3 data/generate.py` rewrites the files byte for
byte identically on every run. Python 3 standard library only.

The figures are INVENTED. The units are the official ones (codes and names of the GSO list of
2025-01-04 and the 2025-07-01 conversion, data/vn-units/source/), but for the 86 Thanh Hóa
communes merged away in 2020, put back with made-up names and codes 38X001..38X086 so that the
2015 baseline has its 635 communes. No value is an official statistic. See data/README.md.
"""

import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

# Trajectory profiles. Each maps t in [0, 1] (0 = baseline, 1 = the plan's horizon) to a share
# of the way from the baseline value to the target. Chosen so that every status appears:
#   ahead         reaches the target early                -> achieved
#   on_track      ends at 97 % of the way                 -> on_track  (ratio >= 0.95)
#   slow          ends at 65 % of the way                 -> at_risk   (0.5 <= ratio < 0.95)
#   stagnant      ends at 20 % of the way                 -> off_track
#   deteriorating moves away from the target              -> deteriorating
#   missing       reports the baseline period only, or nothing at all -> insufficient_data
PROFILES = ["ahead", "on_track", "slow", "stagnant", "deteriorating", "on_track", "ahead", "missing"]


def progress(profile, t):
    if profile == "ahead":
        return min(1.0, 1.7 * t)
    if profile == "on_track":
        return 0.97 * t
    if profile == "slow":
        return 0.65 * t
    if profile == "stagnant":
        return 0.2 * t
    if profile == "deteriorating":
        return -0.6 * t
    return 0.97 * t  # "missing" units follow on_track when they do report


def level_at(profile, base, target, t):
    """Value on the way from base to target (away from it when deteriorating), within 0..100."""
    return max(0.0, min(100.0, base + (target - base) * progress(profile, t)))


def fmt(v):
    """Numbers as the engine prints them: integers plain, otherwise up to 6 decimals trimmed."""
    if v is None:
        return ""
    if isinstance(v, int) or float(v).is_integer():
        return str(int(v))
    return ("%.6f" % v).rstrip("0").rstrip(".")


def years(a, b):
    return [str(y) for y in range(a, b + 1)]


def halves(a, b):
    return ["%dS%d" % (y, h) for y in range(a, b + 1) for h in (1, 2)]


def quarters(a, b):
    return ["%dQ%d" % (y, q) for y in range(a, b + 1) for q in (1, 2, 3, 4)]


def months(a, b):
    return ["%d-%02d" % (y, m) for y in range(a, b + 1) for m in range(1, 13)]


class Data:
    def __init__(self):
        self.units = []          # rows: code, name, level, parent, valid_from, valid_to, high_risk, task_kind
        self.obs = []            # rows: unit, period, metric, value
        self.links = []          # rows: period, from, to, kind, weight
        self.seen = set()

    def unit(self, code, name, level, parent, high_risk="", task_kind="", valid_from="", valid_to=""):
        self.units.append([code, name, level, parent, valid_from, valid_to,
                           fmt(high_risk) if high_risk != "" else "",
                           fmt(task_kind) if task_kind != "" else ""])

    def put(self, unit, period, metric, value):
        key = (unit, period, metric)
        assert key not in self.seen, key
        self.seen.add(key)
        self.obs.append([unit, period, metric, fmt(value)])


SYL1 = ["Đông", "Tây", "Nam", "Bắc", "Tân", "Hòa", "Minh", "Quảng", "Xuân", "Thiệu", "Hoằng",
        "Vĩnh", "Yên", "Phú", "Thanh", "Cẩm", "Định", "Trường", "Hải", "An", "Bình", "Long",
        "Phúc", "Thọ", "Hợp", "Đồng", "Trung", "Cao", "Kim", "Ngọc", "Lộc", "Thạch", "Hưng"]
SYL2 = ["Sơn", "Hà", "Thịnh", "Lợi", "Phong", "Hải", "Châu", "Thành", "Giang", "Khê", "Lâm",
        "Tiến", "Hưng", "Xá", "Phú", "Thuận", "Hòa", "Tân", "Lạc", "Vân", "Đức", "Quang", "Trạch",
        "Lĩnh", "Nghĩa", "Tường", "Lập", "Mỹ", "Ninh", "Bình", "Khánh", "Tâm", "Yên", "Linh"]


def commune_names(rng, n, urban):
    """n distinct made-up commune names; urban districts get wards (Phường)."""
    names, used = [], set()
    while len(names) < n:
        base = rng.choice(SYL1) + " " + rng.choice(SYL2)
        if base in used:
            continue
        used.add(base)
        if urban:
            kind = "Phường" if len(names) < max(1, n * 2 // 3) else "Xã"
        else:
            kind = "Thị trấn" if not names else "Xã"
        names.append(kind + " " + base)
    return names


def boolean_share(d, rng, communes_by_district, metric, periods, base_rng, target, profiles,
                  missing_rate=0.0, frac=None, valid_to=None):
    """Commune booleans whose district shares follow each district's profile.

    Each commune gets a fixed rank u in [0, 1); it is 1 in a period when u < the district's
    share for that period, so shares move smoothly and individual communes rarely flip back.
    A commune in valid_to (code -> last period) reports nothing after its last period.
    """
    frac = frac or (lambda i: i / (len(periods) - 1))
    valid_to = valid_to or {}
    for k, (dcode, communes) in enumerate(communes_by_district.items()):
        prof = profiles[k % len(profiles)]
        base = rng.uniform(*base_rng)
        order = list(communes)
        rng.shuffle(order)
        n = len(order)
        for i, p in enumerate(periods):
            if prof == "missing" and i > 0:
                continue                        # reported the baseline, then stopped
            share = level_at(prof, base, target, frac(i))
            for j, c in enumerate(order):
                u = (j + 0.5) / n
                if c in valid_to and p > valid_to[c]:
                    continue                        # merged away: reported by its host
                if missing_rate and rng.random() < missing_rate:
                    if rng.random() < 0.5:
                        d.put(c, p, metric, None)   # empty value: no data
                    continue                        # or no row at all
                d.put(c, p, metric, 1 if u * 100 < share else 0)


def district_boolean(d, rng, districts, metric, periods, base_rng, target, profiles, offset=0):
    """District booleans: a district switches on when its profile's share passes its rank."""
    for k, dcode in enumerate(districts):
        prof = profiles[(k + offset) % len(profiles)]
        u = rng.uniform(*base_rng)               # where on the 0..100 ladder this district sits
        for i, p in enumerate(periods):
            if prof == "missing" and i > 0:
                continue
            t = i / (len(periods) - 1)
            if prof == "deteriorating":
                on = u < 60 and i < len(periods) - 2
            else:
                on = u < level_at(prof, 30, target, t) or (prof == "ahead" and i >= 2)
            d.put(dcode, p, metric, 1 if on else 0)


def district_ratio(d, rng, districts, num, den, periods, den_rng, base_rng, target, profiles,
                   offset=0):
    """District counts: a denominator and a numerator that follows the district's profile."""
    for k, dcode in enumerate(districts):
        prof = profiles[(k + offset) % len(profiles)]
        total = rng.randint(*den_rng)
        base = rng.uniform(*base_rng)
        for i, p in enumerate(periods):
            if prof == "missing" and i > 0:
                continue
            t = i / (len(periods) - 1)
            total = max(1, total + rng.randint(-2, 3))
            pct = level_at(prof, base, target, t)
            d.put(dcode, p, den, total)
            d.put(dcode, p, num, min(total, int(round(total * pct / 100.0))))


# --------------------------------------------------------------------------------------------
# Thanh Hóa (38): Kế hoạch 112/KH-UBND, 2016-2020, baseline 2015
# --------------------------------------------------------------------------------------------

# The official list (GSO, 2025-01-04) has Thanh Hóa's 549 communes in 26 districts: the map
# after the 2019-2020 mergers (Resolution 786/NQ-UBTVQH14: 635 communes became 559) and the
# later ones (Đông Sơn's communes now under the city). The plan's baseline is the 635 communes
# of 2015, so the data put back 86 communes merged away (2015 count per district below, minus
# the official count): each is a commune with an invented name and a code `38X…` (not a GSO
# code), valid until 2019S2, whose successions.csv link passes it whole into one official
# commune of its district (its "host") at 2020S1. The mergers are dated 2020S1 for all of them.
TH_DISTRICTS = {  # code: (communes in 2015, high_risk, communes with prostitution in 2015, of them
                  #        in pairs merged into one host)
    "380": (53, 1, 10, 2), "381": (8, 1, 3, 0), "382": (11, 1, 5, 0), "384": (9, 0, 1, 0),
    "385": (18, 0, 0, 0), "386": (23, 0, 0, 0), "387": (13, 0, 0, 0), "388": (11, 0, 0, 0),
    "389": (22, 0, 1, 0), "390": (20, 0, 1, 0), "391": (28, 0, 1, 0), "392": (25, 0, 2, 1),
    "393": (16, 0, 0, 0), "394": (29, 0, 1, 0), "395": (39, 0, 2, 1), "396": (17, 0, 0, 0),
    "397": (36, 0, 2, 0), "398": (28, 0, 1, 0), "399": (43, 1, 4, 1), "400": (27, 0, 2, 0),
    "401": (27, 0, 1, 0), "402": (18, 0, 0, 0), "403": (17, 0, 1, 0), "404": (33, 0, 2, 0),
    "406": (30, 1, 3, 0), "407": (34, 1, 6, 2),
}
TH_MERGED_AT = "2020S1"          # first half-year on the new map
# How fast each district turns communes with prostitution into clean ones (per year), and
# whether it lets clean communes slip back. Keyed by district code.
TH_CLEAN_STORY = {
    "380": ("convert", 0.2), "381": ("convert", 0.0), "382": ("relapse", 0.0),
    "399": ("convert", 0.15), "406": ("convert", 0.08), "407": ("convert", 0.2),
    "392": ("convert", 0.5), "395": ("convert", 0.3), "397": ("convert", 0.0),
    "400": ("relapse", 0.0), "404": ("convert", 0.35),
}
# Half-years in which a "relapse" district sees one clean commune slip back.
TH_RELAPSES = {"382": ("2018S2", "2020S2"), "400": ("2019S2",)}


def official(prov):
    """A province's districts and communes in the GSO list of 2025-01-04 (data/vn-units/source/),
    in the list's order: [(district_code, district_name, [(commune_code, commune_name), ...])]."""
    with open(os.path.join(HERE, "vn-units", "source", "units-2025-01-04.csv"), encoding="utf-8",
              newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["province_code"] == prov]
    out = []
    for r in rows:
        if not out or out[-1][0] != r["district_code"]:
            out.append((r["district_code"], r["district_name"], []))
        out[-1][2].append((r["commune_code"], r["commune_name"]))
    return out


def thanh_hoa(d):
    rng = random.Random("chitieu/thanh-hoa")
    d.unit("38", "Thanh Hóa", "province", "")
    districts = official("38")
    assert [c for c, _, _ in districts] == list(TH_DISTRICTS)
    # groups[dcode]: per official commune (the host), the communes merged into it in 2020
    groups, com, gone, serial = {}, {}, {}, 0
    for dcode, dname, communes in districts:
        n2015, hr, _, _ = TH_DISTRICTS[dcode]
        d.unit(dcode, dname, "district", "38", high_risk=hr)
        for code, name in communes:
            d.unit(code, name, "commune", dcode)
        absorbed = {code: [] for code, _ in communes}
        hosts = rng.sample([code for code, _ in communes], n2015 - len(communes))
        names, taken = [], [name for _, name in communes]
        while len(names) < len(hosts):          # made up, unlike any name in the district
            base = rng.choice(SYL1) + " " + rng.choice(SYL2)
            if not any(t.endswith(" " + base) for t in taken):
                taken.append("Xã " + base)
                names.append("Xã " + base)
        for host, name in zip(hosts, names):
            serial += 1
            code = "38X%03d" % serial
            d.unit(code, name, "commune", dcode, valid_to="2019S2")
            d.links.append([TH_MERGED_AT, code, host, "whole", ""])
            absorbed[host].append(code)
            gone[code] = "2019S2"
        groups[dcode] = [[code] + absorbed[code] for code, _ in communes]
        com[dcode] = [c for g in groups[dcode] for c in g]
    assert serial == 86 and sum(len(v) for v in com.values()) == 635
    dcodes = list(com)
    H = halves(2015, 2020)

    # is_clean: exactly 586 of the 635 communes clean in 2015 (both halves); a district's
    # communes with prostitution are in distinct groups but for its "pairs" (a host and a
    # commune merged into it, both with prostitution). Each year a share of the groups with
    # prostitution is cleaned up (all their communes); from 2020S1 a host reports for its group.
    unclean_total = 0
    for dcode, gs in groups.items():
        _, _, unclean, pairs = TH_DISTRICTS[dcode]
        unclean_total += unclean
        state = {c: 1 for g in gs for c in g}
        order = list(range(len(gs)))
        rng.shuffle(order)
        with_merged = [i for i in order if len(gs[i]) > 1]
        dirty = with_merged[:pairs]
        for i in dirty:
            state[gs[i][0]] = state[gs[i][1]] = 0
        for i in [i for i in order if i not in dirty][:unclean - 2 * pairs]:
            state[rng.choice(gs[i])] = 0
        story, rate = TH_CLEAN_STORY.get(dcode, ("convert", 0.15))
        silent = dcode == "384"                 # Mường Lát: no commune reports in 2019
        for i, p in enumerate(H):
            if i >= 2 and p.endswith("S2"):     # changes are recorded in the second half
                if story == "relapse":
                    if p in TH_RELAPSES[dcode]:
                        g = [gs[k] for k in order if all(state[c] for c in gs[k])][0]
                        state[g[0]] = 0
                else:
                    bad = [gs[k] for k in order if not all(state[c] for c in gs[k])]
                    for g in bad[:int(len(bad) * rate + rng.random())]:
                        for c in g:
                            state[c] = 1
            if p == TH_MERGED_AT:                 # a merged commune is clean if all its parts were
                for g in gs:
                    state[g[0]] = min(state[c] for c in g)
            for g in gs:
                for c in (g if p < TH_MERGED_AT else g[:1]):
                    if silent and p.startswith("2019"):
                        continue
                    d.put(c, p, "is_clean", state[c])
    assert unclean_total == 49

    # has_propaganda: share of communes with at least one awareness activity (target 100).
    boolean_share(d, rng, com, "has_propaganda", H, (35, 70), 100, PROFILES, missing_rate=0.01,
                  valid_to=gone)

    # has_hotspot: public prostitution hotspots in a few urban / coastal communes (hosts only).
    hot_story = {"380": [3, 3, 2, 2, 1, 1, 1, 0, 0, 0, 0, 0], "382": [2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5],
                 "407": [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], "399": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                 "406": [2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]}
    for dcode, gs in groups.items():
        story = hot_story.get(dcode, [0] * len(H))
        for i, p in enumerate(H):
            for j, g in enumerate(gs):
                for c in (g if p < TH_MERGED_AT else g[:1]):
                    d.put(c, p, "has_hotspot", 1 if c == g[0] and j < story[i] else 0)

    Y = years(2015, 2020)
    district_boolean(d, rng, dcodes, "has_harm_reduction", Y, (0, 100), 60, PROFILES, offset=1)
    district_boolean(d, rng, dcodes, "has_service_model", Y, (0, 100), 50, PROFILES, offset=2)
    district_boolean(d, rng, dcodes, "has_team_178", Y, (0, 100), 100, PROFILES, offset=3)
    district_boolean(d, rng, dcodes, "has_integration", Y, (0, 100), 100, PROFILES, offset=4)
    district_ratio(d, rng, dcodes, "staff_trained", "staff_total", Y, (25, 60), (40, 70), 92,
                   PROFILES, offset=5)
    district_ratio(d, rng, dcodes, "violators_handled", "violators_detected", Y, (3, 40), (80, 95),
                   100, PROFILES, offset=6)
    # est_disguised: establishments with disguised prostitution, target -50 % of 2015.
    for k, dcode in enumerate(dcodes):
        prof = PROFILES[(k + 7) % len(PROFILES)]
        base = rng.randint(4, 40)
        for i, p in enumerate(Y):
            if prof == "missing" and i > 0:
                continue
            t = i / (len(Y) - 1)
            v = base * (1 - 0.5 * progress(prof, t))
            d.put(dcode, p, "est_disguised", max(0, int(round(v))))

    # media_posts: items in provincial press / TV per month (target: at least one a month).
    for p in months(2015, 2020):
        y, m = int(p[:4]), int(p[5:])
        if p in ("2019-07",):
            continue                              # month not reported
        if y == 2015:
            v = rng.choice([0, 0, 1, 2])
        elif p in ("2016-02", "2019-02", "2019-08"):
            v = 0                                 # Tết / summer gaps
        else:
            v = rng.randint(1, 6)
        d.put("38", p, "media_posts", v)


# --------------------------------------------------------------------------------------------
# Hậu Giang (93): Kế hoạch 52/KH-UBND, 2021-2025, baseline 2021
# --------------------------------------------------------------------------------------------

HG_DISTRICTS = [
    ("930", "Thành phố Vị Thanh", 9, True, 1),
    ("931", "Thành phố Ngã Bảy", 6, True, 1),
    ("932", "Huyện Châu Thành A", 10, False, 1),
    ("933", "Huyện Châu Thành", 9, False, 0),
    ("934", "Huyện Phụng Hiệp", 15, False, 1),
    ("935", "Huyện Vị Thủy", 10, False, 0),
    ("936", "Huyện Long Mỹ", 8, False, 0),
    ("937", "Thị xã Long Mỹ", 8, True, 0),
]


def official_hau_giang():
    """Hậu Giang's real districts and communes (GSO list of 2025-01-04) and what its
    communes became on 2025-07-01 (the official conversion table), from data/vn-units/source/."""
    src = os.path.join(HERE, "vn-units", "source")
    with open(os.path.join(src, "units-2025-01-04.csv"), encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["province_code"] == "93"]
    with open(os.path.join(src, "conversion-2025-07-01.csv"), encoding="utf-8", newline="") as f:
        table = [r for r in csv.DictReader(f) if r["old_province_code"] == "93"]
    return rows, table


def hau_giang(d):
    """Hậu Giang closed on 2025-07-01: its 75 communes became 28 communes of Cần Thơ (92).
    The plan's last half-year is reported by the new communes; its districts and the
    province report until 2025S1."""
    rng = random.Random("chitieu/hau-giang")
    rows, table = official_hau_giang()
    d.unit("93", "Hậu Giang", "province", "", valid_to="2025S1")
    com = {}
    for dcode, dname, n, urban, hr in HG_DISTRICTS:
        commune_names(rng, n, urban)               # keeps the random stream of earlier versions
        mine = [r for r in rows if r["district_code"] == dcode]
        d.unit(dcode, mine[0]["district_name"], "district", "93", high_risk=hr, valid_to="2025S1")
        com[dcode] = []
        for r in mine:
            d.unit(r["commune_code"], r["commune_name"], "commune", dcode, valid_to="2025S1")
            com[dcode].append(r["commune_code"])
    assert sum(len(v) for v in com.values()) == 75
    d.unit("92", "Thành phố Cần Thơ", "province", "", valid_from="2025S2")
    new = {}
    for r in table:
        if r["new_commune_code"] not in new:
            new[r["new_commune_code"]] = []
            d.unit(r["new_commune_code"], r["new_commune_name"], "commune", "92", valid_from="2025S2")
        new[r["new_commune_code"]].append(r["old_commune_code"])
        d.links.append(["2025S2", r["old_commune_code"], r["new_commune_code"], "whole", ""])
    d.links.insert(0, ["2025S2", "93", "92", "whole", ""])
    dcodes = list(com)
    prof = ["ahead", "on_track", "slow", "stagnant", "deteriorating", "on_track", "missing", "ahead"]

    # Communes until 2025S1; the new communes of Cần Thơ report 2025S2: one that had
    # propaganda in any of its old communes keeps it, most others start.
    old_halves = halves(2021, 2025)[:-1]
    boolean_share(d, rng, com, "has_propaganda", old_halves, (30, 55), 80, prof,
                  missing_rate=0.02, frac=lambda i: i / len(old_halves))
    last = {r[0]: r[3] for r in d.obs if r[1] == "2025S1" and r[2] == "has_propaganda"}
    for code, olds in new.items():
        had = any(last.get(o) == "1" for o in olds)
        d.put(code, "2025S2", "has_propaganda", 1 if had or rng.random() < 0.6 else 0)

    # Provincial media: monthly items; district media: quarterly items (until the closure).
    for p in months(2021, 2025)[:-6]:
        v = rng.randint(0, 3) if p < "2022-04" else rng.randint(1, 4)
        if p in ("2023-01", "2023-02", "2023-03"):
            v = 0                                 # a quarter with nothing published
        d.put("93", p, "media_posts", v)
    Q = quarters(2021, 2025)[:-2]
    for k, dcode in enumerate(dcodes):
        pr = prof[k]
        for i, p in enumerate(Q):
            if pr == "missing" and i > 3:
                continue
            if pr == "deteriorating":
                v = 1 if i < 8 else (1 if i % 3 == 0 else 0)
            elif pr in ("slow", "stagnant"):
                v = 1 if i % 2 == 0 else 0
            else:
                v = rng.randint(1, 3) if i > 2 else rng.randint(0, 1)
            d.put(dcode, p, "district_media_posts", v)

    Y = years(2021, 2025)
    district_ratio(d, rng, dcodes, "workers_informed", "workers_total", Y, (60, 400), (30, 50), 75,
                   prof, offset=1)
    district_ratio(d, rng, dcodes, "students_informed", "students_total", Y, (800, 4000), (35, 55),
                   75, prof, offset=2)
    district_boolean(d, rng, dcodes, "has_action_plan", Y, (0, 100), 100, prof, offset=3)
    district_boolean(d, rng, dcodes, "has_integration", Y, (0, 100), 100, prof, offset=4)
    district_ratio(d, rng, dcodes, "reports_handled", "reports_received", Y, (2, 25), (85, 95), 100,
                   prof, offset=5)
    district_ratio(d, rng, dcodes, "crimes_handled", "crimes_detected", Y, (1, 8), (80, 100), 100,
                   prof, offset=6)
    district_ratio(d, rng, dcodes, "sw_served", "sw_in_need", Y, (5, 40), (20, 40), 65, prof,
                   offset=7)
    district_ratio(d, rng, dcodes, "staff_trained", "staff_total", Y, (20, 45), (20, 35), 55, prof,
                   offset=2)
    # Establishments at risk: inspected this year, and ever inspected since 2021 (cumulative).
    for k, dcode in enumerate(dcodes):
        pr = prof[(k + 3) % len(prof)]
        total = rng.randint(15, 90)
        ever = set()
        for i, p in enumerate(Y):
            if pr == "missing" and i > 0:
                continue
            t = i / (len(Y) - 1)
            pct = level_at(pr, rng.uniform(55, 70), 90, t)
            n = int(round(total * pct / 100))
            inspected = rng.sample(range(total), n)
            ever.update(inspected)
            d.put(dcode, p, "est_at_risk", total)
            d.put(dcode, p, "est_inspected", n)
            d.put(dcode, p, "est_inspected_ever", len(ever))
    # Pilot models in high-risk districts (and one low-risk district tries one too).
    pilot_year = {"930": 2022, "931": 2024, "932": None, "934": 2025, "935": 2023}
    for dcode in dcodes:
        for p in Y:
            y = pilot_year.get(dcode)
            d.put(dcode, p, "has_pilot_model", 1 if y is not None and int(p) >= y else 0)
    # Provincial staff.
    total = 64
    for i, p in enumerate(Y):
        d.put("93", p, "staff_total_prov", total + i)
        d.put("93", p, "staff_trained_prov", [22, 30, 38, 45, 49][i])


# --------------------------------------------------------------------------------------------
# Phú Thọ (25): Kế hoạch năm 2015, baseline 2014
# --------------------------------------------------------------------------------------------

# High-risk districts (establishments at risk of prostitution); the districts and communes are
# those of the official list of 2025-01-04 (207 communes; 277 in 2014, before the province's
# 2019-2020 and later mergers, which are not put back: the plan's targets are shares).
PT_HIGH_RISK = {"227", "228", "237", "239"}


def phu_tho(d):
    rng = random.Random("chitieu/phu-tho")
    d.unit("25", "Phú Thọ", "province", "")
    com = {}
    for dcode, dname, communes in official("25"):
        d.unit(dcode, dname, "district", "25", high_risk=1 if dcode in PT_HIGH_RISK else 0)
        com[dcode] = []
        for code, name in communes:
            d.unit(code, name, "commune", dcode)
            com[dcode].append(code)
    assert len(com) == 13 and sum(len(v) for v in com.values()) == 207
    dcodes = list(com)
    H = halves(2014, 2015)
    # 2014S1 .. 2015S2; the year 2015 is the plan year, so t runs 0, 1/3, 2/3, 1 over halves
    boolean_share(d, rng, com, "has_propaganda", H, (55, 85), 100, PROFILES, missing_rate=0.01)
    Y = years(2014, 2015)
    district_ratio(d, rng, dcodes, "cases_handled", "cases_detected", Y, (1, 15), (75, 95), 100,
                   PROFILES, offset=1)
    district_boolean(d, rng, dcodes, "has_service_model", Y, (0, 100), 60, PROFILES, offset=2)
    district_ratio(d, rng, dcodes, "sw_recorded_supported", "sw_recorded", Y, (2, 30), (30, 60),
                   80, PROFILES, offset=3)


# --------------------------------------------------------------------------------------------
# Hà Nội (01): Kế hoạch 46/KH-UBND năm 2024, half-yearly, baseline 2023 (before the plan)
# --------------------------------------------------------------------------------------------

HN_DISTRICTS = [
    ("001", "Quận Ba Đình"), ("002", "Quận Hoàn Kiếm"), ("003", "Quận Tây Hồ"),
    ("004", "Quận Long Biên"), ("005", "Quận Cầu Giấy"), ("006", "Quận Đống Đa"),
    ("007", "Quận Hai Bà Trưng"), ("008", "Quận Hoàng Mai"), ("009", "Quận Thanh Xuân"),
    ("016", "Huyện Sóc Sơn"), ("017", "Huyện Đông Anh"), ("018", "Huyện Gia Lâm"),
    ("019", "Quận Nam Từ Liêm"), ("020", "Huyện Thanh Trì"), ("021", "Quận Bắc Từ Liêm"),
    ("250", "Huyện Mê Linh"), ("268", "Quận Hà Đông"), ("269", "Thị xã Sơn Tây"),
    ("271", "Huyện Ba Vì"), ("272", "Huyện Phúc Thọ"), ("273", "Huyện Đan Phượng"),
    ("274", "Huyện Hoài Đức"), ("275", "Huyện Quốc Oai"), ("276", "Huyện Thạch Thất"),
    ("277", "Huyện Chương Mỹ"), ("278", "Huyện Thanh Oai"), ("279", "Huyện Thường Tín"),
    ("280", "Huyện Phú Xuyên"), ("281", "Huyện Ứng Hòa"), ("282", "Huyện Mỹ Đức"),
]
REFORM_LAST = "2025S1"         # the last half-year of the old map (the reform: 2025-07-01)
HN_URBAN_HIGH_RISK = {"001", "002", "003", "006", "007", "008", "009", "019", "268"}

# Task units: (code, name, task_kind, % complete at 2023, 2024S1, 2024S2; None = not reported)
HN_TASKS = [
    ("01T01", "Hướng dẫn, triển khai, tổng hợp và báo cáo Kế hoạch 46/KH-UBND", 1, 0, 50, 100),
    ("01T02", "Kiện toàn Tổ công tác liên ngành phòng, chống mại dâm Thành phố", 1, 0, 100, 100),
    ("01T03", "Kiện toàn Đội Kiểm tra liên ngành 178, hướng dẫn Đội 178 cấp huyện, cấp xã", 1, 0, 60, 100),
    ("01T04", "Khảo sát, đánh giá tệ nạn mại dâm nơi công cộng và tại cơ sở kinh doanh dịch vụ", 1, 0, 20, 70),
    ("01T05", "Tuyên truyền tại các cơ sở giáo dục nghề nghiệp", 1, 0, 50, 100),
    ("01T06", "Đào tạo, tập huấn, trao đổi kinh nghiệm cho cán bộ các cấp", 1, 0, 40, 90),
    ("01T07", "Hỗ trợ nạn nhân bị mua bán; đánh giá xã, phường, thị trấn", 1, 0, 30, None),
    ("01T08", 'Nhân rộng mô hình "nhóm đồng đẳng, nhóm tự lực" của người bán dâm', 1, 0, 25, 60),
    ("01T09", "Nâng cao hiệu quả hỗ trợ giảm tác hại, phòng, chống bạo lực giới", 1, 0, 50, 100),
    ("01T10", "Cung cấp thông tin cho các sở, ngành và cơ quan báo chí", 1, 0, 50, 100),
    ("01T11", "Tổng hợp, báo cáo; tham mưu khen thưởng", 1, 0, 50, 100),
    ("01T12", "Quản lý, sử dụng kinh phí phòng, chống mại dâm", 1, 0, 50, 100),
    ("01G1", "Nhóm nhiệm vụ 1: truyền thông, tuyên truyền, phổ biến, giáo dục", 2, 0, 50, 100),
    ("01G2", "Nhóm nhiệm vụ 2: hoạt động phòng ngừa mại dâm", 2, 0, 45, 100),
    ("01G3", "Nhóm nhiệm vụ 3: thanh tra, kiểm tra, xử lý vi phạm", 2, 0, 50, 85),
    ("01G4", "Nhóm nhiệm vụ 4: can thiệp giảm tác hại, phòng, chống bạo lực giới", 2, 0, 35, 80),
    ("01G5", "Nhóm nhiệm vụ 5: đào tạo, tập huấn, bồi dưỡng", 2, 0, 40, 100),
    ("01S1", "Giải pháp 1: quản lý Nhà nước", 3, 0, 50, 100),
    ("01S2", "Giải pháp 2: tổ chức thực hiện", 3, 0, 50, 100),
    ("01S3", "Giải pháp 3: huy động nguồn lực", 3, 0, 30, 75),
    ("01S4", "Giải pháp 4: hợp tác quốc tế", 3, 0, 10, 40),
]


def ha_noi(d):
    rng = random.Random("chitieu/ha-noi")
    d.unit("01", "Hà Nội", "province", "")
    districts = official("01")
    assert [(c, n) for c, n, _ in districts] == HN_DISTRICTS
    for code, name, communes in districts:
        # the districts and communes end with the 2025 reform (ha_noi_2026: the 126 new ones)
        d.unit(code, name, "district", "01", high_risk=1 if code in HN_URBAN_HIGH_RISK else 0,
               valid_to=REFORM_LAST)
        for ccode, cname in communes:               # the 2024 plan reads no commune figure
            d.unit(ccode, cname, "commune", code, valid_to=REFORM_LAST)
    assert sum(len(c) for _, _, c in districts) == 526
    for code, name, kind, *_ in HN_TASKS:
        d.unit(code, name, "task", "01", task_kind=kind)
    for code, name, kind, b, s1, s2 in HN_TASKS:
        d.put(code, "2023", "pct_complete", b)
        d.put(code, "2024S1", "pct_complete", s1)
        d.put(code, "2024S2", "pct_complete", s2)   # None -> empty value (not reported)

    # District figures: 178 teams, establishment inspections (year-to-date), staff training.
    P = ["2023", "2024S1", "2024S2"]
    dcodes = [c for c, _ in HN_DISTRICTS]
    for k, dcode in enumerate(dcodes):
        prof = PROFILES[k % len(PROFILES)]
        total = rng.randint(40, 400) if dcode in HN_URBAN_HIGH_RISK else rng.randint(10, 80)
        staff = rng.randint(15, 40)
        base = rng.uniform(50, 70)
        for i, p in enumerate(P):
            if prof == "missing" and i > 0:
                continue
            t = i / 2
            d.put(dcode, p, "has_team_178", 0 if (prof == "stagnant" and i == 0) else 1)
            # year-to-date: the first half covers about half of the year's inspections
            pct = level_at(prof, base, 90, t) * (0.55 if p.endswith("S1") else 1)
            d.put(dcode, p, "est_at_risk", total)
            d.put(dcode, p, "est_inspected", int(round(total * pct / 100)))
            d.put(dcode, p, "staff_total", staff)
            d.put(dcode, p, "staff_trained", int(round(staff * level_at(prof, 40, 80, t) / 100)))


# --------------------------------------------------------------------------------------------
# 2026: the new map, through 2026S1 (Hà Nội's 126 communes and wards; the new Cần Thơ)
# --------------------------------------------------------------------------------------------
# Written after every row above, each from a seeded stream of its own, so that the rows of the
# earlier data stay byte for byte as they were. The new communes, their names and how the old
# communes passed into them are those of the official conversion (data/vn-units/: the table
# as successions, a part link without a weight where the table says "Nhập một phần").

NEW_MAP_FIRST = "2025S2"


def new_map(prov, old_provs):
    """The communes of province prov from 2025-07-01, [(code, name)], and the links of the old
    communes of old_provs into them, [[period, from, to, kind, weight]], in the table's order."""
    vn = os.path.join(HERE, "vn-units")
    with open(os.path.join(vn, "units.csv"), encoding="utf-8", newline="") as f:
        new = [(r["code"], r["name"]) for r in csv.DictReader(f)
               if r["parent"] == prov and r["valid_from"] == NEW_MAP_FIRST and r["level"] == "commune"]
    codes = {c for c, _ in new}
    olds = {c for p in old_provs for _, _, cs in official(p) for c, _ in cs}
    with open(os.path.join(vn, "successions.csv"), encoding="utf-8", newline="") as f:
        links = [[r["period"], r["from"], r["to"], r["kind"], r["weight"]] for r in csv.DictReader(f)
                 if r["to"] in codes and r["from"] in olds]
    assert all(link[0] == NEW_MAP_FIRST for link in links)
    return new, links


# Cần Thơ (92) and Sóc Trăng (94) before the reform, with the figures Hậu Giang's plan reads
# (2021-2025), and the new Cần Thơ (their communes and Hậu Giang's: 103) from 2025S2.
CT_OLD = [("92", "Thành phố Cần Thơ"), ("94", "Sóc Trăng")]
CT_PROFILES = ["on_track", "slow", "ahead", "stagnant", "on_track", "deteriorating", "ahead",
               "missing", "slow", "on_track", "ahead"]


def can_tho_2026(d):
    rng = random.Random("chitieu/can-tho-2026")
    com = {}
    for prov, pname in CT_OLD:
        d.unit(prov, pname, "province", "", valid_to=REFORM_LAST)
        for dcode, dname, communes in official(prov):
            hr = 1 if dname.startswith(("Quận", "Thành phố", "Thị xã")) else 0
            d.unit(dcode, dname, "district", prov, high_risk=hr, valid_to=REFORM_LAST)
            com[dcode] = []
            for code, name in communes:
                d.unit(code, name, "commune", dcode, valid_to=REFORM_LAST)
                com[dcode].append(code)
    assert sum(len(v) for v in com.values()) == 80 + 108
    new, links = new_map("92", [p for p, _ in CT_OLD])
    have = {u[0] for u in d.units if u[2] == "commune" and u[3] == "92"}   # Hậu Giang's 28
    for code, name in new:
        if code not in have:
            d.unit(code, name, "commune", "92", valid_from=NEW_MAP_FIRST)
    assert len(new) == 103 and len(have) == 28
    d.links.append([NEW_MAP_FIRST, "92", "92", "whole", ""])
    d.links.append([NEW_MAP_FIRST, "94", "92", "whole", ""])
    d.links.extend(links)

    old_halves = halves(2021, 2025)[:-1]
    Y = years(2021, 2025)
    Q = quarters(2021, 2025)[:-2]
    for prov, _ in CT_OLD:
        dcodes = [c for c, _, _ in official(prov)]
        mine = {c: com[c] for c in dcodes}
        boolean_share(d, rng, mine, "has_propaganda", old_halves, (35, 60), 80, CT_PROFILES,
                      missing_rate=0.02, frac=lambda i: i / len(old_halves))
        for p in months(2021, 2025)[:-6]:
            d.put(prov, p, "media_posts", rng.randint(0, 3) if p < "2022-01" else rng.randint(1, 5))
        for k, dcode in enumerate(dcodes):
            pr = CT_PROFILES[k % len(CT_PROFILES)]
            for i, p in enumerate(Q):
                if pr == "missing" and i > 3:
                    continue
                if pr in ("slow", "stagnant", "deteriorating"):
                    v = 1 if i % 2 == 0 else 0
                else:
                    v = rng.randint(1, 3) if i > 2 else rng.randint(0, 1)
                d.put(dcode, p, "district_media_posts", v)
        district_ratio(d, rng, dcodes, "workers_informed", "workers_total", Y, (60, 500), (30, 55),
                       75, CT_PROFILES, offset=1)
        district_ratio(d, rng, dcodes, "students_informed", "students_total", Y, (800, 6000),
                       (35, 55), 75, CT_PROFILES, offset=2)
        district_boolean(d, rng, dcodes, "has_action_plan", Y, (0, 100), 100, CT_PROFILES, offset=3)
        district_boolean(d, rng, dcodes, "has_integration", Y, (0, 100), 100, CT_PROFILES, offset=4)
        district_ratio(d, rng, dcodes, "reports_handled", "reports_received", Y, (2, 30), (85, 95),
                       100, CT_PROFILES, offset=5)
        district_ratio(d, rng, dcodes, "crimes_handled", "crimes_detected", Y, (1, 10), (80, 100),
                       100, CT_PROFILES, offset=6)
        district_ratio(d, rng, dcodes, "sw_served", "sw_in_need", Y, (5, 50), (20, 40), 65,
                       CT_PROFILES, offset=7)
        district_ratio(d, rng, dcodes, "staff_trained", "staff_total", Y, (20, 50), (20, 35), 55,
                       CT_PROFILES, offset=2)
        for k, dcode in enumerate(dcodes):
            pr = CT_PROFILES[(k + 3) % len(CT_PROFILES)]
            total = rng.randint(15, 120)
            ever = set()
            for i, p in enumerate(Y):
                if pr == "missing" and i > 0:
                    continue
                pct = level_at(pr, rng.uniform(55, 70), 90, i / (len(Y) - 1))
                n = int(round(total * pct / 100))
                inspected = rng.sample(range(total), n)
                ever.update(inspected)
                d.put(dcode, p, "est_at_risk", total)
                d.put(dcode, p, "est_inspected", n)
                d.put(dcode, p, "est_inspected_ever", len(ever))
        district_boolean(d, rng, dcodes, "has_pilot_model", Y, (0, 100), 60, CT_PROFILES, offset=5)
        # provincial staff; the old Cần Thơ's code is the new city's, so its last figure is
        # of a half-year (a year 2025 would name both)
        total, trained = rng.randint(50, 90), rng.uniform(25, 40)
        for i, p in enumerate(Y):
            p = p if prov != "92" or p != "2025" else REFORM_LAST
            d.put(prov, p, "staff_total_prov", total + i)
            d.put(prov, p, "staff_trained_prov", int(round((total + i) * (trained + 8 * i) / 100)))

    # The new city from 2025S2: a commune whose old communes had awareness activities keeps
    # them, most others start; the city's media monthly; its staff each half-year (2025S2: its
    # 2025, the old provinces' last figures being of a year or a half-year).
    last = {r[0]: r[3] for r in d.obs if r[1] == REFORM_LAST and r[2] == "has_propaganda"}
    parts = {}
    for _, old, to, _, _ in [l for l in d.links if l[0] == NEW_MAP_FIRST and l[2] in {c for c, _ in new}]:
        parts.setdefault(to, []).append(old)
    s2 = {}
    for code, _ in new:
        if code in have:
            s2[code] = next(r[3] for r in d.obs if r[0] == code and r[1] == NEW_MAP_FIRST
                            and r[2] == "has_propaganda")
            continue
        had = any(last.get(o) == "1" for o in parts.get(code, []))
        s2[code] = "1" if had or rng.random() < 0.5 else "0"
        d.put(code, NEW_MAP_FIRST, "has_propaganda", int(s2[code]))
    for code, _ in new:
        on = rng.random() < (0.97 if s2[code] == "1" else 0.4)
        d.put(code, "2026S1", "has_propaganda", 1 if on else 0)
    for p in months(2025, 2026)[6:18]:
        d.put("92", p, "media_posts", rng.randint(2, 7))
    for p, total, trained in ((NEW_MAP_FIRST, 186, 112), ("2026S1", 190, 121)):
        d.put("92", p, "staff_total_prov", total)
        d.put("92", p, "staff_trained_prov", trained)


# Hà Nội from 2025-07-01: 126 communes and wards, made of its 526 communes (795 links, 468 of
# them parts). Its 2026 plan (07/KH-UBND) counts communes and wards, people reached and cases.
# Communes and wards report their booleans half-yearly (the old communes 2023S1-2025S1, the new
# ones from 2025S2); the city reports its counts monthly from 2023-01 to 2026-06, so that each
# count has three complete years of months behind the mid-year review of 2026S1.
HN_BOOLEANS = [  # metric, shares of the new communes in 2023S1 .. 2026S1
    ("has_propaganda", [58, 76, 66, 84, 71, 90, 82]),
    ("has_commune_model", [30, 38, 45, 52, 60, 68, 74]),
    ("has_commune_integration", [55, 62, 70, 76, 82, 86, 89]),
]
# Months' weights through a year (Tết in January-February; the campaign month in June; the
# school year for students; training in the second half)
HN_SEASON = {
    "even": [0.8, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2],
    "campaign": [0.5, 0.4, 0.9, 1.0, 1.0, 1.3, 0.8, 0.8, 1.0, 1.1, 1.3, 1.0],
    "school": [1.2, 0.6, 1.3, 1.3, 1.0, 0.3, 0.1, 0.2, 1.5, 1.4, 1.3, 1.0],
    "training": [0.3, 0.2, 0.8, 1.0, 1.2, 1.0, 0.8, 1.0, 1.3, 1.4, 1.5, 1.0],
}
HN_COUNTS = [  # metric, season, totals of 2023, 2024, 2025, 2026's first half against its
               # expected share of the 2026 target (above 1: ahead), the 2026 target
    ("residents_informed", "campaign", (4600, 4900, 5100), 1.15, 5300),
    ("est_workers_informed", "campaign", (3000, 3200, 3350), 0.75, 3500),
    ("ip_workers_informed", "even", (52000, 55000, 58000), 1.02, 60000),
    ("students_reached", "school", (85000, 91000, 96000), 0.72, 100000),
    ("people_trained", "training", (5200, 5500, 5800), 0.4, 6000),
    ("crime_cases", "even", (84, 89, 94), 1.05, 100),
    ("crime_cases_tried", "even", (76, 82, 88), 0.85, 100),
]
# Television reports: the months in which one was broadcast
HN_TV = {2023: (6, 11), 2024: (3, 6, 11), 2025: (6, 9, 12), 2026: (6,)}


def ha_noi_2026(d):
    rng = random.Random("chitieu/ha-noi-2026")
    new, links = new_map("01", ["01"])
    assert len(new) == 126 and len(links) == 795
    for code, name in new:
        d.unit(code, name, "commune", "01", valid_from=NEW_MAP_FIRST)
    d.links.extend(links)
    into = {}                                   # old commune -> the new communes it passes into
    for _, old, to, _, _ in links:
        into.setdefault(old, []).append(to)
    olds = [c for _, _, cs in official("01") for c, _ in cs]
    assert set(into) == set(olds)
    H = halves(2023, 2026)[:-1]
    for metric, shares in HN_BOOLEANS:
        u = {code: rng.random() for code, _ in new}
        for p, share in zip(H, shares):
            reporters = olds if p <= REFORM_LAST else [c for c, _ in new]
            for c in reporters:
                if rng.random() < 0.01:
                    if rng.random() < 0.5:
                        d.put(c, p, metric, None)
                    continue
                # an old commune is 1 where every (merge any) or some (merge all) new commune it
                # passes into would be, so that a new commune's carried value is about its own
                agg = all if MERGE.get(metric) == "any" else any
                on = agg(u[t] * 100 < share for t in (into[c] if p <= REFORM_LAST else [c]))
                d.put(c, p, metric, 1 if on else 0)
    M = months(2023, 2026)[:-6]
    for metric, season, totals, pace, target in HN_COUNTS:
        w = HN_SEASON[season]
        for p in M:
            y, m = int(p[:4]), int(p[5:])
            total = totals[y - 2023] if y < 2026 else target * pace
            v = total * w[m - 1] / sum(w) * rng.uniform(0.85, 1.15)
            d.put("01", p, metric, int(round(v)))
    for p in M:
        y, m = int(p[:4]), int(p[5:])
        d.put("01", p, "tv_features", 1 if m in HN_TV[y] else 0)
        received = rng.randint(6, 16)
        late = 1 if rng.random() < (0.25 if y < 2026 else 0.35) else 0
        d.put("01", p, "tips_received", received)
        d.put("01", p, "tips_handled", received - late)



# How each metric's values combine when units merge (metrics.csv `merge`):
# counts add up; a commune is clean only if every part was; it has a hotspot
# or propaganda if any part had; a district-level achievement holds only if
# it held in every district merged; a task's completion is the mean.
MERGE = {
    "is_clean": "all", "has_hotspot": "any", "has_propaganda": "any", "pct_complete": "mean",
}


def plan_metrics():
    """The metrics the bundled plans declare, in plan order (the dictionary
    repeats them so that each plan can run alone on this folder)."""
    import glob
    import re
    seen = {}
    texts = [open(path, encoding="utf-8").read()
             for path in sorted(glob.glob(os.path.join(HERE, "..", "indicators", "*.yaml")))]
    # plans from 2025 on come last: the rows written before them keep their order
    texts.sort(key=lambda t: int(re.search(r"^  baseline: (\d{4})", t, re.M).group(1)) >= 2025)
    for text in texts:
        block = re.search(r"^metrics:\n((?:  .*\n|\s*\n)+)", text, re.M).group(1)
        for line in block.splitlines():
            m = re.match(r"  (\w+):\s*\{(.*)\}", line)
            if not m or m.group(1) in seen:
                continue
            fields = {}
            for kv in re.split(r",\s*(?=\w+:)", m.group(2)):
                k, v = kv.split(":", 1)
                fields[k.strip()] = v.strip().strip('"')
            seen[m.group(1)] = fields
    rows = []
    for name, f in seen.items():
        merge = MERGE.get(name, "sum" if f["type"] == "count" else "all")
        rows.append([name, f["level"], f["type"], f.get("over_time", "last"), merge, f.get("title", "")])
    return rows


def main():
    d = Data()
    thanh_hoa(d)
    hau_giang(d)
    phu_tho(d)
    ha_noi(d)
    can_tho_2026(d)
    ha_noi_2026(d)
    with open(os.path.join(HERE, "units.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "valid_from", "valid_to", "high_risk", "task_kind"])
        w.writerows(d.units)
    with open(os.path.join(HERE, "successions.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["period", "from", "to", "kind", "weight"])
        w.writerows(d.links)
    with open(os.path.join(HERE, "observations.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit", "period", "metric", "value"])
        w.writerows(d.obs)
    with open(os.path.join(HERE, "metrics.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["metric", "level", "type", "over_time", "merge", "title"])
        w.writerows(plan_metrics())


if __name__ == "__main__":
    main()
