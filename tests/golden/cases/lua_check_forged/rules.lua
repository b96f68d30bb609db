-- a rule cannot print a line of its own nor drive the terminal: control
-- characters in its name, messages, notes and logs come out escaped
check_rule("forger\nok (0 errors, 0 warnings)", { level = "province" }, function(u, p)
  if p == "2016" then
    return "x\nok (0 errors, 0 warnings)\n\27[2J\27]0;title\7 tab\there \194\155 csi"
  end
end)
log("line one\nok (0 errors, 0 warnings)\27[31m")
