-- same_result.lua — do two `dcx analyze --format json` documents say the same? Every
-- result, SRM check, segment SRM check, heterogeneity test and decision is compared:
-- numbers to a relative 1e-9, everything else exactly. Left out: what a summary cannot
-- know or says differently by design (each arm's `missing`, notes, warnings, settings).
--   dcx run tests/cli/same_result.lua WANT.json GOT.json
-- exits 0 when they agree, else prints the first difference and exits 1.
local skip = {missing = true, note = true, warnings = true, settings = true, dcx_version = true}

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  local doc, msg = dcx.json.decode(text)
  if doc == nil then
    io.stderr:write(path .. ": " .. msg .. "\n")
    os.exit(2)
  end
  return doc
end

local function differ(a, b, where)
  if type(a) == "number" and type(b) == "number" then
    local scale = math.max(math.abs(a), math.abs(b))
    if math.abs(a - b) > 1e-9 * scale + 1e-15 then
      return string.format("%s: %.17g against %.17g", where, a, b)
    end
    return nil
  end
  if type(a) ~= type(b) then
    return string.format("%s: %s against %s", where, tostring(a), tostring(b))
  end
  if type(a) ~= "table" then
    if a ~= b then
      return string.format("%s: %s against %s", where, tostring(a), tostring(b))
    end
    return nil
  end
  for k, v in pairs(a) do
    if not skip[k] then
      local d = differ(v, b[k] == nil and dcx.json.null or b[k], where .. "." .. tostring(k))
      if d then return d end
    end
  end
  for k, _ in pairs(b) do
    if not skip[k] and a[k] == nil then
      return where .. "." .. tostring(k) .. ": only in the second"
    end
  end
  return nil
end

local d = differ(read(arg[1]), read(arg[2]), "$")
if d then
  print(d)
  os.exit(1)
end
