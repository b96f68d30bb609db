/* The language of the words chitieu prints for people: notes, findings,
 * statuses and report text. Vietnamese is the default; English on request.
 * Column names, status ids and error messages stay English.
 *
 * Numbers, periods and dates a person reads are formatted here, one function
 * per kind, so that a page, a chart and a workbook say them the same way. */
#ifndef CT_LANG_H
#define CT_LANG_H

#include <stddef.h>

typedef enum { CT_LANG_VI = 0, CT_LANG_EN = 1 } ct_lang;

/* Parses "vi" or "en"; returns 0, or -1 for anything else. */
int ct_lang_parse(const char *s, ct_lang *out);

/* "vi" or "en". */
const char *ct_lang_name(ct_lang lang);

/* Picks the text of a pair written in both languages. */
#define CT_TR(lang, en, vi) ((lang) == CT_LANG_EN ? (en) : (vi))

/* A number for people, by the one precision rule: rounded to one decimal,
 * ",0"/".0" dropped; thousands grouped. vi-VN: "1.234,5"; en: "1,234.5".
 * Not finite: "–". Writes at most size bytes (NUL included); returns buf. */
char *ct_lang_number(ct_lang lang, double v, char *buf, size_t size);

/* A period in words. months: 12 a year, 6 a half-year, 3 a quarter, 1 a
 * month; sub: its 0-based position in the year. vi: "năm 2025", "6 tháng đầu
 * năm 2025", "6 tháng cuối năm 2025", "quý II/2026", "tháng 3/2026"; en:
 * "2025", "first half of 2025", "second half of 2025", "Q2 2026", "March 2026".
 * Returns buf. */
char *ct_lang_period(ct_lang lang, int year, int months, int sub, char *buf, size_t size);

/* A day in words: vi "ngày 6 tháng 12 năm 2026", en "6 December 2026"
 * (month 1-12). Returns buf. */
char *ct_lang_date(ct_lang lang, int year, int month, int day, char *buf, size_t size);

/* A level named by the data ("district") in a sentence of lang: vi "huyện",
 * "xã", "tỉnh", "toàn quốc" for the four standard names; en, and any other
 * name, the name itself. Static text or level. */
const char *ct_lang_level(ct_lang lang, const char *level);

/* A note or finding as a person reads it: the engine writes its numbers for
 * a CSV ("87.45", "2025S1", "cấp district"); this gives them by the language's
 * one rule, periods in words and levels by their word ("87,5", "6 tháng đầu
 * năm 2025", "cấp huyện"), negative progress in words; integers (years)
 * stay, an id in parentheses goes (the words said it). Into out (size bytes;
 * below 256, a copy); a note past the room keeps its rest as written.
 * Returns out. */
char *ct_lang_note(ct_lang lang, const char *note, char *out, size_t size);

/* ---- the catalogue of words ----------------------------------------------------
 * Every word the report, the charts' report side and the command line show a
 * person, once, in both languages: CT_MSG(ID, English, Vietnamese). A reader
 * corrects a word here and nowhere else. A message with printf conversions
 * has the same conversions, in the same order, in both languages (the test
 * unit.lang checks it). The notes of assess and of the current year, the
 * notes of a changed map, the feasibility findings and the comparison as
 * reported are here too: they write numbers with '.', as the CSV contract
 * says, and the report rewrites them for its language (ct_rp_note). A new
 * pair goes here as a line and is used as ct_msg(lang, CT_M_ID). */
