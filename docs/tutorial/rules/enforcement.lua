-- A composite indicator: the mean of two shares, over the districts of the
-- unit (a district itself, or those of a province): trained staff among all
-- staff, and violators handled among those detected. nil without both.
local function share(unit, part, whole, period)
  local p, w = 0, 0
  for _, district in ipairs(unit:units("district")) do
    local a, b = district:metric(part, period), district:metric(whole, period)
    if a and b then p, w = p + a, w + b end
  end
  if w > 0 then return 100 * p / w end
end

function enforcement_index(unit, period)
  local staff = share(unit, "staff_trained", "staff_total", period)
  local handled = share(unit, "violators_handled", "violators_detected", period)
  if staff and handled then return (staff + handled) / 2 end
end
