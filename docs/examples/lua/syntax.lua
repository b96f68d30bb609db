assess_rule("unfinished", function(a)
  return nil, "oops"
