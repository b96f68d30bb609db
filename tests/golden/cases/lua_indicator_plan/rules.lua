-- the same indicator id in two plans: named with the plan it is read on; without it, an error
assess_rule("detail", function(a)
  if a.unit.level ~= "province" then return nil end
  local d = a.unit:children("district")[1]
  local c = d:indicator_detail("trained_pct", "2020", a.plan)
  local note = string.format("%s of %s: %s (%s %s)", c.numerator, c.denominator, c.value, d.code,
                             tostring(d.valid_to))
  if a.plan == "plan-b" then
    local ok, err = pcall(function() return d:indicator("trained_pct", "2020") end)
    note = note .. "; " .. tostring(err):gsub("^.-: ", "")
  end
  return nil, note
end)
