function clean_pct(unit, period)
  local n, met = 0, 0
  for _, c in ipairs(unit:units("commune")) do
    local v = c:metric("is_clean", period)
    if v ~= nil then n = n + 1; if v == 1 then met = met + 1 end end
  end
  if n > 0 then return 100 * met / n end
end
