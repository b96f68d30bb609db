-- a whole-series check: once per district, its violations as a list, each
-- naming its period; log(...) goes to stderr after the file and line
check_rule("staff falls", { level = "district", series = true, importance = "high" }, function(d)
  local s = d:series("staff")
  log("checking", d.code, "with", #data.periods(), "years")
  local found, last, last_p = {}, nil, nil
  for _, p in ipairs(data.periods()) do
    if s[p] and last and s[p] < last then
      found[#found + 1] = { period = p, message = string.format("staff fell from %d in %s to %d", last, last_p, s[p]) }
    end
    if s[p] then last, last_p = s[p], p end
  end
  -- a gap: the year after the last one, through periods.next
  if last_p and periods.compare(last_p, data.periods()[#data.periods()]) < 0 then
    found[#found + 1] = { period = periods.next(last_p), message = "no figure after " .. last_p, importance = "low" }
  end
  return found
end)

-- a whole-series check that names no period
check_rule("too few years", { level = "district", series = true }, function(d)
  local n = 0
  for _ in pairs(d:series("staff")) do n = n + 1 end
  if n < 3 then return string.format("%d years of staff figures", n) end
end)

-- the periods helpers and data.metrics at the top level
log(periods.next("2020Q4"), periods.previous("2020-01", 2), periods.type("2020S1"), periods.year("2020-07"),
    periods.number("2020Q3"), periods.months("2020S2"))
log(table.concat(data.metrics(), ","))
