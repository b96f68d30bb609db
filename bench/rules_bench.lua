-- The custom indicator timed by bench/rules_overhead.c: one metric read per
-- call, the value returned as it is. The bare-Lua side of the benchmark runs
-- the same body against a plain Lua table (see BARE in rules_overhead.c).
function clean(commune, period)
  return commune:metric("is_clean", period)
end

-- The same call with nothing read: the cost of the call itself.
function constant(commune, period)
  return 1
end
