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
