-- api.lua — every function of the dcx Lua module; the CLI and Lua give the same answers.
local root = os.getenv("DCX_ROOT") or "."
local DCX = os.getenv("DCX") or (root .. "/build/dcx")
local T = dofile(root .. "/tests/lua/tap.lua")
local ex = function(f) return root .. "/examples/" .. f end

-- deep equality of two decoded JSON values
local function same(a, b, path)
  path = path or ""
  if type(a) ~= type(b) then return false, path .. ": " .. type(a) .. " vs " .. type(b) end
  if type(a) == "number" then -- the CLI prints 15 significant digits
    if a == b or math.abs(a - b) <= 1e-14 * math.abs(b) then return true end
    return false, path .. ": " .. a .. " vs " .. b
  end
  if type(a) ~= "table" then return a == b, path end
  for k, v in pairs(a) do
    local ok2, where = same(v, b[k], path .. "." .. tostring(k))
    if not ok2 then return false, where end
  end
  for k in pairs(b) do if a[k] == nil then return false, path .. "." .. tostring(k) .. " missing" end end
  return true
end
local function cli_json(args)
  local p = assert(io.popen(DCX .. " " .. args .. " --format json 2>/dev/null"))
  local text = p:read("a")
  p:close()
  return assert(dcx.json.decode(text))
end

T.is(dcx.version, "0.1.0", "dcx.version")

-- commands: the table equals the CLI's JSON for the same options
local units = ex("checkout_test.csv")
local a = assert(dcx.analyze{input = units, metric = {"converted:binary", "revenue:mean"},
                             segment = {"device"}, correction = "holm", time_column = "day"})
local ok1, where = same(a, cli_json("analyze --input " .. units ..
  " --metric converted:binary --metric revenue:mean --segment device --correction holm --time-column day"), "analyze")
T.ok(ok1, "dcx.analyze equals `dcx analyze --format json`", where)
local p = assert(dcx.power{baseline = 0.1, mde = 0.02})
T.is(p.n_per_variant, 3841, "dcx.power: n per variant (R power.prop.test 3840.85)")
T.ok(same(p, cli_json("power --baseline 0.1 --mde 0.02")), "dcx.power equals the CLI")
local s = assert(dcx.srm{counts = {5012, 4988}})
T.near(s.p_value, 0.81033025660441, 1e-12, "dcx.srm p-value (R chisq.test)")
local m = assert(dcx.maturity.score{assessment = root .. "/assessments/dcx-maturity.json",
                                    responses = ex("maturity_2026.csv"), target = 3.4, group_by = "role"})
T.ok(same(m, cli_json("maturity score --assessment " .. root .. "/assessments/dcx-maturity.json --responses "
  .. ex("maturity_2026.csv") .. " --target 3.4 --group-by role")), "dcx.maturity.score equals the CLI")
local v = assert(dcx.maturity.validate{assessment = root .. "/assessments/dcx-pulse.json"})
T.is(v.valid, true, "dcx.maturity.validate")
local cmp = assert(dcx.maturity.compare{assessment = root .. "/assessments/dcx-maturity.json",
  before = ex("maturity_2026.csv"), after = ex("maturity_2027.csv")})
