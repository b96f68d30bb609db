-- Outliers: a district whose establishments at risk are far from those of
-- the other districts of its province that year, by z-score: more than 3
-- standard deviations from their mean.
check_rule("outlier among districts", { level = "district" }, function(d, year)
  local values = {}
  for _, other in ipairs(d.parent:children("district")) do
    values[other.code] = other:metric("est_at_risk", year)
  end
  local z = stats.zscores(values)[d.code]
  if z and math.abs(z) > 3 then
    return string.format("%d establishments at risk, z-score %.2f (mean %.1f of %s)",
                         values[d.code], z, stats.mean(values), d.parent.name)
  end
end)
