-- Two data-quality checks on the communes' reports.

-- 1. a half-year report with one of the two figures missing: each commune
-- reports whether it is free of prostitution and whether it has a hotspot
check_rule("incomplete report", { level = "commune", period = "half-year", importance = "low" },
  function(commune, half)
    local clean, hotspot = commune:metric("is_clean", half), commune:metric("has_hotspot", half)
    if clean ~= nil and hotspot == nil then return "is_clean reported, has_hotspot missing" end
    if clean == nil and hotspot ~= nil then return "has_hotspot reported, is_clean missing" end
  end)

-- 2. a commune free of prostitution one year and not the next: worth a look
-- before the figure is used (a whole-series check, once per commune; each
-- finding names its year)
check_rule("relapse", { level = "commune", series = true, importance = "high" }, function(commune)
  local s, found = commune:series("is_clean"), {}
  for _, year in ipairs(data.periods()) do
    local before = s[periods.previous(year)]
    if before == 1 and s[year] == 0 then
      found[#found + 1] = { period = year, message = "free of prostitution in " .. periods.previous(year) .. ", not in " .. year }
    end
  end
  return found
end)
