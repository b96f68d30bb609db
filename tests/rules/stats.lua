-- The stats helpers on lists the test also builds in Python (run_stats.sh
-- compares every line with an independent computation). Each log line is
-- "NAME VALUE...", numbers with 17 significant digits.
local function f(v) if v == nil then return "nil" end return string.format("%.17g", v) end
local function out(name, ...)
  local t = {}
  for i = 1, select("#", ...) do t[#t + 1] = f((select(i, ...))) end
  log(name, table.concat(t, " "))
end

-- 100,000 zeros then 100,000 ones: no cap on the numbers
local big = {}
for i = 1, 100000 do big[i] = 0 end
for i = 100001, 200000 do big[i] = 1 end
out("mean_big", stats.mean(big))
out("quantile_big", stats.quantile(big, 0.25), stats.quantile(big, 0.75))

-- a list with holes and a non-number
local xs = { 12.5, 7, nil, 3.25, 19, "x", 11, 4.5, 30, 8 }
out("mean", stats.mean(xs))
out("sd", stats.sd(xs))
out("median", stats.median(xs))
out("quantile", stats.quantile(xs, 0.1), stats.quantile(xs, 0.9))
out("mad", stats.mad(xs), stats.mad(xs, 1.4826))
local z = stats.zscores({ a = 12.5, b = 7, c = 3.25, d = 19, e = 11, f = 4.5, g = 30, h = 8 })
out("zscores", z.a, z.b, z.g)
local zr = stats.zscores({ a = 12.5, b = 7, c = 3.25, d = 19, e = 11, f = 4.5, g = 30, h = 8 }, "robust")
out("zrobust", zr.a, zr.b, zr.g)
out("sd_one", stats.sd({ 5 }))

-- quantiles of the normal and of Student's t
out("qnorm", stats.qnorm(0.975), stats.qnorm(0.05), stats.qnorm(0.5))
out("qt", stats.qt(0.975, 3), stats.qt(0.975, 10), stats.qt(0.95, 1), stats.qt(0.025, 3))

-- a trend through 1,000 points: no cap on the points
local long = {}
for i = 1, 1000 do long[i] = 3 + 2 * i + ((i * 7919) % 13 - 6) end
local t = stats.trend(long)
out("trend_long", t.slope, t.intercept, t.n, t.sigma)

-- a short series of periods, and a prediction with its interval
local s = { ["2016"] = 10, ["2017"] = 12, ["2018"] = 15, ["2019"] = 15, ["2020"] = 19 }
local ts = stats.trend(s)
out("trend", ts.slope, ts.intercept, ts.n, ts.sigma)
out("predict", stats.predict(ts, 2022))
out("predict90", stats.predict(ts, "2023", 0.9))
local two = stats.trend({ [2016] = 1, [2017] = 3 })
out("predict_two", stats.predict(two, 2018))
