#!/usr/bin/env python3
"""Generate the national-scale synthetic benchmark dataset for chitieu.

    python3 bench/gen_national.py [OUT_DIR]      (default: bench/out/national)
    python3 bench/gen_national.py --monthly --years 20 --metrics 50 OUT_DIR

The second form is the scale run, "all of Vietnam monthly for twenty years":
monthly observations over the last YEARS years up to 2025 and the commune
metrics grown to METRICS metrics in all (extra counts `extra_NN`, each with a
`sum` indicator); OUT_DIR/plan.yaml is then the benchmark plan with them.

Writes OUT_DIR/units.csv and OUT_DIR/observations.csv in the contract format
(the interface contract; docs/data-formats.md): 63 provinces with their real GSO codes, 705
districts (3-digit codes), 10,599 communes (5-digit codes, leading zeros kept),
a `high_risk` 0/1 attribute on communes, and half-yearly observations
2011S1..2025S2 of the 17 metrics declared in bench/national-plan.yaml:
12 commune metrics and 5 district metrics.

Missing data comes in both forms the contract allows: about 3% of
(unit, period, metric) rows are absent, and about 2% of the rows present have an
empty value. Everything else is an integer (booleans 0/1, non-negative counts).

Deterministic: a fixed seed and python3's standard library only; the same
files byte for byte on every run. Takes a few seconds.
"""

import csv
import os
import random
import sys
import time

SEED = 20160112
FIRST_YEAR, LAST_YEAR = 2011, 2025
N_DISTRICTS = 705
N_COMMUNES = 10599
P_ABSENT = 0.03      # no row at all
P_EMPTY = 0.02       # a row with an empty value

# The 63 provinces and centrally-run cities, GSO codes.
PROVINCES = [
    ("01", "Thành phố Hà Nội"), ("02", "Tỉnh Hà Giang"), ("04", "Tỉnh Cao Bằng"),
    ("06", "Tỉnh Bắc Kạn"), ("08", "Tỉnh Tuyên Quang"), ("10", "Tỉnh Lào Cai"),
    ("11", "Tỉnh Điện Biên"), ("12", "Tỉnh Lai Châu"), ("14", "Tỉnh Sơn La"),
    ("15", "Tỉnh Yên Bái"), ("17", "Tỉnh Hoà Bình"), ("19", "Tỉnh Thái Nguyên"),
    ("20", "Tỉnh Lạng Sơn"), ("22", "Tỉnh Quảng Ninh"), ("24", "Tỉnh Bắc Giang"),
    ("25", "Tỉnh Phú Thọ"), ("26", "Tỉnh Vĩnh Phúc"), ("27", "Tỉnh Bắc Ninh"),
    ("30", "Tỉnh Hải Dương"), ("31", "Thành phố Hải Phòng"), ("33", "Tỉnh Hưng Yên"),
    ("34", "Tỉnh Thái Bình"), ("35", "Tỉnh Hà Nam"), ("36", "Tỉnh Nam Định"),
    ("37", "Tỉnh Ninh Bình"), ("38", "Tỉnh Thanh Hóa"), ("40", "Tỉnh Nghệ An"),
    ("42", "Tỉnh Hà Tĩnh"), ("44", "Tỉnh Quảng Bình"), ("45", "Tỉnh Quảng Trị"),
    ("46", "Tỉnh Thừa Thiên Huế"), ("48", "Thành phố Đà Nẵng"), ("49", "Tỉnh Quảng Nam"),
    ("51", "Tỉnh Quảng Ngãi"), ("52", "Tỉnh Bình Định"), ("54", "Tỉnh Phú Yên"),
    ("56", "Tỉnh Khánh Hòa"), ("58", "Tỉnh Ninh Thuận"), ("60", "Tỉnh Bình Thuận"),
    ("62", "Tỉnh Kon Tum"), ("64", "Tỉnh Gia Lai"), ("66", "Tỉnh Đắk Lắk"),
    ("67", "Tỉnh Đắk Nông"), ("68", "Tỉnh Lâm Đồng"), ("70", "Tỉnh Bình Phước"),
    ("72", "Tỉnh Tây Ninh"), ("74", "Tỉnh Bình Dương"), ("75", "Tỉnh Đồng Nai"),
    ("77", "Tỉnh Bà Rịa - Vũng Tàu"), ("79", "Thành phố Hồ Chí Minh"), ("80", "Tỉnh Long An"),
    ("82", "Tỉnh Tiền Giang"), ("83", "Tỉnh Bến Tre"), ("84", "Tỉnh Trà Vinh"),
    ("86", "Tỉnh Vĩnh Long"), ("87", "Tỉnh Đồng Tháp"), ("89", "Tỉnh An Giang"),
    ("91", "Tỉnh Kiên Giang"), ("92", "Thành phố Cần Thơ"), ("93", "Tỉnh Hậu Giang"),
    ("94", "Tỉnh Sóc Trăng"), ("95", "Tỉnh Bạc Liêu"), ("96", "Tỉnh Cà Mau"),
]

