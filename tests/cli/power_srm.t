#!/bin/sh
# dcx power and dcx srm: values from R (see each comment), formats, usage errors.
. "$(dirname "$0")/tap.sh"

# R: power.prop.test(p1=.1, p2=.12, power=.8)$n = 3840.847 -> 3841 per variant
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --format json
t_has '"n_per_variant": 3841,' "binary n per variant = ceiling(3840.847)"
t_has '"n_total": 7682,' "binary n total"
t_has '"mde_relative": 0.2,' "relative MDE reported without float noise (0.2, not 0.19999999999999998)"
# same design given relative MDE
t_run 0 "$DCX" power --baseline 0.1 --mde 0.2 --relative --format json
t_has '"n_per_variant": 3841,' "relative MDE 20% of 0.1 gives the same n"
# R: power.t.test(delta=2, sd=20, power=.8)$n = 1570.737 -> 1571
t_run 0 "$DCX" power --mean 50 --sd 20 --mde 2 --format json
t_has '"n_per_variant": 1571,' "mean n per variant = ceiling(1570.737)"
t_has '"mde_relative": 0.04,' "relative MDE against --mean"
# R: power.prop.test(p1=.1, sig.level=.05, power=.8, n=5000)$p2 = 0.1174399148097978
t_run 0 "$DCX" power --baseline 0.1 --n 5000 --format json
t_has '"mde": 0.01743991480979' "MDE solved for n = 5000 (R p2 - p1)"
# R: power.prop.test(p1=.1, p2=.12, n=3000)$power = 0.6970453004045685
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --n 3000 --format json
t_has '"power": 0.69704530040' "power solved for n = 3000"
# days: 7682 units at 500/day -> 16 days
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --daily-units 500 --format json
t_has '"days": 16,' "days = ceiling(n_total / daily units)"
# 3 variants: alpha 0.05/2 per comparison; R power.prop.test(p1=.1,p2=.12,sig.level=.025,power=.8)$n = 4651.418
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --variants 3 --format csv
t_has 'n_per_variant,n_total,' "csv header"
t_has '4652,13956,' "3 variants: n per variant and total"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --format markdown
t_has '| n_per_variant (each arm) | 3841 |' "markdown table"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --format table
t_has 'n_per_variant (each arm)  3841' "aligned table"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.02 --ratio 0.75 --format table
t_has 'n_per_variant (control arm)       4461' "unequal arms: the table says n_per_variant is the control arm"
t_has 'n_treatment (each treatment arm)  3346' "and n_treatment each treatment arm"

# usage errors exit 2 and say what is wrong
t_run 2 "$DCX" power --mde 0.02
t_err "missing --baseline" "missing baseline is named"
t_run 2 "$DCX" power --baseline 0.1 --mde abc
t_err "'abc' is not a number" "bad number is named"
t_run 2 "$DCX" power --baseline 1.5 --mde 0.02
t_err "baseline rate must be in (0, 1)" "baseline out of range"
t_run 2 "$DCX" power --baseline 0.1 --mde 0.02 --frobnicate
t_err "unknown option '--frobnicate'" "unknown flag"
t_run 2 "$DCX" power --baseline
t_err "needs a value" "flag without its value"
t_run 2 "$DCX" power --baseline 0.1 --mde 0.02 --format yaml
t_err "one of table, json, csv, markdown" "bad format lists the choices"
t_run 1 "$DCX" power --baseline 0.5 --n 10 --power 0.99
t_err "reaches power" "unreachable power is a failed computation (exit 1)"

# --power with both --n and --mde: one of them too many (the power used to be ignored silently)
t_run 2 "$DCX" power --baseline 0.1 --n 5000 --mde 0.01 --power 0.9
t_err "give two of --mde, --n and --power" "all three of --mde, --n, --power: usage error"
t_ok "[ ! -s '$OUT' ]" "and no result"

# sequential power and a running test, against gbstats' mid-experiment power (re-implemented
# in tests/reference/gbstats_power.py)
t_ok "python3 '$DCX_ROOT/tests/cli/power_check.py' '$DCX' >'$T_DIR/pc.out' 2>&1 || { cat '$T_DIR/pc.out' >&2; false; }" \
    "power --sequential --current-n: power_now, n and additional units equal gbstats' (6 cases)"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.01 --format json
