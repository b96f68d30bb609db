assess_rule("never ends", function(a)
  local n = 0
  while true do n = n + 1 end
end)
