-- A stricter rule for 100% targets: a province or district only counts as
-- "achieved" when none of its districts (or communes) is below 95% for the
-- same indicator in the latest year. Otherwise it is "at_risk", with a note
-- naming the units below the bar.

assess_rule("strict-100", function(a)
  if a.status ~= "achieved" or a.target.value ~= 100 or not a.indicator.percent then
    return nil -- keep the engine's status
  end
  local below = {}
  local year = a.latest.period
  for _, child in ipairs(a.unit:children()) do
    local v = child:indicator(a.indicator.id, year)
    if v ~= nil and v < 95 then
      below[#below + 1] = string.format("%s %.1f%%", child.name, v)
    end
  end
  if #below == 0 then return nil end
  return "at_risk", "below 95% in " .. year .. ": " .. table.concat(below, ", ")
end)
