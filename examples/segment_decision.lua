-- segment_decision.lua — a custom rollout rule per segment level.
--   dcx run examples/segment_decision.lua [UNITS.csv]
-- Ship where the lower end of the conversion lift's interval is above +2% and the level's
-- traffic split is healthy; hold where the lift could still be negative; otherwise keep
-- testing. The rule is the team's, not a statistic: that is what scripts are for.
local dcx = require "dcx"  -- works under `dcx run` and in lua5.4 alike
local units = arg[1] or "examples/checkout_test.csv"
local r = assert(dcx.analyze{input = units, metric = {"converted:binary"},
                             segment = {"device", "country"}, correction = "holm"})

local healthy = {}
for _, s in ipairs(r.srm_segments) do
  healthy[s.segment .. "=" .. s.segment_value] = s.mismatch == false
end

print(string.format("%-18s %8s  %-20s %s", "segment", "lift", "95% CI", "decision"))
for _, row in ipairs(r.results) do
  local key = row.segment == "all" and "all" or row.segment .. "=" .. row.segment_value
  local ci = row.lift_ci
  local decision
  if dcx.isnull(ci) then
    decision = "no decision (" .. (row.note or "no interval") .. ")"
  elseif row.segment ~= "all" and healthy[key] == false then
    decision = "investigate: sample ratio mismatch"
  elseif ci[1] > 0.02 then
    decision = "ship"
  elseif ci[2] < 0 then
    decision = "hold: it hurts"
  elseif ci[1] < 0 then
    decision = "hold: could be negative"
  else
    decision = "keep testing"
  end
  print(string.format("%-18s %+7.1f%%  [%+6.1f%%, %+6.1f%%]  %s", key, 100 * row.lift,
                      dcx.isnull(ci) and 0 or 100 * ci[1],
                      dcx.isnull(ci) and 0 or 100 * ci[2], decision))
end
