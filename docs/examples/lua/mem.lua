assess_rule("hoards memory", function(a)
  local kept = {}
  for i = 1, 1000 do kept[i] = string.rep(tostring(i), 1000000) end
end)
