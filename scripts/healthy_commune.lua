-- A "healthy commune" (xã lành mạnh) counts only when several reported
-- conditions hold together in the period: free of prostitution, no public
-- hotspot, and at least one awareness activity. Used by a plan as
--   kind: lua, script: ../scripts/healthy_commune.lua, function: healthy_pct
-- The value for a unit is the percentage of its communes that are healthy,
-- among the communes that reported all three figures.

local function healthy(commune, period)
  local clean = commune:metric("is_clean", period)
  local hotspot = commune:metric("has_hotspot", period)
  local awareness = commune:metric("has_propaganda", period)
  if clean == nil or hotspot == nil or awareness == nil then return nil end
  return clean == 1 and hotspot == 0 and awareness == 1
end

function healthy_pct(unit, period)
  local reported, met = 0, 0
  for _, commune in ipairs(unit:units("commune")) do
    local h = healthy(commune, period)
    if h ~= nil then
      reported = reported + 1
      if h then met = met + 1 end
    end
  end
  if reported == 0 then return nil end
  return 100 * met / reported
end
