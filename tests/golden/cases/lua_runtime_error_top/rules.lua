-- fails while loading, on line 4
local limits = {}

local top = limits.staff.max
check_rule("x", function() end)
