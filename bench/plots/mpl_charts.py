#!/usr/bin/env python3
"""The matplotlib side of bench/plots: draws the same charts as `chitieu plot`
from the .gp scripts it wrote (data, titles, labels, axes, layers and their
legend titles all read from the script), at the same pixel size, one PNG per
chart, Agg backend, a fresh figure per chart closed after saving, as usual.

Trajectory charts: range band, projection 95% band, transition band with its
edges, projection, planned path, reported series, target markers coloured by
status with their labels, the neutral "target" legend entry, the final-status
legend entry, the y-axis label, the zoom and "no data" notes, the legend below.
Status overviews: one coloured cell per unit and indicator, the latest value in
each cell, unit and indicator tick labels, every status in the legend, the
canvas size of the script.

usage: mpl_charts.py CHART_DIR OUT_DIR [SHARD NSHARDS]
(the sorted list of scripts is split into NSHARDS parts; this draws part SHARD)"""
import os, re, sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
from matplotlib.lines import Line2D

DPI = 100

def theme(path):
    t = {}
    for m in re.finditer(r'^(\w+)\s*=\s*(?:"([^"]*)"|([^\s#]+))', open(path, encoding="utf-8").read(), re.M):
        t[m.group(1)] = m.group(2) if m.group(2) is not None else m.group(3)
    return t

def gp_str(s):
    """A gnuplot string expression of single-quoted pieces joined by ."\\n". """
    out = []
    for m in re.finditer(r"'((?:[^']|'')*)'|\"\\n\"", s):
        out.append("\n" if m.group(0) == '"\\n"' else m.group(1).replace("''", "'"))
    return "".join(out)

STR = r"(?:'(?:[^']|'')*'(?:\.\"\\n\"\.'(?:[^']|'')*')*)"

def blocks(text):
    out = {}
    for m in re.finditer(r"^\$(\w+) << EOD\n(.*?)^EOD$", text, re.S | re.M):
        rows = []
        for l in m.group(2).splitlines():
            if not l.strip():
                continue
            if '"' in l:
                a, b, rest = l.split(" ", 2)
                rows.append((float(a), float(b), rest.strip('"')))
            else:
                rows.append(tuple(map(float, l.split())))
        out[m.group(1)] = rows
    return out

def plot_terms(text):
    m = re.search(r"^plot (.*?)\nunset output", text, re.S | re.M)
    return [t.strip() for t in re.split(r", \\\n  ", m.group(1))] if m else []

def title_of(term):
    m = re.search(r" title (" + STR + r")$", term)
    return gp_str(m.group(1)) if m else None

def color(th, name):
    return th.get(name, name.strip('"'))

def trajectory(text, b, th, out):
    fig = plt.figure(figsize=(float(th["theme_width"]) / DPI, float(th["theme_height"]) / DPI), dpi=DPI)
    ax = fig.add_axes([0.08, 0.2, 0.9, 0.66])
    handles = []
    for term in plot_terms(text):
        lab = title_of(term)
        if term.startswith("$rband") or term.startswith("$pband") or (term.startswith("$tband using 1:2:3")):
            k = term[1:6]
            x, lo, hi = zip(*b[k])
            c = color(th, re.search(r"fc rgb (\w+)", term).group(1))
            al = re.search(r"solid ([\w.]+)", term).group(1)
            al = float(th.get(al, al))
            h = ax.fill_between(x, lo, hi, color=c, alpha=al, lw=0)
            if lab: handles.append((h, lab))
        elif term.startswith("$tband using 1:"):
            col = 1 if "1:2 " in term else 2
            x = [r[0] for r in b["tband"]]; y = [r[col] for r in b["tband"]]
            ax.plot(x, y, color=color(th, "c_transition"), lw=1.2, dashes=(4, 3))
        elif term.startswith("$trend"):
            x, y = zip(*b["trend"])
            h, = ax.plot(x, y, color=color(th, "c_projection"), lw=2.0, dashes=(3, 3)); handles.append((h, lab))
        elif term.startswith("$plan"):
            x, y = zip(*b["plan"])
            h, = ax.plot(x, y, color=color(th, "c_plan"), lw=1.5, dashes=(10, 6)); handles.append((h, lab))
        elif term.startswith("$obs"):
            x, y = zip(*b["obs"])
            h, = ax.plot(x, y, "-o", color=color(th, "c_data"), lw=2.2, ms=6); handles.append((h, lab))
        elif term.startswith("'+' using (") and "pt 13" in term:
            m = re.match(r"'\+' using \(([-\d.e+]+)\):\(([-\d.e+]+)\).* lc rgb (\w+)", term)
            ax.plot([float(m.group(1))], [float(m.group(2))], "D", color=color(th, m.group(3)), ms=11, zorder=5)
        elif term.startswith("keyentry with points"):
            handles.append((Line2D([], [], marker="D", ls="", color=color(th, "c_muted"), ms=9), lab))
        elif term.startswith("keyentry with boxes"):
            c = re.search(r"fc rgb (\w+)", term).group(1)
            handles.append((Patch(color=color(th, c)), lab))
    for m in re.finditer(r"^set label (\d+) (" + STR + r") at (.*)$", text, re.M):
        n, s, rest = int(m.group(1)), gp_str(m.group(2)), m.group(3)
        if n == 90:
            ax.text(0.5, 0.5, s, transform=ax.transAxes, ha="center", va="center", color=color(th, "c_muted"), fontsize=14)
        elif n == 91:
            ax.text(0.01, 0.97, s, transform=ax.transAxes, ha="left", va="top", color=color(th, "c_muted"), fontsize=9)
        else:
            x, y = re.match(r"([-\d.e+]+),([-\d.e+]+)", rest).groups()
            ax.annotate(s, (float(x), float(y)), textcoords="offset points", xytext=(0, 15), ha="center",
                        va="center", fontsize=10, bbox=dict(fc="white", ec="none", pad=1), zorder=6)
    t = re.search(r"^set title (" + STR + ")", text, re.M)
    if t: ax.set_title(gp_str(t.group(1)), fontsize=12)
    yl = re.search(r"^set ylabel (" + STR + ")", text, re.M)
    if yl: ax.set_ylabel(gp_str(yl.group(1)), color=color(th, "c_muted"))
    xr = re.search(r"^set xrange \[([-\d.e+]+):([-\d.e+]+)\]", text, re.M)
    if xr: ax.set_xlim(float(xr.group(1)), float(xr.group(2)))
    yr = re.search(r"^set yrange \[([-\d.e+]+):([-\d.e+]+)\]", text, re.M)
    if yr: ax.set_ylim(float(yr.group(1)), float(yr.group(2)))
    xt = re.search(r"^set xtics ([-\d.e+]+),([-\d.e+]+),([-\d.e+]+)", text, re.M)
    if xt:
        a, s, z = map(float, xt.groups())
        ax.set_xticks([a + i * s for i in range(int(round((z - a) / s)) + 1)])
        ax.xaxis.set_major_formatter("{x:.0f}")
    yt = re.search(r"^set ytics ([-\d.e+]+),([-\d.e+]+),([-\d.e+]+)(.*)$", text, re.M)
    if yt:
        a, s, z = map(float, yt.groups()[:3])
        ax.set_yticks([a + i * s for i in range(int(round((z - a) / s)) + 1)])
        if "%%" in yt.group(4): ax.yaxis.set_major_formatter("{x:g}%")
    ax.grid(axis="y", color=color(th, "c_grid"))
    ax.set_axisbelow(True)
    for s in ("top", "right"): ax.spines[s].set_visible(False)
    if handles:
        h, l = zip(*handles)
        fig.legend(h, l, loc="lower center", ncol=min(len(h), 4), frameon=False, fontsize=10)
    fig.savefig(out, dpi=DPI)
    plt.close(fig)

