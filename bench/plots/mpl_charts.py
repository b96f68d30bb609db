#!/usr/bin/env python3
"""The matplotlib side of bench/plots: draws the same trajectory charts as
`chitieu plot` (reported series, planned path, targets, projection with its
95% band, transition band, status legend) from the data inside the saved
.gp scripts, one PNG per chart, in one Python process, as a competent
matplotlib user would (Agg backend, one figure reused per chart is NOT done:
a fresh figure per chart, closed after saving, as usual in scripts).
usage: mpl_charts.py CHART_DIR OUT_DIR"""
import os, re, sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

STATUS = {"c_achieved": "#009E73", "c_on_track": "#56B4E9", "c_at_risk": "#E69F00", "c_off_track": "#D55E00",
          "c_deteriorating": "#CC79A7", "c_insufficient_data": "#BBBBBB", "c_other": "#F0E442"}

def blocks(text):
    out = {}
    for m in re.finditer(r"^\$(\w+) << EOD\n(.*?)^EOD$", text, re.S | re.M):
        out[m.group(1)] = [list(map(float, l.split())) for l in m.group(2).splitlines() if l.strip()]
    return out

def gp_str(s):
    return s.replace("'.\"\\n\".'", "\n").replace("''", "'")

def chart(gp, out):
    text = open(gp, encoding="utf-8").read()
    b = blocks(text)
    title = re.search(r"^set title '(.*)' font", text, re.M)
    targets = re.findall(r"'\+' using \((\d+)\):\(([-\d.e+]+)\) every ::0::0 with points pt 13 ps 2.0 lc rgb (\w+)", text)
    labels = re.findall(r"^set label \d+ '(.*?)' at (\d+),([-\d.e+]+)", text, re.M)
    fig, ax = plt.subplots(figsize=(9.6, 6.0), dpi=100)
    if "tband" in b:
        x, lo, hi = zip(*b["tband"]); ax.fill_between(x, lo, hi, color="#E69F00", alpha=0.18, label="Transition")
    if "pband" in b:
        x, lo, hi = zip(*b["pband"]); ax.fill_between(x, lo, hi, color="#56B4E9", alpha=0.22, label="95% band")
    if "trend" in b:
        x, y = zip(*b["trend"]); ax.plot(x, y, ":", color="#0072B2", lw=2, label="Trend")
    if "plan" in b:
        x, y = zip(*b["plan"]); ax.plot(x, y, "--", color="#333333", lw=1.5, label="Plan")
    if "obs" in b:
        x, y = zip(*b["obs"]); ax.plot(x, y, "-o", color="#0072B2", lw=2.2, ms=5, label="Reported")
    for x, y, c in targets:
        ax.plot([float(x)], [float(y)], "D", color=STATUS.get(c, "#777777"), ms=9)
    for t, x, y in labels:
        ax.annotate(gp_str(t), (float(x), float(y)), textcoords="offset points", xytext=(0, 12), ha="center")
    if title:
        ax.set_title(gp_str(title.group(1)), fontsize=12)
    if "format \"%g%%\"" in text:
        ax.set_ylim(0, 112); ax.set_yticks(range(0, 101, 20))
    ax.grid(axis="y", color="#E3E3E3"); ax.spines["top"].set_visible(False); ax.spines["right"].set_visible(False)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)

def main():
    src, dst = sys.argv[1], sys.argv[2]
    gps = []
    for root, _, files in os.walk(src):
        gps += [os.path.join(root, f) for f in files if f.endswith(".gp") and f != "theme.gp" and f != "status.gp"]
    gps.sort()
    t0 = time.time()
    for i, gp in enumerate(gps):
        chart(gp, os.path.join(dst, "c%05d.png" % i))
    dt = time.time() - t0
    print("%d charts in %.2f s" % (len(gps), dt))

main()
