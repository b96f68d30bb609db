-- staff of the districts added up (nil when none reported)
function staff_sum(u, p)
  local sum, any = 0, false
  for _, d in ipairs(u:units('district')) do
    local v = d:metric('staff', p)
    if v then sum, any = sum + v, true end
  end
  if any then return sum end
end

-- a boolean per commune: true prints 1, false 0, nil nothing
function clean_flag(u, p)
  if u.level ~= 'commune' then return nil end
  local v = u:metric('is_clean', p)
  if v == nil then return nil end
  return v == 1
end
