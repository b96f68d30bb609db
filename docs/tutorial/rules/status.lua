-- A status of its own, with its words and colour: a target missed by less
-- than 5 points is "nearly there" rather than off track.
assess_rule("nearly there", function(a)
  local gap = a.target.value and a.latest.value and a.target.value - a.latest.value
  if a.status ~= "achieved" and gap and gap > 0 and gap < 5 then
    return { status = "gan_dat", colour = "#8ab17d",
             label = { vi = "Gần đạt", en = "Nearly there" } },
           string.format("%.1f points short", gap)
  end
end)
