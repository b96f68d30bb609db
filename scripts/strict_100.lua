-- A stricter rule for 100% targets ("100% ... và được duy trì thường xuyên":
-- reached and kept up). A unit only counts as "achieved" when
--   1. the indicator was at 100% in the year before the latest one too
--      (unless that year is the plan's baseline: a one-year plan or a
--      task finished once cannot be "kept up"), and
--   2. none of the units directly below it (districts of a province,
--      communes of a district) is below 95% in the latest year.
-- Otherwise the status becomes "achieved_not_sustained", or for 2. "at_risk"
-- while the target year is ahead and "achieved_unevenly" once it is over (an
-- evaluation keeps a verdict, not a forecast), with a note saying why. Other
-- rows keep the engine's status.
--
--   chitieu assess indicators/*.yaml --data data --rules scripts/strict_100.lua

local BAR = 95 -- a unit below this drags its parent out of "achieved"

assess_rule("strict-100", function(a)
  if a.status ~= "achieved" or a.target.value ~= 100 or not a.indicator.percent then
    return nil -- keep the engine's status (and add no note)
  end
  local year = a.latest.period                -- "2020"
  local before = tostring(tonumber(year) - 1) -- "2019"

  -- 1. kept up: the year before must be at the target too
  local prev = nil
  if before ~= a.baseline.period then prev = a.unit:indicator(a.indicator.id, before, a.plan) end
  if prev ~= nil and prev < 100 then
    return "achieved_not_sustained", string.format("%s was %.1f%%: 100%% not yet held two years running", before, prev)
  end

  -- 2. no unit directly below far from the bar
  local below = {}
  for _, child in ipairs(a.unit:children()) do
    local v = child:indicator(a.indicator.id, year, a.plan)
    if v ~= nil and v < BAR then
      below[#below + 1] = string.format("%s %.1f%%", child.name, v)
    end
  end
  if #below > 0 then
    local status = a.evaluated and "achieved_unevenly" or "at_risk"
    return status, string.format("below %d%% in %s: %s", BAR, year, table.concat(below, ", "))
  end
  return nil
end)