#define CT_MESSAGES(X) \
    X(TITLE, "Progress report on plan targets", "Báo cáo tiến độ thực hiện chỉ tiêu") \
    X(MADE_WITH, "Made with chitieu", "Lập bằng chitieu") \
    X(SUMMARY, "Summary", "Tóm tắt") \
    X(N_TARGETS, "%d targets", "%d mục tiêu") \
    X(PLANS, "Plans", "Kế hoạch") \
    X(OVERVIEW_YEAR, "values of %d, another year's marked ('15)", "số liệu năm %d; số liệu năm khác ghi kèm năm ('15)") \
    X(STATUS_CHART, "Status of the final target by unit", "Tình trạng mục tiêu cuối cùng theo đơn vị") \
    X(TARGETS_OF, "Targets: %s", "Các mục tiêu: %s") \
    X(CHARTS, "Charts", "Biểu đồ") \
    X(FEASIBILITY, "Plan feasibility", "Tính khả thi của kế hoạch") \
    X(COMPLETENESS, "Data completeness", "Mức độ đầy đủ số liệu") \
    X(COMPLETENESS_INTRO, "Units that reported / units expected to report, in the latest year with data.", \
      "Số đơn vị đã báo cáo / số đơn vị phải báo cáo, ở năm gần nhất có số liệu.") \
    X(ALL_REPORTED, "all reported", "đã báo cáo đủ") \
    X(NOT_REPORTED, "Did not report", "Chưa báo cáo") \
    X(NO_DATA_YET, "no unit has reported yet", "chưa có đơn vị nào báo cáo") \
    X(INDICATOR, "Indicator", "Chỉ tiêu") \
    X(TARGET, "Target", "Mục tiêu") \
    X(BASELINE, "Baseline", "Cơ sở") \
    X(LATEST, "Latest", "Gần nhất") \
    X(PROJECTED_BY, "projected for %d: %s", "dự báo năm %d: %s") \
    X(STATUS, "Status", "Tình trạng") \
    X(NOTE, "Note", "Ghi chú") \
    X(AREA, "Area", "Địa bàn") \
    X(HORIZON, "Horizon", "Năm kết thúc") \
    X(AS_OF, "Data as of", "Số liệu đến") \
    X(AS_OF_EACH, "see each plan", "theo từng kế hoạch") \
    X(NONE, "—", "—") \
    X(CHILDREN_OF, "%s — units of %s", "%s — các đơn vị trực thuộc %s") \
    X(REPORTED_OF, "%d of %d reported (%d)", "%d/%d đơn vị đã báo cáo (năm %d)") \
    X(PRINT_HINT, "Select a unit's name to open its targets; a print keeps each unit's summary line.", \
      "Bấm vào tên đơn vị để mở bảng mục tiêu của đơn vị; bản in giữ dòng tổng hợp của từng đơn vị.") \
    X(GEOGRAPHY, "Administrative map", "Địa giới hành chính") \
    X(GEOGRAPHY_AS_REPORTED, "as each period reported", "theo từng kỳ báo cáo") \
    X(MADE_ON, "Made on", "Ngày lập") \
    X(RULES, "Lua rules", "Quy tắc Lua") \
    X(COVERAGE_OF, "Data for %d", "Số liệu năm %d") \
    X(COVERAGE_FMT, "%d of %d indicators have data; the lowest share of units reporting: %s", \
      "%d/%d chỉ tiêu có số liệu; tỷ lệ đơn vị báo cáo thấp nhất: %s") \
    X(COVERAGE_ALL, "every unit reported", "mọi đơn vị đều báo cáo") \
    X(COVERAGE_DROP, "The %d figure rests on %d of %d units (the baseline's on %d of %d).", \
      "Số liệu năm %d từ %d/%d đơn vị (năm cơ sở: %d/%d).") \
    X(COVERAGE_DROP_SUM, "The %d figure adds up %d of %d units (the baseline %d of %d): it cannot be compared with the baseline as progress.", \
      "Số liệu năm %d là tổng của %d/%d đơn vị (năm cơ sở: %d/%d): không so sánh được với năm cơ sở như tiến độ.") \
    X(COVERAGE_SHORT, "from %d of %d units, the baseline from %d of %d", "từ %d/%d đơn vị, năm cơ sở từ %d/%d") \
    X(COVERAGE_WHICH, "%s (%d of %d units: %s)", "%s (%d/%d đơn vị: %s)") \
    X(EVALUATED, "Targets due (evaluated)", "Mục tiêu đã đến hạn (đánh giá)") \
    X(MONITORED, "Targets ahead (monitored)", "Mục tiêu chưa đến hạn (theo dõi)") \
    X(OTHER, "Other", "Khác") \
    X(PROBABILITY, "probability of meeting it %s%%", "xác suất đạt %s%%") \
    X(BELOW, "Units below", "Các đơn vị trực thuộc") \
    X(NO_TARGETS, "No target for this unit.", "Không có mục tiêu cho đơn vị này.") \
    X(NO_PLAN, "The plan does not cover this unit.", "Kế hoạch không bao gồm đơn vị này.") \
    X(LEFT_OUT, "Not covering this unit", "Không bao gồm đơn vị này") \
    X(N_AREAS, "%d areas", "%d địa bàn") \
    X(DOC_NUMBER, "No. %s", "Số: %s") \
    X(PLAN_WORDS, "the plan: %s", "kế hoạch: %s") \
    X(PARTIAL_YEAR, "The data of %d cover only up to %s: a figure for the whole of %d is not complete yet.", \
      "Số liệu năm %d mới có đến hết %s: số liệu cả năm %d chưa đầy đủ.") \
    X(LAGGING, "Units lagging behind", "Các đơn vị chậm so với mục tiêu") \
    X(LAGGING_INTRO, "For each target, the units one level down, the furthest from the target first; units that did not report last.", \
      "Với mỗi mục tiêu: các đơn vị cấp dưới trực tiếp, xếp từ đơn vị còn cách mục tiêu xa nhất; đơn vị chưa báo cáo ở cuối.") \
    X(UNIT, "Unit", "Đơn vị") \
    X(VALUE, "Value", "Giá trị") \
    X(GAP, "Short of the target by", "Còn thiếu so với mục tiêu") \
    X(NUM_DEN, "Numerator/denominator", "Tử số/mẫu số") \
    X(REPORTING, "Units reporting", "Đơn vị báo cáo") \
    X(TREND, "Since the year before", "So với năm trước") \
    X(TREND_BETTER, "better", "tốt lên") \
    X(TREND_WORSE, "worse", "xấu đi") \
    X(TREND_SAME, "unchanged", "không đổi") \
    X(MET, "met", "đã đạt") \
    X(NO_REPORT, "did not report", "chưa báo cáo") \
    X(N_LAGGING, "%d of the %d units with data below the target", "%d/%d đơn vị có số liệu chưa đạt mục tiêu") \
    X(NONE_LAGGING, "each of the %d units with data meets the target", "cả %d đơn vị có số liệu đều đạt mục tiêu") \
    X(N_SILENT, "%d did not report", "%d đơn vị chưa báo cáo") \
    X(NONE_REPORTED, "none of the %d units reported", "chưa đơn vị nào trong %d đơn vị báo cáo") \
    X(SUMMARY_COUNTS, "%s: %d targets evaluated (their year is over) and %d monitored (still ahead).", \
      "%s: %d mục tiêu đã đến hạn được đánh giá và %d mục tiêu chưa đến hạn được theo dõi.") \
    X(SUMMARY_NO_DATA, "%d more cannot be judged yet: no usable data for their year.", \
      "%d mục tiêu chưa đánh giá được vì chưa có số liệu dùng được cho năm của mục tiêu.") \
    X(SUMMARY_ONLY_NO_DATA, "%s: none of its %d targets can be judged yet: no usable data for their year.", \
      "%s: chưa đánh giá được mục tiêu nào trong %d mục tiêu vì chưa có số liệu dùng được cho năm của mục tiêu.") \
    X(WORST, "Furthest from the target", "Các mục tiêu còn cách xa nhất") \
    X(FOLLOW_UP, "To follow up", "Cần đôn đốc") \
    X(N_BEHIND, "%s (%d targets)", "%s (%d mục tiêu)") \
    X(AND_MORE, "and %d more", "và %d đơn vị khác") \
    X(FOLLOW_UP_BEHIND, "behind on the final targets: %s", "chậm ở các mục tiêu cuối kỳ: %s") \
    X(FOLLOW_UP_SILENT, "did not report: %s", "chưa báo cáo: %s") \
    X(NOTHING_TO_FOLLOW, "No target is behind.", "Không có mục tiêu nào chậm.") \
    X(PROB_EXPLAIN, "the status compares the pace so far with the pace needed; the probability is that of the projected trend", \
      "tình trạng so sánh tốc độ đã đạt với tốc độ cần có; xác suất tính theo xu hướng dự báo") \
    X(PAGE, "Page", "Trang") \
    X(NEG_PROGRESS, "moving away from the target (further from it than at the baseline)", \
      "đi ngược lộ trình kế hoạch (xa mục tiêu hơn năm cơ sở)") \
    X(FROM_TO, "%d–%d", "%d–%d") \
    X(IN_YEAR, "in %d", "năm %d") \
    X(REACH, "reach %s", "đạt %s") \
    X(AT_MOST, "at most %s", "không quá %s") \
    X(AT_LEAST, "at least %s", "ít nhất %s") \
    X(BETWEEN, "from %s to %s", "từ %s đến %s") \
    X(MAINTAIN, "keep the baseline level", "giữ vững mức năm cơ sở") \
    X(EACH_YEAR, "each year %d–%d", "mỗi năm %d–%d") \
    X(INCREASE_BY, "up by %s", "tăng %s") \
    X(DECREASE_BY, "down by %s", "giảm %s") \
    X(POINTS, "%s points", "%s điểm phần trăm") \
    X(XLSX_OVERVIEW, "Overview", "Tổng quan") \
    X(XLSX_TITLE, "Indicators and targets (chitieu)", "Chỉ tiêu và mục tiêu (chitieu)") \
    X(XLSX_MIN_COVERAGE, "Lowest coverage of a row", "Tỷ lệ báo cáo thấp nhất") \
    X(XLSX_SHEET, "Sheet (plan)", "Trang tính (kế hoạch)") \
    X(XLSX_ROWS, "Rows", "Số dòng") \
    X(XLSX_BEHIND, "Rows behind their target", "Số dòng chậm so với mục tiêu") \
    X(XLSX_STATUS_CODE, "Status code", "Mã tình trạng") \
    X(XLSX_LEVEL, "Level", "Cấp") \
    X(XLSX_TARGET_YEAR, "Target year", "Năm mục tiêu") \
    X(XLSX_PERIOD, "Period", "Kỳ") \
    X(XLSX_GAP, "Gap", "Chênh lệch") \
    X(LAGGING_SHEET, "Lagging units", "Đơn vị chậm") \
    X(TASKS, "Progress of the tasks", "Tiến độ các nhiệm vụ") \
    X(TASKS_INTRO, "Completion (%%) by reporting period. Late: below an even pace from the plan's start to the end of %d (%s at the latest period).", \
      "Mức độ hoàn thành (%%) theo kỳ báo cáo. Chậm: thấp hơn tiến độ đều từ đầu kế hoạch đến cuối năm %d (%s ở kỳ gần nhất).") \
    X(TASK_LATE, "Late", "Chậm") \
    X(TASK_ON_TIME, "On time", "Đúng hạn") \
    X(TASK, "Task", "Nhiệm vụ") \
    X(TASK_EXPECTED, "expected", "cần đạt") \
    X(CH_REPORTED, "Reported", "Số liệu báo cáo") \
    X(CH_PLAN, "Planned path", "Lộ trình kế hoạch") \
    X(CH_TREND, "Projected trend", "Xu hướng dự báo") \
    X(CH_BAND, "95% prediction band", "Khoảng dự báo 95%") \
    X(CH_TARGET, "Target", "Mục tiêu") \
    X(CH_TRANSITION, "Transition scenario %s–%s%% a year", "Kịch bản chuyển hóa %s–%s%%/năm") \
    X(CH_YEAR, "Year", "Năm") \
    X(CH_PERCENT, "Percent", "Tỷ lệ (%)") \
    X(CH_COUNT, "Count", "Số lượng") \
    X(CH_FINAL_STATUS, "%d target: %s", "Mục tiêu %d: %s") \
    X(CH_MULTIPLES, "units under %s (same scale)", "các đơn vị trực thuộc %s (cùng thang đo)") \
    X(CH_LEGEND_STATUS, "Status:", "Tình trạng:") \
    X(CH_SO_FAR, "%d so far (%s)", "%d đến nay (%s)") \
    X(CH_EXPECTED_NOW, "Expected by now", "Dự kiến đến nay") \
    X(CH_NO_DATA, "no data yet", "chưa có số liệu") \
    X(CH_RANGE, "The plan's target range", "Khoảng mục tiêu của kế hoạch") \
    X(CH_ZOOM_TOP, "Zoomed axis: it does not start at 0%", "Trục dọc phóng to: không bắt đầu từ 0%") \
    X(CH_ZOOM_BOTTOM, "Zoomed axis: it does not reach 100%", "Trục dọc phóng to: không đến 100%") \
    X(FEAS_POINTS, "%s%.3g points", "%s%.3g điểm") \
    X(FEAS_YEAR_VALUE, "; %d value %s: %s that year", "; giá trị năm %d là %s: %s") \
    X(FEAS_MET, "met", "đạt") \
    X(FEAS_NEARLY, "nearly met", "cơ bản đạt") \
    X(FEAS_MISSED, "missed", "không đạt") \
    X(FEAS_STILL_MET, "; still met in %d (%s)", "; vẫn đạt năm %d (%s)") \
    X(FEAS_NO_LONGER, "; no longer met in %d (%s)", "; không còn đạt năm %d (%s)") \
    X(FEAS_REACHED_BY, "; reached by %d (%s)", "; đã đạt vào năm %d (%s)") \
    X(FEAS_REACHED_IN, "; at that pace it is reached in %d%s", "; với tốc độ đó sẽ đạt vào năm %d%s") \
    X(FEAS_LATE, ", late", ", muộn") \
    X(FEAS_NEVER, "; at that pace it is never reached", "; với tốc độ đó sẽ không đạt") \
    X(FEAS_INCONSISTENT, "inconsistent targets: %g by %d is %s than %g by %d", \
      "mục tiêu không nhất quán: %g vào năm %d %s %g vào năm %d") \
    X(FEAS_LOWER, "lower", "thấp hơn") \
    X(FEAS_HIGHER, "higher", "cao hơn") \
    X(FEAS_BELOW, "below", "thấp hơn") \
    X(FEAS_ABOVE, "above", "cao hơn") \
    X(FEAS_AGAINST, "%g by %d: already met at %s in %d, and %s that baseline: it moves against the indicator's direction", \
      "%g vào năm %d: đã đạt (%s năm %d), và %s giá trị năm gốc: đi ngược chiều của chỉ tiêu") \
    X(FEAS_MET_ALREADY, "%g by %d: already met at %s in %d", "%g vào năm %d: đã đạt (%s năm %d)") \
    X(FEAS_STEP, " (%s a year from the %d milestone %g)", " (%s mỗi năm từ mốc %d là %g)") \
    X(FEAS_OBSERVED, "; observed %s a year %d-%d (%.0f%% of the pace needed)%s", \
      "; thực tế %s mỗi năm %d-%d (%.0f%% tốc độ cần)%s") \
    X(FEAS_OBSERVED_BEFORE, "; observed %s a year %d-%d, before the baseline (%.0f%% of the pace needed)", \
      "; thực tế %s mỗi năm %d-%d, trước năm gốc (%.0f%% tốc độ cần)") \
    X(FEAS_TWICE_BEST, "; the pace needed is more than twice the best observed", "; tốc độ cần hơn gấp đôi tốc độ tốt nhất từng đạt") \
    X(FEAS_NEEDS, "%g by %d needs %s a year from %s in %d%s%s", "%g vào năm %d cần %s mỗi năm từ %s năm %d%s%s") \
    X(FEAS_BAND_NO_DATA, "the %g-%g%% yearly transition band (%s) needs the baseline value from data (--data)", \
      "kịch bản chuyển hóa %g-%g%%/năm (%s) cần giá trị năm gốc từ số liệu (--data)") \
    X(FEAS_BAND_WHOLE, "the whole band reaches the target", "cả khoảng kịch bản đều đạt mục tiêu") \
    X(FEAS_BAND_UPPER, "only the upper part of the band reaches the target", "chỉ phần trên của khoảng kịch bản đạt mục tiêu") \
    X(FEAS_BAND_SHORT, "even the upper end of the band falls short", "cả mức cao nhất của kịch bản cũng không đạt") \
    X(FEAS_BASE_OF, "%.4g%% (%.0f of %.0f)", "%.4g%% (%.0f/%.0f)") \
    X(FEAS_BAND, "from %s in %d, transforming %g%% of the rest a year (%s) gives %.2f%% by %d and %g%% gives %.2f%%; " \
      "%g%% by %d needs %.2f%% a year: %s", \
      "từ %s năm %d, chuyển hóa %g%% số còn lại mỗi năm (%s) cho %.2f%% vào năm %d, %g%% cho %.2f%%; " \
      "%g%% vào năm %d cần %.2f%% mỗi năm: %s") \
    /* the notes of assess (engine/project/ct_assess.c); notes keep the CSV's '.' numbers */ \
    X(NOTE_NONE_TO_TRANSFORM, "no %s was in the starting state in %d: nothing to transform", \
      "không có %s nào ở trạng thái cần chuyển hóa năm %d: không có gì để chuyển hóa") \
    X(NOTE_NONE_PASSES, "no %s passes %s in %d-%d: nothing to count", \
      "không có %s nào thỏa %s trong %d-%d: không có gì để tính") \
    X(NOTE_NONE_TO_COUNT, "no %s in %d-%d: nothing to count", "không có %s nào trong %d-%d: không có gì để tính") \
    X(NOTE_SHORT, "short", "thiếu") \
    X(NOTE_OVER, "over", "vượt") \
    X(NOTE_POINTS, " points", " điểm") \
    X(NOTE_GAP_PROGRESS, "%s against %s: %s, %.1f%% of the planned progress", \
      "%s so với mục tiêu %s: %s, đạt %.1f%% tiến độ kế hoạch") \
    X(NOTE_GAP, "%s against %s: %s", "%s so với mục tiêu %s: %s") \
    X(NOTE_LATE_1, "reached in %d, a year late", "đạt vào năm %d, muộn 1 năm") \
    X(NOTE_LATE_N, "reached in %d, %d years late", "đạt vào năm %d, muộn %d năm") \
    X(NOTE_SPAN_MET, "met in %d of %d years of %d-%d", "đạt %d/%d năm của giai đoạn %d-%d") \
    X(NOTE_SPAN_MISSED, "missed %s", "không đạt: %s") \
    X(NOTE_SPAN_NO_VALUE, "%d years without a usable value", "%d năm không có số liệu dùng được") \
    X(NOTE_ALL_TRANSFORMED, "every unit had been transformed by %d: nothing left to transform in %d", \
      "đến năm %d mọi đơn vị đã chuyển hóa: năm %d không còn gì để chuyển hóa") \
    X(NOTE_NO_BASELINE_TARGET, "the target is relative to a baseline value that is missing%s", \
      "mục tiêu tính theo giá trị năm gốc nhưng năm gốc không có số liệu dùng được%s") \
    X(NOTE_NO_VALUE_YEAR, "no usable value for %d", "không có số liệu dùng được cho năm %d") \
    X(NOTE_MEETS, "%d value %s meets the target %s", "giá trị năm %d là %s, đạt mục tiêu %s") \
    X(NOTE_SPAN_NONE_YET, "no usable value yet in %d-%d", "chưa có số liệu dùng được trong giai đoạn %d-%d") \
    X(NOTE_SPAN_MET_SO_FAR, "met in %d of %d years of %d-%d so far", "đến nay đạt %d/%d năm của giai đoạn %d-%d") \
    X(NOTE_ALREADY_MEETS, "the %d value %s already meets the target", "giá trị năm %d là %s, đã đạt mục tiêu") \
    X(NOTE_NO_BASELINE, "no usable value at the baseline%s", "năm gốc không có số liệu dùng được%s") \
    X(NOTE_TOO_FEW, "fewer than two yearly values since the baseline%s", "chưa đủ hai năm có số liệu kể từ năm gốc%s") \
    X(NOTE_NEGATIVE, "rates undefined for negative values%s", "không tính được tốc độ với giá trị âm%s") \
    X(NOTE_NO_LONGER_MET, "the baseline met the target but the latest value no longer does%s", \
      "năm gốc đã đạt mục tiêu nhưng giá trị mới nhất không còn đạt%s") \
    X(NOTE_BAND, "transforming %g-%g%% of the rest a year gives %s-%s by %d", \
      "chuyển hóa %g-%g%% số còn lại mỗi năm cho %s-%s vào năm %d") \
    X(NOTE_TREND_MEETS, "the trend meets the target in %d", "theo xu hướng, đạt mục tiêu vào năm %d") \
    X(NOTE_TREND_NOT, "the trend does not meet the target by %d", "theo xu hướng, chưa đạt mục tiêu trước năm %d") \
    X(NOTE_ON_TRACK_UNLIKELY, "on track by the rates, but the trend gives only a %d%% chance of meeting the target in %d", \
      "đúng tiến độ theo tốc độ, nhưng theo xu hướng chỉ có %d%% khả năng đạt mục tiêu năm %d") \
    X(NOTE_BEHIND_LIKELY, "behind by the rates, but the trend gives a %d%% chance of meeting the target in %d", \
      "chậm theo tốc độ, nhưng theo xu hướng có %d%% khả năng đạt mục tiêu năm %d") \
    X(NOTE_REPORTED, "%s%s: %d of %d %s reported", "%s%s: %d/%d %s báo cáo") \
    X(NOTE_SET_ASIDE_COVERAGE, "set aside for coverage below %g%%: %s", \
      "loại khỏi đánh giá vì độ bao phủ dưới %g%%: %s") \
    X(NOTE_COMPLETED, "%d completed from %d-%02d with the figures of the %d units its units became", \
      "năm %d được bổ sung từ %d-%02d bằng số liệu của %d đơn vị kế thừa các đơn vị của nó") \
    X(NOTE_PART_UNIT_CLOSED, "set aside: %d: %d of 12 months, until the unit closed in %s", \
      "loại khỏi đánh giá: %d: %d/12 tháng, đến khi đơn vị kết thúc vào %s") \
    X(NOTE_PART_UNIT_BEGAN, "set aside: %d: %d of 12 months, from when the unit began in %s", \
      "loại khỏi đánh giá: %d: %d/12 tháng, từ khi đơn vị bắt đầu vào %s") \
    X(NOTE_PART_UNITS_CLOSED, "set aside: %d: %d of 12 months, until its units closed in %s", \
      "loại khỏi đánh giá: %d: %d/12 tháng, đến khi các đơn vị của nó kết thúc vào %s") \
    X(NOTE_PART_UNITS_BEGAN, "set aside: %d: %d of 12 months, from when its units began in %s", \
      "loại khỏi đánh giá: %d: %d/12 tháng, từ khi các đơn vị của nó bắt đầu vào %s") \
    X(NOTE_AIM_REACHED, "upper aim %s reached", "đã đạt mức phấn đấu %s") \
    X(NOTE_AIM, "upper aim %s", "mức phấn đấu %s") \
    X(NOTE_CAPPED, "the target (%s%% changed by %s%%) is above 100%%: capped at 100%%", \
      "mục tiêu (%s%% thay đổi %s%%) vượt 100%%: lấy 100%%") \
    /* the notes of the current year (engine/project/ct_ytd.c); notes keep the CSV's '.' numbers */ \
    X(YTD_NO_PERIOD, "%d is under way (month %d) and no reporting period runs from January to then", \
      "năm %d đang thực hiện (tháng %d), không có kỳ báo cáo nào từ tháng 1 đến thời điểm này") \
    X(YTD_NO_VALUE, "no usable value for %d so far (to %s)", "chưa có số liệu dùng được của năm %d (đến %s)") \
    X(YTD_MEETS, "%s by %s already meets the target %s", "%s đến %s, đã đạt mục tiêu %s") \
    X(YTD_NOTHING_EXPECTED, "no part of the target is expected by %s", "chưa có phần mục tiêu nào dự kiến đến %s") \
    X(YTD_AGAINST, "%s by %s against the target %s", "%s đến %s so với mục tiêu %s") \
    X(YTD_PROFILE, "%s of %s by %s, %s expected by now: %.0f%% of the year, as in %s", \
      "%s/%s đến %s, dự kiến %s vào thời điểm này: %.0f%% cả năm, như %s") \
    X(YTD_NO_PROFILE, "%s of %s by %s, %s expected by now: %d of 12 months (fewer than two past years to give a profile)", \
      "%s/%s đến %s, dự kiến %s vào thời điểm này: %d/12 tháng (chưa đủ hai năm trước để có quy luật mùa vụ)") \
    X(YTD_CHANCE, "%.0f%% chance of meeting the target by the year's end", \
      "%.0f%% khả năng đạt mục tiêu vào cuối năm") \
    X(YTD_ON_TRACK_UNLIKELY, "on track so far, but only a %.0f%% chance of meeting the target by the year's end", \
      "đúng tiến độ đến nay, nhưng chỉ có %.0f%% khả năng đạt mục tiêu vào cuối năm") \
    X(YTD_BEHIND_LIKELY, "behind so far, but a %.0f%% chance of meeting the target by the year's end", \
      "chậm so với tiến độ đến nay, nhưng có %.0f%% khả năng đạt mục tiêu vào cuối năm") \
    /* the notes of a unit or level on a changed map (engine/compute/ct_compute.c); notes keep the CSV's '.' numbers */ \
    X(GEO_NOT_YET, "%s does not exist yet in geography %s: it begins in %s", \
      "%s chưa tồn tại trong địa giới %s: bắt đầu từ %s") \
    X(GEO_OWN_FIGURES, "%s no longer exists in geography %s: its own figures, as reported until %s", \
      "%s không còn trong địa giới %s: số liệu của chính đơn vị, như đã báo cáo đến %s") \
    X(GEO_LAST_UNITS, "%s no longer exists in geography %s: computed on its %d %s units as they last existed", \
      "%s không còn trong địa giới %s: tính trên %d đơn vị cấp %s của nó như lần cuối còn tồn tại") \
    X(GEO_FOLLOWED, "%s no longer exists in geography %s: followed onto the %d %s units its units became", \
      "%s không còn trong địa giới %s: theo dõi trên %d đơn vị cấp %s mà các đơn vị của nó đã trở thành") \
    X(GEO_LEVEL_GONE, "made of %s units, which no longer exist in geography %s: as they were in %s, the last they existed", \
      "gồm các đơn vị cấp %s, không còn trong địa giới %s: như tại %s, lần cuối còn tồn tại") \
    X(GEO_OWN_LEVEL_GONE, "%s units no longer exist in geography %s: assessed on those of %s, the last they existed", \
      "đơn vị cấp %s không còn trong địa giới %s: đánh giá trên các đơn vị của %s, lần cuối còn tồn tại") \
    X(GEO_ENDED, "%s ended in %s (no successor): its figures as reported", \
      "%s kết thúc vào %s (không có đơn vị kế thừa): số liệu như đã báo cáo") \
    X(GEO_BREAK, "a break: the %s units change in %d-%02d and the series is as reported (no successions carry it)", \
      "chuỗi số liệu bị gián đoạn: các đơn vị cấp %s thay đổi vào %d-%02d và số liệu giữ như đã báo cáo (không có bảng kế thừa)") \
    /* the comparison with the map as reported (engine/cli/cli_compare.c); notes keep the CSV's '.' numbers */ \
    X(CMP_NO_VALUE, "no value", "không có số liệu") \
    X(CMP_DEPENDS_ON_MAP, "%sdepends on the map: %s (%s) on geography %s; %s (%s) as reported (the units of each period)", \
      "%sphụ thuộc bản đồ đơn vị: %s (%s) theo địa giới %s; %s (%s) theo đơn vị báo cáo từng kỳ") \
    X(COL_PLAN, "plan", "Kế hoạch") \
    X(COL_INDICATOR, "indicator", "Chỉ tiêu") \
    X(COL_UNIT, "unit", "Mã đơn vị") \
    X(COL_UNIT_NAME, "unit_name", "Tên đơn vị") \
    X(COL_NAME, "name", "Tên đơn vị") \
    X(COL_LEVEL, "level", "Cấp") \
    X(COL_PERIOD, "period", "Kỳ") \
    X(COL_VALUE, "value", "Giá trị") \
    X(COL_NUMERATOR, "numerator", "Tử số") \
    X(COL_DENOMINATOR, "denominator", "Mẫu số") \
    X(COL_REPORTED, "reported", "Số đơn vị đã báo cáo") \
    X(COL_EXPECTED, "expected", "Số đơn vị phải báo cáo") \
    X(COL_TARGET_YEAR, "target_year", "Năm mục tiêu") \
    X(COL_TARGET, "target", "Mục tiêu") \
    X(COL_BASELINE_PERIOD, "baseline_period", "Kỳ gốc") \
    X(COL_BASELINE_VALUE, "baseline_value", "Giá trị kỳ gốc") \
    X(COL_LATEST_PERIOD, "latest_period", "Kỳ gần nhất") \
    X(COL_LATEST_VALUE, "latest_value", "Giá trị gần nhất") \
    X(COL_OBSERVED_RATE, "observed_rate", "Tốc độ thực tế") \
    X(COL_REQUIRED_RATE, "required_rate", "Tốc độ cần đạt") \
    X(COL_RATIO, "ratio", "Tỷ số tiến độ") \
    X(COL_PROJECTED, "projected", "Dự báo năm mục tiêu") \
    X(COL_LOWER, "lower", "Cận dưới (95%)") \
    X(COL_UPPER, "upper", "Cận trên (95%)") \
    X(COL_STATUS, "status", "Tình trạng") \
    X(COL_NOTE, "note", "Ghi chú") \
    X(COL_MET_YEAR, "met_year", "Năm dự kiến đạt") \
    X(COL_METHOD, "method", "Phương pháp dự báo") \
    X(COL_POINTS, "points", "Số năm có số liệu") \
    X(COL_PROBABILITY, "probability", "Xác suất đạt") \
    X(COL_COVERAGE, "coverage", "Tỷ lệ báo cáo") \
    X(COL_GEOGRAPHY, "geography", "Địa giới") \
    X(COL_YEAR, "year", "Năm") \
    X(COL_LAST_PERIOD, "last_period", "Kỳ cuối") \
    X(COL_LAST_VALUE, "last_value", "Giá trị cuối") \
    X(COL_VALID_FROM, "valid_from", "Hiệu lực từ") \
    X(COL_VALID_TO, "valid_to", "Hiệu lực đến")

typedef enum {
#define CT_MSG_ENUM(id, en, vi) CT_M_##id,
    CT_MESSAGES(CT_MSG_ENUM)
#undef CT_MSG_ENUM
    CT_M_COUNT
} ct_msg_id;

/* The words of message id in lang (static text; a printf format where the
 * message takes values). */
const char *ct_msg(ct_lang lang, ct_msg_id id);

/* The name of a message id ("TITLE"), for tests and diagnostics. */
const char *ct_msg_name(ct_msg_id id);

#endif
