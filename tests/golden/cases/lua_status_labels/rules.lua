-- a labelled status (its words in the row's language, its colour), a status
-- that is not a code (an error of that row only: the rows after it go on),
-- and a label that is not text
assess_rule("conditional", function(a)
  if a.unit.code == "001" and a.status == "achieved" then
    return { status = "dat_co_dieu_kien", colour = "#2a9d8f",
             label = { vi = "Đạt có điều kiện", en = "Achieved, conditionally" } }, "with conditions"
  end
  if a.unit.code == "002" and a.indicator.id == "clean_pct" then
    return "đạt có điều kiện"
  end
  if a.unit.code == "002" then
    return { status = "bad_label", label = "two\nlines" }
  end
end)

assess_rule("sees the label", function(a)
  if a.label then return nil, "label: " .. a.label end
end)
