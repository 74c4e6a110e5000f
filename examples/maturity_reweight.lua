-- maturity_reweight.lua — the same responses under a client's own priorities.
--   dcx run examples/maturity_reweight.lua [RESPONSES.csv]
-- The shipped model weighs dimensions by general importance; this client's strategy leans
-- on data and omnichannel. Re-weight the dimension scores and see whether the level moves.
local dcx = require "dcx"  -- works under `dcx run` and in lua5.4 alike
local responses = arg[1] or "examples/maturity_2026.csv"
local r = assert(dcx.maturity.score{assessment = "assessments/dcx-maturity.json",
                                    responses = responses, target = 3.4, nulls = "nil"})
local client = {data = 3, omnichannel = 3, technology = 2, personalisation = 2}
local sum, wsum = 0, 0
for _, d in ipairs(r.dimensions) do
  local w = client[d.id] or 1
  if not dcx.isnull(d.score) then
    sum, wsum = sum + w * d.score, wsum + w
  end
end
local reweighted = sum / wsum
local function level_of(score)
  local names = {"Ad hoc", "Emerging", "Defined", "Managed", "Embedded"}
  local mins = {1.0, 1.8, 2.6, 3.4, 4.2}
  local k = 1
  for i, m in ipairs(mins) do if score >= m then k = i end end
  return names[k]
end
print(string.format("model weights:  %.2f (%s)", r.overall.score, r.overall.level_name))
print(string.format("client weights: %.2f (%s)", reweighted, level_of(reweighted)))
print("largest gaps under the client's weights:")
table.sort(r.dimensions, function(a, b)
  return (client[a.id] or 1) * (a.gap or 0) > (client[b.id] or 1) * (b.gap or 0)
end)
for i = 1, 3 do
  local d = r.dimensions[i]
  print(string.format("  %d. %s: %.2f, gap %.2f", i, d.name, d.score, d.gap))
end
