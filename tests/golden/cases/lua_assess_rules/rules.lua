-- an achieved district needs a review; the note says what was seen
assess_rule("review achieved districts", function(a)
  if a.status == "achieved" and a.unit.level == "district" then
    return "needs_review", string.format("latest %s: %g", a.latest.period, a.latest.value)
  end
end)

-- staff_total only: a note with the required rate, status kept
assess_rule("staff note", { indicators = { "staff_total" } }, function(a)
  if a.required_rate == nil then return nil end
  return nil, string.format("needs %.4f a year", a.required_rate)
end)

-- an indicator that is not in the plan: never applied
assess_rule("never", { indicators = { "nothing_here" } }, function(a)
  return "never_seen", "never"
end)
