-- fails on its 3rd call (clean_pct, district 002): that row and every
-- later row it applies to get status error
local calls = 0
assess_rule("third call fails", { indicators = { "clean_pct" } }, function(a)
  calls = calls + 1
  if calls == 3 then
    error("cannot assess " .. a.unit.code)
  end
  return nil, "seen " .. calls
end)

-- still applied to the other rows
assess_rule("province flag", function(a)
  if a.unit.level == "province" then return "province_checked" end
end)
