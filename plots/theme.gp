# chitieu chart theme: loaded by every chart script that `chitieu plot` and
# `chitieu report` write (OUT/theme.gp is a copy of this file; edit either,
# then re-run a chart with `gnuplot NAME.gp`). Use gnuplot 5.4 syntax.
# A bad line here makes every chart fail with gnuplot's message.

# --- font and size ------------------------------------------------------------
# DejaVu Sans has every Vietnamese letter with its diacritics.
theme_font      = "DejaVu Sans"
theme_fontsize  = 10
theme_width     = 960     # trajectory chart, pixels (png, svg); pdf: /96 inches
theme_height    = 600
theme_panel_w   = 300     # one panel of a small-multiples page
theme_panel_h   = 210

# --- colours --------------------------------------------------------------------
# Status: the Okabe-Ito palette (safe for the common colour-vision deficiencies).
c_achieved          = "#009E73"   # bluish green
c_nearly_achieved   = "#8CCFB9"   # light bluish green: missed by a little
c_not_achieved      = "#8E2C00"   # dark vermillion: a target year missed
c_on_track          = "#56B4E9"   # sky blue
c_at_risk           = "#E69F00"   # orange
c_off_track         = "#D55E00"   # vermillion
c_deteriorating     = "#CC79A7"   # reddish purple
c_insufficient_data = "#BBBBBB"   # grey
c_not_applicable    = "#E6E6E6"   # pale grey: nothing to count
c_other             = "#F0E442"   # yellow: a status set by a Lua rule

c_data        = "#0072B2"   # reported series (Okabe-Ito blue)
c_plan        = "#333333"   # planned path (dashed)
c_projection  = "#0072B2"   # trend projection
c_band        = "#56B4E9"   # its 95% band (drawn light, see band_alpha)
c_transition  = "#E69F00"   # the plan's transition scenario band
c_text        = "#222222"
c_muted       = "#777777"
c_grid        = "#E3E3E3"
band_alpha       = 0.22
transition_alpha = 0.18

# --- the frame ------------------------------------------------------------------
set border 3 lw 1 lc rgb c_muted
set tics nomirror out scale 0.6 textcolor rgb c_text
set grid ytics lw 1 lc rgb c_grid dt solid
set grid noxtics
set key outside bottom center horizontal noreverse Left samplen 2.5 spacing 1.1 width 1 textcolor rgb c_text
set key noopaque nobox
set title textcolor rgb c_text
set xlabel textcolor rgb c_muted
set ylabel textcolor rgb c_muted
set style fill solid 1.0 noborder

# Line styles used by the charts (numbers are fixed; change the looks).
set style line 1 lc rgb c_data       lw 2.2 pt 7 ps 0.9              # reported
set style line 2 lc rgb c_plan       lw 1.5 dt (10,6) pt 6 ps 0.8    # planned path
set style line 3 lc rgb c_projection lw 2.0 dt (3,3)                 # projection
set style line 4 lc rgb c_transition lw 1.2 dt (4,3)                 # transition band edges