def status(text, b, th, out):
    w, h = map(int, re.search(r"size (\d+),(\d+)", text).groups())
    fig = plt.figure(figsize=(w / DPI, h / DPI), dpi=DPI)
    # gnuplot's margins in characters (lmargin 34, bmargin 23, tmargin 5, rmargin 3) at about 7 x 16 px
    ax = fig.add_axes([34 * 7 / w, 23 * 16 / h, 1 - 37 * 7 / w, 1 - 28 * 16 / h])
    handles = []
    for term in plot_terms(text):
        m = re.match(r"\$(st\d+) using .* fc rgb (\w+)", term)
        if m:
            c = color(th, m.group(2))
            for x, y in b.get(m.group(1), []):
                ax.add_patch(plt.Rectangle((x - 0.47, y - 0.44), 0.94, 0.88, color=c, lw=0))
            lab = title_of(term)
            if lab: handles.append((Patch(color=c), lab))
        elif term.startswith("keyentry with boxes"):
            c = color(th, re.search(r"fc rgb (\w+)", term).group(1))
            handles.append((Patch(color=c), title_of(term)))
    for x, y, s in b.get("vals", []):
        ax.text(x, y, s, ha="center", va="center", fontsize=7.5, color=color(th, "c_text"))
    xr = re.search(r"^set xrange \[([-\d.e+]+):([-\d.e+]+)\]", text, re.M)
    yr = re.search(r"^set yrange \[([-\d.e+]+):([-\d.e+]+)\]", text, re.M)
    ax.set_xlim(float(xr.group(1)), float(xr.group(2))); ax.set_ylim(float(yr.group(1)), float(yr.group(2)))
    for axis, name in ((ax.xaxis, "xtics"), (ax.yaxis, "ytics")):
        m = re.search(r"^set " + name + r" \((.*)\)$", text, re.M)
        pairs = re.findall("(" + STR + r") (\d+)", m.group(1))
        axis.set_ticks([int(p[1]) for p in pairs])
        axis.set_ticklabels([gp_str(p[0]) for p in pairs])
    ax.tick_params(axis="x", labelrotation=90, length=0); ax.tick_params(axis="y", length=0)
    for s in ax.spines.values(): s.set_visible(False)
    t = re.search(r"^set title (" + STR + ")", text, re.M)
    if t: ax.set_title(gp_str(t.group(1)), fontsize=12)
    if handles:
        hs, ls = zip(*handles)
        fig.legend(hs, ls, loc="lower center", ncol=3, frameon=False, fontsize=10)
    fig.savefig(out, dpi=DPI)
    plt.close(fig)

def main():
    src, dst = sys.argv[1], sys.argv[2]
    shard, nshards = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 1)
    th = theme(os.path.join(src, "theme.gp"))
    plt.rcParams["font.family"] = th.get("theme_font", "DejaVu Sans")
    plt.rcParams["font.size"] = float(th.get("theme_fontsize", 10))
    gps = []
    for root, _, files in os.walk(src):
        gps += [os.path.join(root, f) for f in files if f.endswith(".gp") and f != "theme.gp"]
    gps.sort()
    t0 = time.time()
    n = 0
    for i, gp in enumerate(gps):
        if i % nshards != shard:
            continue
        text = open(gp, encoding="utf-8").read()
        b = blocks(text)
        out = os.path.join(dst, os.path.relpath(gp, src)[:-3].replace("/", "__") + ".png")
        (status if os.path.basename(gp) == "status.gp" else trajectory)(text, b, th, out)
        n += 1
    print("%d charts in %.2f s" % (n, time.time() - t0))

main()
