-- derived_metric.lua — a metric no column holds: average order value among converters.
--   dcx run examples/derived_metric.lua [UNITS.csv]
-- Streams the unit file once with dcx.csv, keeps the revenue of converting units per arm,
-- and compares the arms with Welch's t test from dcx.stats; then hands the same units to
-- dcx.analyze as rows in memory (no temporary file) for the full analysis, by device too.
local dcx = require "dcx"  -- works under `dcx run` and in lua5.4 alike
local units = arg[1] or "examples/checkout_test.csv"
local orders = {control = {}, treatment = {}}
for row in dcx.csv.rows(units) do
  if row.converted == "1" and row.revenue ~= "" then
    local arm = orders[row.variant]
    if arm then arm[#arm + 1] = tonumber(row.revenue) end
  end
end
local t, c = dcx.stats.moments(orders.treatment), dcx.stats.moments(orders.control)
local w = assert(dcx.stats.welch_test(orders.treatment, orders.control))
print(string.format("average order value: control %.2f (n=%d), treatment %.2f (n=%d)",
                    c.mean, c.n, t.mean, t.n))
print(string.format("difference %+.2f, 95%% CI [%+.2f, %+.2f], Welch p = %.4f",
                    w.estimate, w.ci[1], w.ci[2], w.p_value))
local lift = assert(dcx.stats.lift(orders.treatment, orders.control))
print(string.format("relative change %+.1f%% [%+.1f%%, %+.1f%%]",
                    100 * lift.estimate, 100 * lift.ci[1], 100 * lift.ci[2]))

-- the derived metric as rows in memory: one row per converting unit
local rows = {}
for row in dcx.csv.rows(units) do
  if row.converted == "1" and row.revenue ~= "" then
    rows[#rows + 1] = {variant = row.variant, device = row.device, aov = tonumber(row.revenue)}
  end
end
local r = assert(dcx.analyze{rows = rows, metric = {"aov:mean"}, segment = {"device"}})
for _, res in ipairs(r.results) do
  local where = res.segment == "all" and "all converters" or res.segment .. "=" .. res.segment_value
  print(string.format("dcx.analyze, %-16s diff %+6.2f, p = %.4f", where, res.diff, res.p_value))
end
