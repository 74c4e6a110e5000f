-- tap.lua — TAP for dcx's Lua tests: ok, is (exact), near (relative), raises, done.
local T = {n = 0, failed = 0}
function T.ok(cond, name, diag)
  T.n = T.n + 1
  if not cond then T.failed = T.failed + 1 end
  print((cond and "ok " or "not ok ") .. T.n .. " - " .. name)
  if not cond and diag then print("#   " .. tostring(diag)) end
  return cond
end
function T.is(got, want, name) return T.ok(got == want, name, "got " .. tostring(got) .. ", want " .. tostring(want)) end
function T.near(got, want, tol, name)
  local pass = type(got) == "number" and math.abs(got - want) <= tol * math.abs(want)
  return T.ok(pass, name, "got " .. tostring(got) .. ", want " .. tostring(want))
end
function T.raises(f, pattern, name)
  local okcall, err = pcall(f)
  return T.ok(not okcall and tostring(err):find(pattern, 1, true) ~= nil, name, tostring(err))
end
function T.done() print("1.." .. T.n); os.exit(T.failed == 0 and 0 or 1) end
return T
