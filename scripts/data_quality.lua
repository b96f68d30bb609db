-- Data-quality checks on reported figures, in the manner of DHIS2's
-- validation rules. Each check is called for every unit of its level and
-- every period of its type; returning a message reports a violation.

check_rule("trained staff within total staff",
  { level = "district", period = "year", importance = "high" },
  function(district, period)
    local trained = district:metric("staff_trained", period)
    local total = district:metric("staff_total", period)
    if trained and total and trained > total then
      return string.format("%d staff trained but only %d staff in total", trained, total)
    end
  end)

check_rule("handled violators within detected",
  { level = "district", period = "year", importance = "medium" },
  function(district, period)
    local handled = district:metric("violators_handled", period)
    local detected = district:metric("violators_detected", period)
    if handled and detected and handled > detected then
      return string.format("%d violators handled but %d detected", handled, detected)
    end
  end)

check_rule("a commune free of prostitution has no public hotspot",
  { level = "commune", period = "half-year", importance = "medium" },
  function(commune, period)
    if commune:metric("is_clean", period) == 1 and commune:metric("has_hotspot", period) == 1 then
      return "reported free of prostitution but with a public hotspot"
    end
  end)

-- A figure that jumps from one year to the next is worth a second look. A
-- change of a quarter is reported with the rule's importance (medium), a
-- change of a half or more as high: the check returns a table
-- {message = ..., importance = ...} instead of a plain message.
check_rule("sudden change in disguised establishments",
  { level = "district", period = "year", importance = "medium" },
  function(district, period)
    local now = district:metric("est_disguised", period)
    local before = district:metric("est_disguised", tostring(tonumber(period) - 1))
    if now == nil or before == nil or before < 5 then return nil end
    local change = (now - before) / before
    if math.abs(change) < 0.25 then return nil end
    return {
      message = string.format("%d establishments after %d the year before (%+.0f%%)", now, before, 100 * change),
      importance = math.abs(change) >= 0.5 and "high" or nil, -- nil: the rule's own (medium)
    }
  end)