# Metric order within a (unit, period) block; must match bench/national-plan.yaml.
COMMUNE_METRICS = [
    "is_clean", "has_propaganda", "has_hotspot", "has_social_team",
    "media_sessions", "establishments_at_risk", "establishments_inspected",
    "establishments_violating", "cases_detected", "cases_handled",
    "people_supported", "people_reintegrated",
]
DISTRICT_METRICS = [
    "staff_trained", "staff_total", "violators_detected", "violators_handled",
    "has_plan",
]


def split_total(rng, total, parts, minimum, spread):
    """Split `total` into `parts` integers >= minimum, uneven (lognormal weights)."""
    weights = [rng.lognormvariate(0.0, spread) for _ in range(parts)]
    rest = total - parts * minimum
    wsum = sum(weights)
    sizes = [minimum + int(rest * w / wsum) for w in weights]
    short = total - sum(sizes)
    order = sorted(range(parts), key=lambda i: -weights[i])
    for i in range(short):
        sizes[order[i % parts]] += 1
    return sizes


def make_units(rng):
    """Return (rows for units.csv, commune list, district list)."""
    rows = []
    districts = []   # (code, province index)
    communes = []    # (code, district index, high_risk)
    per_province = split_total(rng, N_DISTRICTS, len(PROVINCES), 5, 0.45)
    dcode = 0
    for p, (pcode, pname) in enumerate(PROVINCES):
        rows.append((pcode, pname, "province", "", ""))
        for _ in range(per_province[p]):
            dcode += 1 + (rng.random() < 0.2)
            code = "%03d" % dcode
            kind = rng.choice(("Huyện", "Huyện", "Huyện", "Thị xã", "Quận", "Thành phố"))
            districts.append((code, p, kind))
            rows.append((code, "%s số %d, %s" % (kind, dcode, pname), "district", pcode, ""))
    per_district = split_total(rng, N_COMMUNES, len(districts), 3, 0.5)
    ccode = 0
    for d, (dc, p, dkind) in enumerate(districts):
        for _ in range(per_district[d]):
            ccode += 1 + rng.randrange(3)
            code = "%05d" % ccode
            urban = dkind in ("Quận", "Thành phố")
            high_risk = 1 if rng.random() < (0.35 if urban else 0.15) else 0
            communes.append((code, d, high_risk))
            if urban:
                name = "Phường %d" % (ccode % 30 + 1)
            elif rng.random() < 0.1:
                name = "Thị trấn %d" % ccode
            else:
                name = "Xã %d" % ccode
            if rng.random() < 0.01:
                name = 'Xã "Kiểu mẫu" %d' % ccode
            rows.append((code, name, "commune", dc, str(high_risk)))
    return rows, communes, districts


def write_units(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("code", "name", "level", "parent", "high_risk"))
        w.writerows(rows)


MONTHLY = False
EXTRA = []           # extra commune count metrics (the scale run)