cp "$OUT" "$T_DIR/fixed.json"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.01 --sequential --format json
t_ok "python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); s=json.load(open(sys.argv[2])); sys.exit(0 if s[\"n_per_variant\"] > 1.5 * f[\"n_per_variant\"] and s[\"sequential\"] is True and s[\"tuning\"] == 5000 else 1)' '$T_DIR/fixed.json' '$OUT'" \
    "peeking safely costs units: the sequential test needs far more than the fixed-horizon one"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.01 --current-n 100000 --format json
t_has '"additional_n_per_variant": 0' "a test already past its planned size needs no more units"
t_run 2 "$DCX" power --baseline 0.1 --mde 0.01 --current-n 0
t_err "--current-n must be >= 1" "--current-n 0: usage error"
# --config: the design's shares (onboarding: control 0.3, short 0.3, guided 0.4 -> 3 variants,
# the smallest treatment share over the control's = 1)
t_run 0 "$DCX" power --baseline 0.1 --mde 0.01 --config "$DCX_ROOT/examples/experiments/onboarding.json" --format json
t_has '"variants": 3,' "config: three variants"
t_has '"ratio": 1,' "config: ratio from the shares"
printf '{"key": "k", "variants": [{"name": "control", "weight": 0.2}, {"name": "b", "weight": 0.8}]}' >"$T_DIR/uneq.json"
t_run 0 "$DCX" power --baseline 0.1 --mde 0.01 --config "$T_DIR/uneq.json" --format json
t_has '"ratio": 4,' "config 20/80: ratio 4"
t_run 1 "$DCX" power --baseline 0.1 --mde 0.01 --config "$T_DIR/nosuch.json"
t_err "nosuch.json" "a missing config is named"

# R: chisq.test(c(5012, 4988)) X-squared = 0.0576, p = 0.8103 ; exact values from R 4.2.2
t_run 0 "$DCX" srm --counts 5012,4988 --format json
t_has '"chi2": 0.0576,' "srm chi2"
t_has '"p_value": 0.81033' "srm p-value (R 0.81033...)"
t_has '"mismatch": false' "no mismatch"
# R: chisq.test(c(5200, 4800))$p.value = 6.334248e-05
t_run 0 "$DCX" srm --counts 5200,4800 --variants control,treatment --format json
t_has '"mismatch": true' "mismatch at p < 0.001"
t_has '"p_value": 6.33424836662' "srm p-value 6.334248e-05 (R)"
t_run 4 "$DCX" srm --counts 5200,4800 --fail-on-srm --format json
t_err "sample ratio mismatch" "gate trips with exit 4"
t_has '"mismatch": true' "gate still prints the result"
# R: chisq.test(c(900, 2100), p=c(0.3, 0.7)) X-squared = 0, p = 1
t_run 0 "$DCX" srm --counts 900,2100 --weights 0.3,0.7 --variants control,treatment --format csv
t_has '900,2100,900,2100,0,1,1,false' "weighted srm exact fit"
t_run 2 "$DCX" srm --counts 900,2100 --weights 0.3,0.6 --variants a,b
t_err "weights sum to 0.9" "weights must sum to 1"
t_run 2 "$DCX" srm --counts 900
t_err "at least two counts" "one count is not enough"
t_run 2 "$DCX" srm --counts 900,-3
t_err "not a whole number" "negative count"

# the binary itself
t_run 0 "$DCX" --version
t_has "dcx 0.1.0" "--version prints dcx X.Y.Z"
t_run 0 "$DCX" help power
t_has "usage: dcx power" "help COMMAND prints usage"
t_run 0 "$DCX" srm --help
t_has "--counts" "COMMAND --help lists options"
t_run 2 "$DCX" frobnicate
t_err "'frobnicate' is not a dcx command" "unknown command is exit 2"
t_run 2 "$DCX"
t_ok "! [ -s '$OUT' ]" "no command: usage to stderr only"
t_done