T.is(#cmp.dimensions, 10, "dcx.maturity.compare")
local tpl = assert(dcx.maturity.template{assessment = root .. "/assessments/dcx-pulse.json"})
T.ok(tpl:find("respondent,question,answer", 1, true) == 1, "dcx.maturity.template returns the worksheet")
local asg = assert(dcx.assign{config = ex("experiments/checkout-redesign.json"), id = "José"})
T.is(asg[1].variant, "control", "dcx.assign (GrowthBook SDK: control)")
T.is(asg[1].bucket, 0.2094, "dcx.assign bucket")
local asgcsv = assert(dcx.assign{config = ex("experiments/checkout-redesign.json"), id = "José", format = "csv"})
T.is(asgcsv, "id,variant,bucket\nJosé,control,0.2094\n", "dcx.assign with format csv returns the text")
local agg = assert(dcx.aggregate{input = units, metric = {"converted:binary"}})
T.ok(agg:find("converted,binary,all,all,control,14970,514,514", 1, true) ~= nil, "dcx.aggregate returns the summary CSV")

-- dcx.stats (values from R; see tests/reference/stats.R)
T.near(dcx.stats.pnorm(1.96), 0.97500210485177952, 1e-15, "stats.pnorm")
T.near(dcx.stats.qt(0.975, 7), 2.3646242515927849, 1e-12, "stats.qt")
T.near(dcx.stats.pnt(1.96, 10.5, 2.8, false), 0.79303089003596139, 1e-9, "stats.pnt upper tail (R pt(1.96, 10.5, 2.8, lower.tail=FALSE))")
T.near(dcx.stats.pchisq(3.84, 1, false), 0.050043521248705147, 1e-12, "stats.pchisq upper")
T.near(dcx.stats.qbeta(0.975, 31, 970), 0.042551402470029087, 1e-9, "stats.qbeta (R qbeta(0.975, 31, 970))")
T.is(dcx.stats.qbinom(0.5, 100, 0.02), 2, "stats.qbinom")
T.near(dcx.stats.phyper(3, 10, 7, 8), 0.11703002879473474, 1e-9, "stats.phyper (R phyper(3, 10, 7, 8))")
local pt = dcx.stats.prop_test(560, 4988, 506, 5012)
T.near(pt.p_value, 0.066843800651697566, 1e-9, "stats.prop_test p (R prop.test)")
T.near(pt.ci[1], -0.00078466981255331456, 1e-9, "stats.prop_test CI")
local w = dcx.stats.welch_test({n = 40, mean = 10.705598455348753, var = 3.5920207852879966},
                               {n = 35, mean = 10.542059993605189, var = 9.4469647283388838})
T.near(w.p_value, 0.7861247803530047, 1e-9, "stats.welch_test (R t.test)")
T.near(dcx.stats.welch_test({1, 1, 1}, {1, 2, 3}).p_value, 0.22540333075851657, 1e-9, "stats.welch_test on values")
T.near(dcx.stats.fisher_test(3, 1, 1, 3).p_value, 0.48571428571428527, 1e-9, "stats.fisher_test (R fisher.test)")
local mw = dcx.stats.mann_whitney({1.1, 2.2, 3.3, 4.4}, {0.5, 1.5, 2.5})
T.is(mw.statistic, 9, "stats.mann_whitney W")
local adj = dcx.stats.p_adjust({0.01, 0.04, 0.03, 0.5, 0.0001, 0.04, 0.2, 0.049}, "holm")
T.near(adj[1], 0.07, 1e-12, "stats.p_adjust holm (R p.adjust: 0.07)")
T.near(dcx.stats.chisq_gof({5012, 4988}).p_value, 0.81033025660441, 1e-12, "stats.chisq_gof")
T.ok(dcx.stats.cochran_q({0.012, 0.004}, {0.005, 0.004}).q > 0, "stats.cochran_q")
T.ok(dcx.stats.ratio(400, 1.84, 5.99, 1.96, 5.2, 1.8).ratio > 0, "stats.ratio")
T.ok(dcx.stats.lift({n = 100, mean = 1.1, var = 1}, {n = 100, mean = 1, var = 1}).estimate > 0.09, "stats.lift")
T.ok(dcx.stats.z_test(1, 0.5).p_value < 0.05, "stats.z_test")
local bb = dcx.stats.bayes_beta(569, 15030, 514, 14970)
T.ok(bb.prob_beat_control > 0.9 and bb.prob_beat_control < 1, "stats.bayes_beta")
T.near(dcx.stats.bayes_normal(1, 1).prob_beat_control, dcx.stats.pnorm(1), 1e-15, "stats.bayes_normal")
local ms = dcx.stats.msprt(0.01, 1e-5, dcx.stats.msprt_tau2(0.05, 20000, 1e-5))
T.ok(ms.p_value > 0 and ms.p_value <= 1, "stats.msprt")
T.is(dcx.stats.power{baseline = 0.1, mde = 0.02}.n_per_variant, 3841, "stats.power is dcx.power")
T.is(dcx.stats.moments({1, 2, 3, 4}).var, 5 / 3, "stats.moments")

-- dcx.csv and dcx.json
local rows, lines = 0, {}
for row, line in dcx.csv.rows(ex("customer_ids.csv")) do rows = rows + 1; lines[#lines + 1] = line end
T.is(rows, 7, "csv.rows reads every row")
T.is(lines[3], 4, "csv.rows gives line numbers")
local r = assert(dcx.csv.open(ex("customer_ids.csv")))
T.is(r:header()[1], "user_id", "csv reader header")
r:close(); r:close()
T.ok(true, "a reader closes twice without harm")
local tmp = os.tmpname()
local wr = assert(dcx.csv.writer(tmp, {"id", "note"}))
wr:write{id = "a,b", note = 'say "hi"'}
wr:write{"c", 3}
T.ok(wr:close(), "csv writer closes")
local fh = io.open(tmp); local text = fh:read("a"); fh:close(); os.remove(tmp)
T.is(text, 'id,note\n"a,b","say ""hi"""\nc,3\n', "csv writer quotes what needs it")
local dec = dcx.json.decode('{"a": [1, 2.5, null, true], "b": {"c": "x"}}')
T.ok(dec.a[3] == dcx.json.null and dec.a[2] == 2.5 and dec.b.c == "x", "json.decode with null")
T.is(dcx.json.encode({1, 2, 3}), "[1, 2, 3]", "json.encode list")
local nilv, msg = dcx.json.decode("{oops")
T.ok(nilv == nil and msg:find("line 1", 1, true), "json.decode reports the position")

-- null: dcx.null, dcx.isnull, and nulls = "nil" for decoders and results
T.ok(dcx.null == dcx.json.null, "dcx.null is dcx.json.null")
T.ok(dcx.isnull(dcx.null) and dcx.isnull(nil) and not dcx.isnull(0) and not dcx.isnull(false)
     and not dcx.isnull(""), "dcx.isnull: dcx.null and nil, nothing else")
local dn = dcx.json.decode('{"a": null, "b": 1, "c": [1, null, 3]}', {nulls = "nil"})
T.ok(dn.a == nil and dn.b == 1 and dn.c[2] == nil and dn.c[3] == 3,
     "json.decode{nulls = 'nil'}: null members left out, null items as holes")
T.is(dcx.json.decode("null", {nulls = "nil"}), nil, "and null itself is nil")
T.raises(function() dcx.json.decode("{}", {nulls = "none"}) end, 'nulls must be "nil"',
         "a nulls setting other than nil or null is refused")
local mat = ex("maturity_2026.csv")
local m0 = assert(dcx.maturity.score{assessment = root .. "/assessments/dcx-maturity.json", responses = mat})
local m1 = assert(dcx.maturity.score{assessment = root .. "/assessments/dcx-maturity.json", responses = mat,
                                     nulls = "nil"})
T.ok(m0.dimensions[1].gap == dcx.null and m1.dimensions[1].gap == nil,
     "a result without a target: gap is dcx.null, or absent with nulls = 'nil'")
T.ok((m1.dimensions[1].gap or 0) == 0 and not m1.dimensions[1].target,
     "so `x or default` and `if x then` behave")
T.is(m1.dimensions[1].score, m0.dimensions[1].score, "and the numbers are the same")

-- a number option takes a numeric string, as the command line does
local ps = assert(dcx.power{baseline = "0.1", mde = "0.02", alpha = "0.05", power = "0.8"})
T.is(ps.n_per_variant, 3841, "dcx.power with numbers as strings (R power.prop.test 3840.85)")
T.is(assert(dcx.srm{counts = {"5012", "4988"}}).p_value, s.p_value, "counts as strings")
T.raises(function() dcx.power{baseline = "0.1x", mde = 0.02} end, "option 'baseline': '0.1x' is not a number",
         "a string that is not a number is refused")

-- errors raised into Lua name options as Lua spells them
T.raises(function() dcx.power{baseline = 0.1, mde = 0.02, daily_units = -5} end, "daily_units must be",
         "daily_units, not --daily-units")
local _, gate = dcx.srm{counts = {5200, 4800}, fail_on_srm = true}
T.ok(gate and not gate:find("--", 1, true), "a gate's message has no flag in it", gate)
T.raises(function() dcx.analyze{input = units, metric = {"revenue:mean"}, cap = {"revenue=1", "revenue=p99"}} end,
         "cap 'revenue=p99': metric 'revenue' is capped twice", "cap, not --cap")
T.raises(function() dcx.maturity.score{assessment = root .. "/assessments/dcx-maturity.json", responses = mat,
                                       min_answered = 2} end, "min_answered", "min_answered, not --min-answered")

-- dcx.csv.writer is strict; "-" is standard output; dcx.csv.format returns text
local function writes(chunk) -- the standard output and status of a chunk under dcx run
  local p = assert(io.popen(DCX .. " run -e '" .. chunk .. "' 2>&1"))
  local text = p:read("a")
  local okp, _, code = p:close()
  return text, okp and 0 or code
end
local text, code = writes('local w = dcx.csv.writer("-", {"id", "n"}) w:write{id = "a", n = 1} w:write{"b", 2.5} assert(w:close())')
T.ok(code == 0 and text == "id,n\na,1\nb,2.5\n", "writer('-') writes to standard output", text)
local wt = os.tmpname()
local w = assert(dcx.csv.writer(wt, {"id", "score"}))
T.raises(function() w:write{id = "a", scor = 1} end, "unknown column 'scor'", "a misspelt key is an error, not a drop")
T.raises(function() w:write{"a", 1, 2} end, "the row has 3 values for 2 columns", "an extra value is an error")
T.raises(function() w:write{id = "a", score = {1}} end, "column 'score': a table is not a CSV value",
         "a table as a value is an error")
T.raises(function() w:write{id = "a", score = print} end, "a function is not a CSV value", "so is a function")
T.raises(function() w:write{id = "a", score = 0 / 0} end, "is not a value a CSV file can hold", "and nan")
T.raises(function() w:write{"a", id = "b"} end, "not both", "a row mixing a list and keys is refused")
w:write{id = "c", score = dcx.null}
w:write{id = "d"}
w:write{"e", true}
T.ok(w:close(), "the writer closes after refused rows")
fh = io.open(wt); text = fh:read("a"); fh:close(); os.remove(wt)
T.is(text, "id,score\nc,\nd,\ne,true\n", "refused rows wrote nothing; null and nil are empty fields")
T.raises(function() dcx.csv.writer(wt, {"id", "id"}) end, "column 'id' is named twice", "a header names each column once")
T.is(dcx.csv.format({{id = "a,b", score = 0.1}, {"x", 3}}, {"id", "score"}), 'id,score\n"a,b",0.1\nx,3\n',
     "dcx.csv.format returns the text")
T.raises(function() dcx.csv.format({{id = "a", extra = 1}}, {"id"}) end, "unknown column 'extra'",
         "with the writer's rules")

-- dcx.csv.columns: whole numeric columns
local cols = assert(dcx.csv.columns(units, {"revenue", "converted"}))
T.is(#cols.revenue, 30000, "csv.columns: one value per row")
local sum_conv = 0
for _, v in ipairs(cols.converted) do sum_conv = sum_conv + v end
T.is(sum_conv, 1083, "the values (1,083 conversions, as dcx analyze counts 514 + 569)")
local ct = os.tmpname()
fh = io.open(ct, "w"); fh:write("a;b\n1;\n;2.5\n 3 ;4\n"); fh:close()
local cc = assert(dcx.csv.columns(ct, {"a", "b"}, {delimiter = ";"}))
T.ok(cc.a[1] == 1 and cc.a[2] == dcx.null and cc.a[3] == 3 and cc.b[1] == dcx.null and cc.b[2] == 2.5,
     "empty cells are dcx.null; a delimiter setting")
local cn = assert(dcx.csv.columns(ct, {"b"}, {delimiter = ";", nulls = "nil"}))
T.ok(cn.b[1] == nil and cn.b[2] == 2.5 and cn.b[3] == 4, "or holes with nulls = 'nil'")
fh = io.open(ct, "w"); fh:write("a,b\n1,2\n3,x\n"); fh:close()
T.raises(function() dcx.csv.columns(ct, {"b"}) end, ":3:2: column 'b': 'x' is not a number",
         "a cell that is not a number: file:line:column")
T.raises(function() dcx.csv.columns(ct, {"c"}) end, "no column 'c' in the header", "an unknown column")
os.remove(ct)
local cnone, cmsg = dcx.csv.columns("/nonexistent.csv", {"a"})
T.ok(cnone == nil and cmsg:find("cannot open", 1, true), "a missing file: nil, message")

-- dcx.fs.list
local names = assert(dcx.fs.list(root .. "/examples", "*.lua"))
T.is(table.concat(names, " "), "derived_metric.lua maturity_reweight.lua multi_experiment.lua segment_decision.lua",
     "fs.list with a pattern, sorted")
local all = assert(dcx.fs.list(root .. "/examples"))
local sorted = true
for i = 2, #all do sorted = sorted and all[i - 1] < all[i] end
T.ok(#all > #names and sorted, "fs.list without a pattern lists every name, sorted")
local lnone, lmsg = dcx.fs.list("/nonexistent")
T.ok(lnone == nil and lmsg:find("cannot list", 1, true), "a missing folder: nil, message")

-- dcx.stats.accumulator (values from R: tests/reference/accumulator.R)
local xs = {3.2, 1.5, 8.75, 2.25, 4, 10.5, 0.125}
local ws = {1, 3, 2, 1, 5, 1, 2}
local acc = dcx.stats.accumulator()
for _, x in ipairs(xs) do acc:add(x) end
local ar = acc:result()
T.ok(ar.n == 7 and ar.min == 0.125 and ar.max == 10.5 and ar.sum_weights == 7, "accumulator: n, min, max")
T.near(ar.mean, 4.3321428571428573, 1e-15, "accumulator mean (R mean(x))")
T.near(ar.sd, 3.8515882623739963, 1e-14, "accumulator sd, divisor n - 1 (R sd(x))")
local a1, a2 = dcx.stats.accumulator(), dcx.stats.accumulator()
for i, x in ipairs(xs) do (i <= 3 and a1 or a2):add(x, ws[i]) end
local wr = a1:merge(a2):result()
T.near(wr.mean, 3.8799999999999999, 1e-15, "weighted mean, merged from two (R mean(rep(x, w)))")
T.near(wr.sd, 3.1582403554601641, 1e-14, "weighted sd: frequency weights (R sd(rep(x, w)))")
T.ok(wr.n == 7 and wr.sum_weights == 15, "n counts observations, sum_weights the weights")
local big = dcx.stats.accumulator()
for _, d in ipairs({0.25, 1.5, -0.75, 2, 0.5, -1.25, 3}) do big:add(1e9 + d) end
T.near(big:result().sd, 1.5138251770487459, 1e-9, "values near 1e9 keep their digits (R sd: 1.5138)")
local empty = dcx.stats.accumulator():result()
T.ok(empty.n == 0 and empty.mean == dcx.null and empty.sd == dcx.null and empty.min == dcx.null,
     "an empty accumulator: n = 0, the rest null")
T.raises(function() dcx.stats.accumulator():add(1, -1) end, "a weight is a finite number >= 0", "a negative weight")
T.raises(function() dcx.stats.accumulator():add(0 / 0) end, "a finite number", "nan is not a value")

-- dcx.analyze{rows = ...}: unit rows from memory equal the same rows read from a file
local derived, path = {}, os.tmpname()
local dw = assert(dcx.csv.writer(path, {"variant", "device", "rps", "converted"}))
for row in dcx.csv.rows(units) do
  local s = tonumber(row.sessions)
  local r = {variant = row.variant, device = row.device, converted = row.converted,
             rps = s > 0 and row.revenue ~= "" and string.format("%.15g", tonumber(row.revenue) / s) or dcx.null}
  derived[#derived + 1] = r
  dw:write(r)
end
assert(dw:close())
local opts = {metric = {"rps:mean", "converted:binary"}, segment = {"device"}, cap = {"rps=p99"}}
local from_file = assert(dcx.analyze{input = path, metric = opts.metric, segment = opts.segment, cap = opts.cap})
local from_rows = assert(dcx.analyze{rows = derived, metric = opts.metric, segment = opts.segment, cap = opts.cap})
from_file.settings, from_rows.settings = nil, nil
local okr, wherer = same(from_rows, from_file)
T.ok(okr, "dcx.analyze{rows = list of row tables} equals the analysis of the same rows in a CSV file (a percentile cap too)", wherer)
local colsr = assert(dcx.csv.columns(path, {"rps", "converted"}))
colsr.variant, colsr.device = {}, {}
for row in dcx.csv.rows(path) do
  colsr.variant[#colsr.variant + 1] = row.variant
  colsr.device[#colsr.device + 1] = row.device
end
local from_cols = assert(dcx.analyze{rows = colsr, metric = opts.metric, segment = opts.segment, cap = opts.cap})
from_cols.settings = nil
okr, wherer = same(from_cols, from_file)
T.ok(okr, "and so does a table of column lists (dcx.csv.columns, missing values as dcx.null)", wherer)
os.remove(path)
local rbad, rmsg = dcx.analyze{rows = {{variant = "a", x = 1}, {variant = "b", x = "zz"}}, metric = {"x:mean"}}
T.ok(rbad == nil and rmsg == "rows:2: column 'x': 'zz' is not a number", "bad data in rows: nil, 'rows:ROW: ...'", rmsg)
T.raises(function() dcx.analyze{rows = {{variant = "a", x = {}}}, metric = {"x:mean"}} end,
         "rows: row 1, column 'x': a table is not a value", "a table as a cell raises")
T.raises(function() dcx.analyze{rows = {variant = {"a", "b"}, x = {1}}, metric = {"x:mean"}} end,
         "values and column", "columns of different lengths raise")
T.raises(function() dcx.analyze{rows = {}, metric = {"x:mean"}} end, "rows: no rows", "no rows raises")
T.raises(function() dcx.analyze{rows = derived, input = units, metric = {"rps:mean"}} end,
         "give the units one way: rows (in memory), input or summary", "rows and input together raise")
-- where = ... skips rows in memory as it skips the lines of a file
local grows = {}
for r in dcx.csv.rows(ex("checkout_guardrails.csv")) do grows[#grows + 1] = r end
local wm = assert(dcx.analyze{rows = grows, metric = {"converted:binary"}, where = "device=mobile"})
local wf = assert(dcx.analyze{input = ex("checkout_guardrails.csv"), metric = {"converted:binary"}, where = "device=mobile"})
local wall = assert(dcx.analyze{rows = grows, metric = {"converted:binary"}})
T.ok(wm.results[1].control.n == wf.results[1].control.n and wm.results[1].p_value == wf.results[1].p_value
     and wm.results[1].control.n < wall.results[1].control.n,
     "where = 'device=mobile' over rows in memory keeps the rows it keeps in the file",
     wm.results[1].control.n .. " vs " .. wf.results[1].control.n)
-- one name, two options: rows as text is --rows flagged|overall|all, as a table unit rows
local rtext = assert(dcx.analyze{input = units, metric = {"converted:binary"}, rows = "all"})
T.is(rtext.settings.rows, "all", "rows = 'all' is the view's --rows")
local rtab = assert(dcx.analyze{rows = derived, metric = {"rps:mean"}})
T.is(rtab.settings.rows, "flagged", "rows = TABLE is unit rows, and leaves the view's --rows at its default")
T.raises(function() dcx.analyze{input = units, metric = {"converted:binary"}, rows = "some"} end,
         "option 'rows': 'some' is not one of flagged, overall, all", "rows as text is checked as --rows is")

-- errors: misuse raises with the script's line; expected failures return nil, message
T.raises(function() dcx.power{baseline = "x"} end, "api.lua:", "misuse raises with file:line")
T.raises(function() dcx.power{nonsense = 1} end, "unknown option 'nonsense'", "unknown option raises")
T.raises(function() dcx.analyze{input = units, metric = "converted:weird"} end, "unknown type", "bad metric type raises")
local none, err = dcx.analyze{input = "/nonexistent.csv", metric = {"x"}}
T.ok(none == nil and err:find("cannot open", 1, true), "missing file: nil, message")
local none2, err2 = dcx.csv.open("/nonexistent.csv")
T.ok(none2 == nil and err2:find("cannot open", 1, true), "csv.open of a missing file: nil, message")
local bad = os.tmpname()
fh = io.open(bad, "w"); fh:write("variant,x\ncontrol,1\ncontrol,\"oops\n"); fh:close()
T.raises(function() for _ in dcx.csv.rows(bad) do end end, ":3: malformed CSV", "csv iteration error names the line")
os.remove(bad)
local gated, why = dcx.srm{counts = {5200, 4800}, fail_on_srm = true}
T.ok(gated and gated.mismatch == true and why:find("mismatch", 1, true), "a tripped gate: result and message")

-- the plot option of a command draws, from Lua as from the command line (it was once
-- accepted and silently dropped); plot and report take a result table
if os.execute("command -v gnuplot >/dev/null 2>&1") then
  local png = os.tmpname() .. ".png"
  local r = dcx.power{baseline = 0.1, mde = 0.02, plot = png}
  local fp = io.open(png, "rb")
  T.ok(r and fp and fp:read(4) == "\137PNG", "dcx.power{plot = FILE} draws the power curve")
  if fp then fp:close() end
  os.remove(png)
  local a = dcx.analyze{input = ex("checkout_test.csv"), metric = {"converted:binary"}}
  local svg = os.tmpname() .. ".svg"
  T.ok(dcx.plot{kind = "forest", result = a, output = svg} == true, "dcx.plot of a result table")
  fp = io.open(svg, "r")
  T.ok(fp and fp:read("a"):find("<svg", 1, true), "and the SVG is there")
  if fp then fp:close() end
  os.remove(svg)
  T.raises(function() dcx.plot{kind = "forest", result = a, input = "x.json", output = svg} end,
           "not both", "a result given twice is a usage error")
else
  for _ = 1, 4 do T.ok(true, "# SKIP gnuplot not installed") end
end
T.done()
