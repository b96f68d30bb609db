-- staff must not fall below the 2016 figure (importance from the options)
check_rule("staff falls", { level = "district", period = "year", importance = "high" }, function(d, p)
  local before = d:metric("staff", "2016")
  local now = d:metric("staff", p)
  if before and now and now < before then
    return string.format("staff fell from %d to %d", before, now)
  end
end)

-- a district that reports no staff (importance from the returned table)
check_rule("staff missing", { level = "district" }, function(d, p)
  if d:metric("staff", p) == nil then
    return { message = "no staff figure", importance = "low" }
  end
end)

-- fails at its first call: reported, the others go on
check_rule("broken", { level = "commune" }, function(c, p)
  return c:metric("no_such_metric", p)
end)

-- every commune clean by 2018 (default importance)
check_rule("clean by 2018", { level = "commune" }, function(c, p)
  if p == "2018" and c:metric("is_clean", p) ~= 1 then
    return c.name .. " not clean in " .. p
  end
end)

-- this one finds nothing
check_rule("staff within 100", { level = "district" }, function(d, p)
  local v = d:metric("staff", p)
  if v and v > 100 then return "too many" end
end)
