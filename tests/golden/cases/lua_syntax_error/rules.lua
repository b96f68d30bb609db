-- a rule missing its closing "end"
check_rule("x", { level = "district" }, function(d, p)
  if d then return "x"
end)
