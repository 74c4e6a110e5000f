-- multi_experiment.lua — one line per running experiment, for the weekly CX review.
--   dcx run examples/multi_experiment.lua
local dcx = require "dcx"  -- works under `dcx run` and in lua5.4 alike
local tests = {
  {name = "Checkout redesign", input = "examples/checkout_test.csv", metric = "converted:binary"},
  {name = "Premium upsell", input = "examples/revenue_test.csv", metric = "revenue:mean",
   cuped = "revenue=pre_revenue"},
  {name = "Support experience", input = "examples/nps_survey.csv", metric = "nps:nps"},
}
print(string.format("%-20s %-16s %10s %10s  %s", "experiment", "variant", "effect", "p", "verdict"))
for _, t in ipairs(tests) do
  local r, err = dcx.analyze{input = t.input, metric = {t.metric}, cuped = t.cuped,
                             correction = "holm"}
  if not r then
    print(string.format("%-20s error: %s", t.name, err))
  else
    for _, row in ipairs(r.results) do
      local verdict = r.srm.mismatch and "check the split first (SRM)"
                      or row.significant and (row.diff > 0 and "winner" or "loser")
                      or "no clear effect yet"
      print(string.format("%-20s %-16s %+10.4g %10.4f  %s", t.name, row.variant, row.diff,
                          row.p_adjusted, verdict))
    end
  end
end
