assess_rule("reads a file", function(a)
  return nil, io.read("l")
end)
