-- every attempt to leave the sandbox fails with an error naming its line and
-- rule; none of them creates pwned.txt; the rule after them still runs
local opts = { level = "province" }
check_rule("os.execute", opts, function(u, p) os.execute("touch pwned.txt") end)
check_rule("io.open", opts, function(u, p) io.open("pwned.txt", "w"):write("x") end)
check_rule("io.popen", opts, function(u, p) io.popen("touch pwned.txt") end)
check_rule("require", opts, function(u, p) require("io").open("pwned.txt", "w") end)
check_rule("dofile", opts, function(u, p) dofile("pwned.txt") end)
check_rule("string.dump", opts, function(u, p) return ("").dump(print) end)
check_rule("binary load", opts, function(u, p) assert(load("\27Lua", "chunk", "b")) end)
check_rule("load with env", opts, function(u, p) load("io.open('pwned.txt', 'w')", "chunk", "t", _G)() end)
check_rule("collectgarbage", opts, function(u, p) collectgarbage("collect") end)
check_rule("endless loop", opts, function(u, p) local n = 0; while true do n = n + 1 end end)
check_rule("memory bomb", opts, function(u, p) local s = ("x"):rep(1 << 30) end)
check_rule("still runs", opts, function(u, p) return "checked " .. u.code .. " " .. p end)
