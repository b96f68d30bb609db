-- the province (the first unit of each period) fails in 2018: the values
-- before stay, and from then on the indicator has no values
function staff_or_fail(u, p)
  if u.level == 'province' then
    if p == '2018' then
      local missing = nil
      return missing.value
    end
    return nil
  end
  return u:metric('staff', p)
end

function staff_plain(u, p)
  if u.level ~= 'district' then return nil end
  return u:metric('staff', p)
end