def periods():
    if MONTHLY:
        return ["%d-%02d" % (y, m) for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
    return ["%dS%d" % (y, h) for y in range(FIRST_YEAR, LAST_YEAR + 1) for h in (1, 2)]


def write_plan(path, here):
    """The benchmark plan with the extra metrics, one `sum` indicator each."""
    with open(os.path.join(here, "national-plan.yaml"), encoding="utf-8") as f:
        text = f.read()
    metrics = "".join("  %s: {level: commune, type: count, over_time: sum, title: \"%s\"}\n" % (m, m)
                      for m in EXTRA)
    text = text.replace("\nindicators:\n", "\n" + metrics + "\nindicators:\n", 1)
    text += "".join("\n  - id: %s_total\n    title: \"%s\"\n    kind: sum\n    metric: %s\n" % (m, m, m)
                    for m in EXTRA)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_observations(path, rng, communes, districts):
    rand = rng.random
    randrange = rng.randrange
    n_c = len(communes)
    hr = [c[2] for c in communes]
    # Per-commune state carried across half-years.
    clean = [1 if rand() < (0.35 if h else 0.6) else 0 for h in hr]
    team = [1 if rand() < 0.3 else 0 for _ in range(n_c)]
    risk = [randrange(0, 12 + 20 * h) for h in hr]
    # Per-district state.
    n_d = len(districts)
    staff = [randrange(8, 40) for _ in range(n_d)]
    trained = [randrange(0, s // 2 + 1) for s in staff]
    plan = [1 if rand() < 0.3 else 0 for _ in range(n_d)]

    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("unit,period,metric,value\n")
        pers = periods()
        for t, per in enumerate(pers):
            progress = t / (len(pers) - 1.0)
            out = []
            add = out.append
            up = 0.10 + 0.25 * progress
            for i in range(n_c):
                code = communes[i][0]
                h = hr[i]
                # Markov chain: a commune becomes clean, or relapses.
                if clean[i]:
                    if rand() < (0.12 if h else 0.05):
                        clean[i] = 0
                elif rand() < (up * 0.6 if h else up):
                    clean[i] = 1
                c = clean[i]
                if not team[i] and rand() < 0.05 + 0.1 * progress:
                    team[i] = 1
                if rand() < 0.3:
                    risk[i] = max(0, risk[i] + randrange(-2, 3))
                r = risk[i]
                hotspot = 1 if rand() < (0.02 if c else 0.45) else 0
                prop = 1 if rand() < 0.45 + 0.45 * progress else 0
                media = randrange(0, 4 + 4 * prop)
                inspected = randrange(0, r + 2) if r else randrange(0, 2)
                violating = randrange(0, inspected // 3 + 2) if inspected else 0
                cases = randrange(0, 2 + 6 * hotspot + 3 * h)
                handled = cases - randrange(0, cases + 1) // 3
                supported = randrange(0, 2 + cases)
                reintegrated = randrange(0, supported + 1)
                vals = (c, prop, hotspot, team[i], media, r, inspected, violating,
                        cases, handled, supported, reintegrated)
                if EXTRA:
                    vals += tuple(randrange(0, 5 + r) for _ in EXTRA)
                for m, v in zip(COMMUNE_METRICS + EXTRA, vals):
                    x = rand()
                    if x < P_ABSENT:
                        continue
                    if x < P_ABSENT + P_EMPTY:
                        add("%s,%s,%s,\n" % (code, per, m))
                    else:
                        add("%s,%s,%s,%d\n" % (code, per, m, v))
            for d in range(n_d):
                code = districts[d][0]
                if rand() < 0.2:
                    staff[d] = max(5, staff[d] + randrange(-3, 5))
                if trained[d] < staff[d] and rand() < 0.5:
                    trained[d] += randrange(1, 4)
                trained[d] = min(trained[d], staff[d])
                if not plan[d] and rand() < 0.1 + 0.2 * progress:
                    plan[d] = 1
                detected = randrange(0, 40)
                handled = detected - randrange(0, detected // 2 + 1)
                vals = (trained[d], staff[d], detected, handled, plan[d])
                for m, v in zip(DISTRICT_METRICS, vals):
                    x = rand()
                    if x < P_ABSENT:
                        continue
                    if x < P_ABSENT + P_EMPTY:
                        add("%s,%s,%s,\n" % (code, per, m))
                    else:
                        add("%s,%s,%s,%d\n" % (code, per, m, v))
            f.write("".join(out))
            rows += len(out)
    return rows


def main(argv):
    global MONTHLY, FIRST_YEAR
    here = os.path.dirname(os.path.abspath(__file__))
    args = argv[1:]
    n_metrics = len(COMMUNE_METRICS) + len(DISTRICT_METRICS)
    try:
        while args and args[0] in ("--monthly", "--years", "--metrics"):
            opt = args.pop(0)
            if opt == "--monthly":
                MONTHLY = True
            elif opt == "--years":
                FIRST_YEAR = LAST_YEAR - int(args.pop(0)) + 1
            else:
                n_metrics = int(args.pop(0))
    except (IndexError, ValueError):
        print(__doc__.strip())
        return 2
    out = args[0] if args else os.path.join(here, "out", "national")
    if len(args) > 1 or out in ("-h", "--help") or LAST_YEAR - FIRST_YEAR + 1 < 1:
        print(__doc__.strip())
        return 0 if out in ("-h", "--help") else 2
    base = len(COMMUNE_METRICS) + len(DISTRICT_METRICS)
    EXTRA[:] = ["extra_%02d" % (k + 1) for k in range(max(0, n_metrics - base))]
    os.makedirs(out, exist_ok=True)
    t0 = time.time()
    rng = random.Random(SEED)
    rows, communes, districts = make_units(rng)
    # Write to temporary names first: a half-written dataset never looks complete.
    write_units(os.path.join(out, "units.csv.tmp"), rows)
    n = write_observations(os.path.join(out, "observations.csv.tmp"), rng, communes, districts)
    if EXTRA or MONTHLY or FIRST_YEAR != 2011:
        write_plan(os.path.join(out, "plan.yaml"), here)
    for name in ("units.csv", "observations.csv"):
        os.replace(os.path.join(out, name + ".tmp"), os.path.join(out, name))
    size = os.path.getsize(os.path.join(out, "observations.csv")) / 1e6
    print("%s: %d provinces, %d districts, %d communes; %d observation rows (%.1f MB) in %.1f s"
          % (out, len(PROVINCES), len(districts), len(communes), n, size, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
