-- Custom notes: rules that keep the engine's status (they return nil as the
-- status) and only add a note, joined to the engine's note with "; ".
--
--   chitieu assess indicators/*.yaml --data data --level province --rules scripts/notes.lua

-- The value of each district of a province in the latest year: the best and
-- the worst (by the indicator's direction), and how many districts have no
-- value at all (not reporting). Indicators that count the districts
-- themselves (a district is then 0% or 100%) get no such note.
assess_rule("best and worst district", function(a)
  if a.unit.level ~= "province" or a.latest.period == nil then return nil end
  local year = a.latest.period
  local best, worst, missing, n, only_0_100 = nil, nil, 0, 0, true
  for _, d in ipairs(a.unit:children("district")) do
    n = n + 1
    local v = d:indicator(a.indicator.id, year, a.plan)
    if v == nil then
      missing = missing + 1
    else
      if v ~= 0 and v ~= 100 then only_0_100 = false end
      local better = function(x, y) -- is x better than y?
        if a.indicator.direction == "decrease" then return x < y end
        return x > y
      end
      if best == nil or better(v, best.v) then best = {d = d, v = v} end
      if worst == nil or better(worst.v, v) then worst = {d = d, v = v} end
    end
  end
  if best == nil or (a.indicator.percent and only_0_100) then return nil end
  local note = string.format("%s: best %s %.4g, worst %s %.4g", year, best.d.name, best.v, worst.d.name, worst.v)
  if missing > 0 then
    note = note .. string.format("; districts not reporting: %d of %d", missing, n)
  end
  return nil, note
end)

-- For two indicators only (the `indicators` option): the spread between
-- districts, as the median and the quartiles of their latest values.
assess_rule("spread between districts", { indicators = { "clean_communes_pct", "healthy_communes_pct" } },
  function(a)
    if a.unit.level ~= "province" or a.latest.period == nil then return nil end
    local values = {}
    for _, d in ipairs(a.unit:units("district")) do
      values[#values + 1] = d:indicator(a.indicator.id, a.latest.period, a.plan)
    end
    local q1, med, q3 = stats.quantile(values, 0.25), stats.quantile(values, 0.5), stats.quantile(values, 0.75)
    if med == nil then return nil end
    return nil, string.format("district median %.1f (quartiles %.1f-%.1f)", med, q1, q3)
  end)
