#!/bin/sh
# Runs tests/lua/api.lua under `dcx run` (TAP).
: "${DCX:=build/dcx}"
: "${DCX_ROOT:=.}"
cd "$DCX_ROOT" && exec "$DCX" run tests/lua/api.lua
