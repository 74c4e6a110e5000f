# accumulator.R — reference values for dcx.stats.accumulator() (tests/lua/api.lua), computed
# with R. Run from the project root: Rscript tests/reference/accumulator.R
# Weights are frequency weights: the accumulator of x with weights w equals the plain one of
# rep(x, w), so R's mean() and sd() (divisor n - 1) over rep(x, w) are the references.
options(digits = 17)
p <- function(label, v) cat(label, sprintf("%.17g", v), "\n")
x <- c(3.2, 1.5, 8.75, 2.25, 4, 10.5, 0.125)
p("plain mean", mean(x)); p("plain sd", sd(x))
w <- c(1, 3, 2, 1, 5, 1, 2)
xw <- rep(x, w)
p("weighted mean", mean(xw)); p("weighted sd", sd(xw)); p("sum of weights", sum(w))
# values near 1e9 with a unit spread: the shifted sums keep their digits
big <- 1e9 + c(0.25, 1.5, -0.75, 2, 0.5, -1.25, 3)
p("near 1e9 mean", mean(big)); p("near 1e9 sd", sd(big))
