# analysis.R — reference values for `dcx analyze` on the example data, from R.
#   Rscript tests/reference/analysis.R > tests/reference/analysis.tsv   (project root)
# Row: case <TAB> dcx arguments <TAB> selector <TAB> field <TAB> expected <TAB> how.
# Selectors: results|metric|segment|value|variant, srm, srm_segments|segment|value,
# heterogeneity|metric|variant|segment, timeline|period|metric|variant.
options(digits = 17, warn = 1)
g <- function(x) if (is.character(x)) x else sprintf("%.17g", x)
cur <- NULL
out <- function(sel, field, value, how) cat(paste(cur$id, cur$args, sel, field, g(value), how, sep = "\t"), "\n", sep = "")
# the fixed-horizon lift intervals below are the delta method's (--lift-interval delta); the
# default, Fieller's interval, is checked in the LF cases at the end
case <- function(id, args, delta = TRUE) cur <<- list(id = id, args = if (delta) paste(args, "--lift-interval delta") else args)
z <- function(a) qnorm(1 - a / 2)
# lift = diff / |m_c|, delta-method SE; the interval uses the critical value of its row's
# diff interval: q = z for proportions, ratios and NPS, the Welch t quantile for means
lift_ci <- function(mt, vt, nt, mc, vc, nc, a = 0.05, q = z(a)) {
  l <- (mt - mc) / abs(mc); se <- sqrt(vt / (nt * mc^2) + mt^2 * vc / (nc * mc^4))
  c(l, l - q * se, l + q * se, se)
}
# the mSPRT of docs/methods.md: p-value and the half-width of the confidence sequence for an
# estimate with variance v, units n, tuning N* (tau2 = rho2 n v)
msprt <- function(diff, v, n, a = 0.05, nstar = 5000) {
  l <- -2 * log(a); tau2 <- (l + log(l + 1)) / nstar * n * v
  lam <- sqrt(v / (v + tau2)) * exp(tau2 * diff^2 / (2 * v * (v + tau2)))
  c(min(1, 1 / lam), sqrt(v * (v + tau2) / tau2 * (-2 * log(a) + log((v + tau2) / v))))
}
ck <- read.csv("examples/checkout_test.csv", stringsAsFactors = FALSE)
rv <- read.csv("examples/revenue_test.csv", stringsAsFactors = FALSE)
np <- read.csv("examples/nps_survey.csv", stringsAsFactors = FALSE)

binary_rows <- function(d, metric, seg, lev, tr = "treatment", ctl = "control", a = 0.05) {
  t <- d[d$variant == tr, metric]; cc <- d[d$variant == ctl, metric]
  pt <- prop.test(c(sum(t), sum(cc)), c(length(t), length(cc)), correct = FALSE, conf.level = 1 - a)
  sel <- paste("results", metric, seg, lev, tr, sep = "|")
  how <- sprintf("prop.test(c(%d,%d), c(%d,%d), correct=FALSE)", sum(t), sum(cc), length(t), length(cc))
  out(sel, "p_value", pt$p.value, how)
  out(sel, "diff_ci.0", pt$conf.int[1], how); out(sel, "diff_ci.1", pt$conf.int[2], how)
  out(sel, "diff", mean(t) - mean(cc), "mean(t) - mean(c)")
  out(sel, "control.n", length(cc), "length"); out(sel, "treatment.n", length(t), "length")
  out(sel, "treatment.mean", mean(t), "mean")
  out(sel, "treatment.sd", sqrt(mean(t) * (1 - mean(t))), "sqrt(p(1-p))")
  l <- lift_ci(mean(t), mean(t) * (1 - mean(t)), length(t), mean(cc), mean(cc) * (1 - mean(cc)), length(cc), a)
  out(sel, "lift", l[1], "delta method"); out(sel, "lift_ci.0", l[2], "delta method"); out(sel, "lift_ci.1", l[3], "delta method")
  pt$p.value
}
mean_rows <- function(d, metric, seg, lev, tr = "treatment", ctl = "control", a = 0.05) {
  t <- d[d$variant == tr, metric]; cc <- d[d$variant == ctl, metric]
  mt <- sum(is.na(t)); mc <- sum(is.na(cc)); t <- t[!is.na(t)]; cc <- cc[!is.na(cc)]
  r <- t.test(t, cc, conf.level = 1 - a)
  sel <- paste("results", metric, seg, lev, tr, sep = "|")
  out(sel, "p_value", r$p.value, "t.test(y_t, y_c)")
  out(sel, "statistic", r$statistic, "t.test(y_t, y_c)$statistic")
  out(sel, "diff_ci.0", r$conf.int[1], "t.test"); out(sel, "diff_ci.1", r$conf.int[2], "t.test")
  out(sel, "treatment.missing", mt, "sum(is.na)"); out(sel, "control.missing", mc, "sum(is.na)")
  out(sel, "control.sd", sd(cc), "sd")
  l <- lift_ci(mean(t), var(t), length(t), mean(cc), var(cc), length(cc), a, qt(1 - a / 2, r$parameter))
  out(sel, "lift", l[1], "delta method"); out(sel, "lift_ci.0", l[2], "delta method, Welch t quantile"); out(sel, "lift_ci.1", l[3], "delta method, Welch t quantile")
  c(p = r$p.value, diff = mean(t) - mean(cc), se = sqrt(var(t) / length(t) + var(cc) / length(cc)))
}
srm_rows <- function(d, sel, p = NULL) {
  counts <- table(factor(d$variant, levels = sort(unique(c(ck$variant, d$variant)))))
  r <- if (is.null(p)) chisq.test(counts) else chisq.test(counts, p = p)
  out(sel, "chi2", r$statistic, "chisq.test(table(variant))")
  out(sel, "p_value", r$p.value, "chisq.test(table(variant))")
}
cochran <- function(est, se) { w <- 1 / se^2; q <- sum(w * (est - sum(w * est) / sum(w))^2); c(q, pchisq(q, length(est) - 1, lower.tail = FALSE)) }

# ---- A: binary + mean, device segments, Holm within each family ----------------------------
# Families: the secondary metrics' overall rows (no --goal: both are secondary), and for each
# metric the device levels (segment:device), so the overall rows never depend on the slicing.
case("A", "--input examples/checkout_test.csv --metric converted:binary --metric revenue:mean --segment device --correction holm")
ps <- c(); sel <- c()
levels_dev <- sort(unique(ck$device))
ps <- c(ps, binary_rows(ck, "converted", "all", "all")); sel <- c(sel, "results|converted|all|all|treatment")
bin <- sapply(levels_dev, function(l) { d <- ck[ck$device == l, ]; binary_rows(d, "converted", "device", l) })
ps <- c(ps, bin); sel <- c(sel, paste0("results|converted|device|", levels_dev, "|treatment"))
r0 <- mean_rows(ck, "revenue", "all", "all"); ps <- c(ps, r0["p"]); sel <- c(sel, "results|revenue|all|all|treatment")
mr <- sapply(levels_dev, function(l) mean_rows(ck[ck$device == l, ], "revenue", "device", l))
ps <- c(ps, mr["p", ]); sel <- c(sel, paste0("results|revenue|device|", levels_dev, "|treatment"))
fam <- list(c(1, 5), 2:4, 6:8)   # secondary; segment:device of converted; of revenue
famname <- c("p.adjust(secondary family of 2, 'holm')", "p.adjust(segment:device family of converted, 'holm')",
             "p.adjust(segment:device family of revenue, 'holm')")
for (f in seq_along(fam)) { adj <- p.adjust(ps[fam[[f]]], "holm")
  for (i in seq_along(adj)) out(sel[fam[[f]][i]], "p_adjusted", adj[i], famname[f]) }
out("results|converted|all|all|treatment", "family", "secondary", "no --goal")
out("results|converted|device|mobile|treatment", "family", "segment:device", "a segment level's family")
srm_rows(ck, "srm")
for (l in levels_dev) srm_rows(ck[ck$device == l, ], paste("srm_segments", "device", l, sep = "|"))
# heterogeneity of conversion over device levels: unpooled SE
est <- c(); se <- c()
for (l in levels_dev) { d <- ck[ck$device == l, ]; t <- d$converted[d$variant == "treatment"]; cc <- d$converted[d$variant == "control"]
  est <- c(est, mean(t) - mean(cc)); se <- c(se, sqrt(mean(t) * (1 - mean(t)) / length(t) + mean(cc) * (1 - mean(cc)) / length(cc))) }
q <- cochran(est, se)
out("heterogeneity|converted|treatment|device", "q", q[1], "Cochran Q, w = 1/se^2 (unpooled)")
out("heterogeneity|converted|treatment|device", "p_value", q[2], "pchisq(Q, 2, lower.tail=FALSE)")
q <- cochran(mr["diff", ], mr["se", ])
out("heterogeneity|revenue|treatment|device", "q", q[1], "Cochran Q, Welch SE")
out("heterogeneity|revenue|treatment|device", "p_value", q[2], "pchisq")

# ---- B: ratio metric (delta method), country segments --------------------------------------
case("B", "--input examples/checkout_test.csv --metric ppv:ratio=pageviews/sessions --segment country")
ratio_row <- function(d, seg, lev) {
  arm <- function(v) { x <- d$pageviews[d$variant == v]; y <- d$sessions[d$variant == v]; n <- length(x)
    r <- mean(x) / mean(y); c(r, (var(x) - 2 * r * cov(x, y) + r^2 * var(y)) / (n * mean(y)^2), n) }
  a <- arm("treatment"); b <- arm("control"); diff <- a[1] - b[1]; se <- sqrt(a[2] + b[2])
  sel <- paste("results", "ppv", seg, lev, "treatment", sep = "|")
  out(sel, "treatment.mean", a[1], "sum(pageviews)/sum(sessions)")
  out(sel, "diff", diff, "r_t - r_c")
  out(sel, "p_value", 2 * pnorm(-abs(diff / se)), "z test, delta-method variance per arm")
  out(sel, "diff_ci.0", diff - z(0.05) * se, "delta method"); out(sel, "diff_ci.1", diff + z(0.05) * se, "delta method")
  l <- lift_ci(a[1], a[2] * a[3], a[3], b[1], b[2] * b[3], b[3])
  out(sel, "lift_ci.0", l[2], "delta method on ratio arms")
}
ratio_row(ck, "all", "all")
for (l in sort(unique(ck$country))) { d0 <- ck; ck <- ck[ck$country == l, ]; ratio_row(ck, "country", l); ck <- d0 }

# ---- C: NPS, three variants, BH over the family ----------------------------------------------
case("C", "--input examples/nps_survey.csv --metric nps:nps --segment channel --correction bh")
ps <- c(); sel <- c()
nps_row <- function(d, seg, lev, tr) {
  arm <- function(v) { s <- d$nps[d$variant == v]; n <- length(s); pp <- mean(s >= 9); pd <- mean(s <= 6)
    c(100 * (pp - pd), 100 * sqrt((pp + pd - (pp - pd)^2) / n)) }
  a <- arm(tr); b <- arm("control"); diff <- a[1] - b[1]; se <- sqrt(a[2]^2 + b[2]^2)
  s <- paste("results", "nps", seg, lev, tr, sep = "|")
  p <- 2 * pnorm(-abs(diff / se))
  out(s, "treatment.mean", a[1], "100 (promoters - detractors) / n")
  out(s, "diff", diff, "NPS_t - NPS_c"); out(s, "p_value", p, "z test, SE = 100 sqrt((pP + pD - (pP - pD)^2)/n)")
  out(s, "diff_ci.1", diff + z(0.05) * se, "z interval")
  sel <<- c(sel, s); ps <<- c(ps, p)
}
for (tr in c("chat_support", "new_onboarding")) nps_row(np, "all", "all", tr)
for (l in sort(unique(np$channel))) for (tr in c("chat_support", "new_onboarding")) nps_row(np[np$channel == l, ], "channel", l, tr)
for (f in list(1:2, 3:8)) { adj <- p.adjust(ps[f], "BH")
  for (i in seq_along(adj)) out(sel[f[i]], "p_adjusted", adj[i],
                                if (length(f) == 2) "p.adjust(secondary family of 2, 'BH')" else "p.adjust(segment:channel family of 6, 'BH')") }
counts <- table(np$variant); r <- chisq.test(counts)
out("srm", "chi2", r$statistic, "chisq.test(table(variant)), 3 variants")

# ---- D: CUPED ------------------------------------------------------------------------------------
case("D", "--input examples/revenue_test.csv --metric revenue:mean --cuped revenue=pre_revenue")
theta <- cov(rv$revenue, rv$pre_revenue) / var(rv$pre_revenue)
yadj <- rv$revenue - theta * (rv$pre_revenue - mean(rv$pre_revenue))
r <- t.test(yadj[rv$variant == "treatment"], yadj[rv$variant == "control"])
s <- "results|revenue|all|all|treatment"
out(s, "theta", theta, "cov(y,x)/var(x) over both arms")
out(s, "variance_reduction", 1 - var(yadj) / var(rv$revenue), "1 - var(y')/var(y)")
out(s, "p_value", r$p.value, "t.test(y' by arm), y' = y - theta (x - mean(x))")
out(s, "diff_ci.0", r$conf.int[1], "t.test on y'"); out(s, "diff_ci.1", r$conf.int[2], "t.test on y'")
out(s, "treatment.mean", mean(yadj[rv$variant == "treatment"]), "mean(y') treatment")

# ---- E: Bayesian, binary ----------------------------------------------------------------------------
case("E", "--input examples/checkout_test.csv --metric converted:binary --method bayesian")
t <- ck$converted[ck$variant == "treatment"]; cc <- ck$converted[ck$variant == "control"]
at <- 1 + sum(t); bt <- 1 + length(t) - sum(t); ac <- 1 + sum(cc); bc <- 1 + length(cc) - sum(cc)
f <- function(p) dbeta(p, at, bt) * pbeta(p, ac, bc)
pb <- integrate(f, 0, 1, rel.tol = 1e-12, subdivisions = 2000)$value
loss <- integrate(function(u) dbeta(u, at, bt) * (ac / (ac + bc) * pbeta(u, ac + 1, bc, lower.tail = FALSE) - u * pbeta(u, ac, bc, lower.tail = FALSE)), 0, 1, rel.tol = 1e-12, subdivisions = 2000)$value
cdf <- function(d) integrate(function(u) dbeta(u, at, bt) * pbeta(u - d, ac, bc, lower.tail = FALSE), 0, 1, rel.tol = 1e-12, subdivisions = 2000)$value
lo <- uniroot(function(d) cdf(d) - 0.025, c(-0.05, 0.05), tol = 1e-13)$root
hi <- uniroot(function(d) cdf(d) - 0.975, c(-0.05, 0.05), tol = 1e-13)$root
s <- "results|converted|all|all|treatment"
out(s, "prob_beat_control", pb, "integrate(dbeta(p, 1+x_t, 1+n_t-x_t) * pbeta(p, 1+x_c, 1+n_c-x_c), 0, 1)")
out(s, "expected_loss", loss, "integrate of E[(p_c - u)+] against the treatment posterior")
out(s, "credible_interval.0", lo, "uniroot on P(p_t - p_c <= d) by integrate")
out(s, "credible_interval.1", hi, "uniroot on P(p_t - p_c <= d) by integrate")

# ---- F: Bayesian, mean (normal posterior) ---------------------------------------------------------------
case("F", "--input examples/checkout_test.csv --metric revenue:mean --method bayesian")
t <- ck$revenue[ck$variant == "treatment" & !is.na(ck$revenue)]; cc <- ck$revenue[ck$variant == "control" & !is.na(ck$revenue)]
d <- mean(t) - mean(cc); se <- sqrt(var(t) / length(t) + var(cc) / length(cc))
s <- "results|revenue|all|all|treatment"
out(s, "prob_beat_control", pnorm(d / se), "pnorm(diff/se)")
out(s, "expected_loss", se * dnorm(d / se) - d * pnorm(-d / se), "se dnorm(diff/se) - diff pnorm(-diff/se)")
out(s, "credible_interval.0", d - z(0.05) * se, "diff - z se")

# ---- G: sequential mSPRT, with a daily timeline ----------------------------------------------------------
case("G", "--input examples/checkout_test.csv --metric converted:binary --method sequential --time-column day")
# A row's p-value is the running minimum over the looks, and its interval the running
# intersection of every look's confidence sequence (so the two agree about 0).
days <- sort(unique(ck$day)); run <- 1; lo <- -Inf; hi <- Inf; llo <- -Inf; lhi <- Inf
for (dday in days) {
  d <- ck[ck$day <= dday, ]; t <- d$converted[d$variant == "treatment"]; cc <- d$converted[d$variant == "control"]
  diff <- mean(t) - mean(cc); v <- mean(t) * (1 - mean(t)) / length(t) + mean(cc) * (1 - mean(cc)) / length(cc)
  m <- msprt(diff, v, length(t) + length(cc)); run <- min(run, m[1])
  lo <- max(lo, diff - m[2]); hi <- min(hi, diff + m[2])
  l <- lift_ci(mean(t), mean(t) * (1 - mean(t)), length(t), mean(cc), mean(cc) * (1 - mean(cc)), length(cc))
  ml <- msprt(l[1], l[4]^2, length(t) + length(cc)); llo <- max(llo, l[1] - ml[2]); lhi <- min(lhi, l[1] + ml[2])
  s <- paste("timeline", dday, "converted", "treatment", sep = "|")
  out(s, "p_value", run, "running min over days of min(1, 1/Lambda), tau2 = rho2 n V, N* = 5000")
  out(s, "n_treatment", length(t), "cumulative units")
  out(s, "diff_ci.0", lo, "running intersection: max over looks of diff - half-width")
  out(s, "diff_ci.1", hi, "running intersection: min over looks of diff + half-width")
}
out("results|converted|all|all|treatment", "p_value", run, "running minimum over the timeline")
out("results|converted|all|all|treatment", "diff_ci.0", lo, "max over looks of diff - sqrt(V(V+tau2)/tau2 (-2 ln a + ln((V+tau2)/V)))")
out("results|converted|all|all|treatment", "diff_ci.1", hi, "min over looks of diff + sqrt(V(V+tau2)/tau2 (-2 ln a + ln((V+tau2)/V)))")
out("results|converted|all|all|treatment", "lift_ci.0", llo, "running intersection of the lift's confidence sequences")
out("results|converted|all|all|treatment", "lift_ci.1", lhi, "running intersection of the lift's confidence sequences")
out("results|converted|all|all|treatment", "significant", if (run < 0.05) "true" else "false", "running-minimum p < alpha")

# ---- H: Fisher exact per country ---------------------------------------------------------------------------
case("H", "--input examples/checkout_test.csv --metric converted:binary --segment country --test fisher")
for (l in c("all", sort(unique(ck$country)))) {
  d <- if (l == "all") ck else ck[ck$country == l, ]
  t <- d$converted[d$variant == "treatment"]; cc <- d$converted[d$variant == "control"]
  m <- matrix(c(sum(t), length(t) - sum(t), sum(cc), length(cc) - sum(cc)), 2, byrow = TRUE)
  out(paste("results", "converted", ifelse(l == "all", "all", "country"), l, "treatment", sep = "|"), "p_value",
      fisher.test(m)$p.value, "fisher.test(matrix(c(x_t, n_t-x_t, x_c, n_c-x_c), 2, byrow=TRUE))")
}

# ---- I: Mann-Whitney per plan --------------------------------------------------------------------------------
case("I", "--input examples/revenue_test.csv --metric revenue:mean --segment plan --test mann-whitney")
for (l in c("all", sort(unique(rv$plan)))) {
  d <- if (l == "all") rv else rv[rv$plan == l, ]
  r <- wilcox.test(d$revenue[d$variant == "treatment"], d$revenue[d$variant == "control"], exact = FALSE, correct = TRUE)
  s <- paste("results", "revenue", ifelse(l == "all", "all", "plan"), l, "treatment", sep = "|")
  out(s, "p_value", r$p.value, "wilcox.test(y_t, y_c, exact=FALSE, correct=TRUE)")
  out(s, "statistic", r$statistic, "wilcox.test W")
}

# ---- J: unequal designed weights, alpha 0.01, Bonferroni -------------------------------------------------------
case("J", "--input examples/checkout_test.csv --metric converted:binary --metric revenue:mean --weights control=0.45,treatment=0.55 --alpha 0.01 --correction bonferroni")
counts <- table(ck$variant); r <- chisq.test(counts, p = c(0.45, 0.55))
out("srm", "chi2", r$statistic, "chisq.test(table(variant), p=c(.45,.55))")
out("srm", "p_value", r$p.value, "chisq.test(table(variant), p=c(.45,.55))")
p1 <- binary_rows(ck, "converted", "all", "all", a = 0.01)
p2 <- mean_rows(ck, "revenue", "all", "all", a = 0.01)["p"]
out("results|converted|all|all|treatment", "p_adjusted", min(1, 2 * p1), "p.adjust(c(p1,p2), 'bonferroni')")
out("results|revenue|all|all|treatment", "p_adjusted", min(1, 2 * p2), "p.adjust(c(p1,p2), 'bonferroni')")

# ---- K: values near 1e9 with unit spread (numerical stability of the accumulation) ----------------------
set.seed(99)
big <- data.frame(variant = sample(c("control", "treatment"), 4000, replace = TRUE))
big$amount <- 1e9 + runif(4000) + ifelse(big$variant == "treatment", 0.05, 0)
write.csv(transform(big, amount = sprintf("%.6f", amount)), "tests/data/near_1e9.csv", row.names = FALSE, quote = FALSE)
big <- read.csv("tests/data/near_1e9.csv")
case("K", "--input tests/data/near_1e9.csv --metric amount:mean")
t <- big$amount[big$variant == "treatment"]; cc <- big$amount[big$variant == "control"]
r <- t.test(t, cc)
s <- "results|amount|all|all|treatment"
out(s, "p_value", r$p.value, "t.test on values 1e9 + runif")
out(s, "diff", mean(t) - mean(cc), "mean(t) - mean(c)")
out(s, "diff_ci.0", r$conf.int[1], "t.test"); out(s, "diff_ci.1", r$conf.int[2], "t.test")
out(s, "treatment.sd", sd(t), "sd near 1e9")

# ---- L-S: the lift interval under each method (issue: a sequential run printed a fixed-
# horizon lift interval; mean metrics used z; negative baselines flipped the sign) --------
# per-arm summaries of one comparison: estimate, variance of the estimate, units, and the
# unit-level variance for the delta method
arms_binary <- function(t, cc) list(mt = mean(t), vt = mean(t) * (1 - mean(t)), nt = length(t),
                                    mc = mean(cc), vc = mean(cc) * (1 - mean(cc)), nc = length(cc))
arms_mean <- function(t, cc) list(mt = mean(t), vt = var(t), nt = length(t), mc = mean(cc), vc = var(cc), nc = length(cc))
arms_ratio <- function(x, y, v) {
  arm <- function(k) { a <- x[v == k]; b <- y[v == k]; n <- length(a); r <- mean(a) / mean(b)
    c(r, (var(a) - 2 * r * cov(a, b) + r^2 * var(b)) / (n * mean(b)^2) * n, n) }
  a <- arm("treatment"); b <- arm("control")
  list(mt = a[1], vt = a[2], nt = a[3], mc = b[1], vc = b[2], nc = b[3])
}
# rows of one comparison under a method: lift and its interval, and the diff interval
lift_rows <- function(sel, A, method, a = 0.05, nstar = 5000, df = NA) {
  diff <- A$mt - A$mc; v <- A$vt / A$nt + A$vc / A$nc; n <- A$nt + A$nc
  q <- if (is.na(df)) z(a) else qt(1 - a / 2, df)
  l <- lift_ci(A$mt, A$vt, A$nt, A$mc, A$vc, A$nc, a, q)
  out(sel, "lift", l[1], "(m_t - m_c) / |m_c|")
  if (method == "sequential") {
    m <- msprt(diff, v, n, a, nstar); ml <- msprt(l[1], l[4]^2, n, a, nstar)
    how <- sprintf("mSPRT, tau2 = rho2 n V, N* = %g", nstar)
    out(sel, "p_value", m[1], how)
    out(sel, "diff_ci.0", diff - m[2], how); out(sel, "diff_ci.1", diff + m[2], how)
    out(sel, "lift_ci.0", l[1] - ml[2], paste(how, "with V the lift's delta-method variance"))
    out(sel, "lift_ci.1", l[1] + ml[2], paste(how, "with V the lift's delta-method variance"))
  } else {
    how <- if (is.na(df)) "delta method, z" else "delta method, Welch t quantile"
    out(sel, "lift_ci.0", l[2], how); out(sel, "lift_ci.1", l[3], how)
  }
}
welch_df <- function(t, cc) t.test(t, cc)$parameter
ckr <- ck[!is.na(ck$revenue), ]
for (method in c("sequential", "frequentist", "bayesian")) for (nstar in if (method == "sequential") c(5000, 1000) else 5000) {
  id <- paste0(if (method == "sequential") "L" else if (method == "frequentist") "M" else "N", if (nstar == 1000) "2" else "")
  case(id, trimws(paste("--input examples/checkout_test.csv --metric converted:binary --metric revenue:mean",
                        "--metric ppv:ratio=pageviews/sessions --segment device --method", method,
                        if (nstar != 5000) paste("--tuning", nstar) else "")))
  for (l in c("all", "tablet")) {
    d <- if (l == "all") ck else ck[ck$device == l, ]; dr <- if (l == "all") ckr else ckr[ckr$device == l, ]
    seg <- if (l == "all") "all|all" else paste("device", l, sep = "|")
    t <- d$converted[d$variant == "treatment"]; cc <- d$converted[d$variant == "control"]
    lift_rows(paste("results|converted", seg, "treatment", sep = "|"), arms_binary(t, cc), method, nstar = nstar)
    t <- dr$revenue[dr$variant == "treatment"]; cc <- dr$revenue[dr$variant == "control"]
    lift_rows(paste("results|revenue", seg, "treatment", sep = "|"), arms_mean(t, cc), method, nstar = nstar,
              df = if (method == "sequential") NA else welch_df(t, cc))
    lift_rows(paste("results|ppv", seg, "treatment", sep = "|"), arms_ratio(d$pageviews, d$sessions, d$variant),
              method, nstar = nstar)
  }
}
# CUPED and NPS under each method
for (method in c("sequential", "frequentist", "bayesian")) {
  case(paste0("O", substr(method, 1, 1)), paste("--input examples/revenue_test.csv --metric revenue:mean --cuped revenue=pre_revenue --method", method))
  yt <- yadj[rv$variant == "treatment"]; yc <- yadj[rv$variant == "control"]
  lift_rows("results|revenue|all|all|treatment", arms_mean(yt, yc), method, df = if (method == "sequential") NA else welch_df(yt, yc))
  case(paste0("P", substr(method, 1, 1)), paste("--input examples/nps_survey.csv --metric nps:nps --method", method))
  arm <- function(v) { s <- np$nps[np$variant == v]; n <- length(s); pp <- mean(s >= 9); pd <- mean(s <= 6)
    c(100 * (pp - pd), 1e4 * (pp + pd - (pp - pd)^2) / n, n) }
  a <- arm("chat_support"); b <- arm("control"); diff <- a[1] - b[1]; v <- a[2] + b[2]
  s <- "results|nps|all|all|chat_support"
  if (method == "sequential") {
    m <- msprt(diff, v, a[3] + b[3]); out(s, "diff_ci.0", diff - m[2], "mSPRT on the NPS difference"); out(s, "p_value", m[1], "mSPRT")
  } else {
    out(s, "diff_ci.0", diff - z(0.05) * sqrt(v), "z interval")
  }
}
# a negative baseline: -2.0 -> -1.5 is +25%, under every method
set.seed(5)
neg <- data.frame(variant = rep(c("control", "treatment"), each = 400))
neg$delta <- round(ifelse(neg$variant == "control", -2.0, -1.5) + rnorm(800, 0, 0.8), 3)
write.csv(neg, "tests/data/negative_mean.csv", row.names = FALSE, quote = FALSE)
neg <- read.csv("tests/data/negative_mean.csv")
for (method in c("frequentist", "sequential", "bayesian")) {
  case(paste0("Q", substr(method, 1, 1)), paste("--input tests/data/negative_mean.csv --metric delta:mean --method", method))
  t <- neg$delta[neg$variant == "treatment"]; cc <- neg$delta[neg$variant == "control"]
  lift_rows("results|delta|all|all|treatment", arms_mean(t, cc), method, df = if (method == "sequential") NA else welch_df(t, cc))
}
# four units per arm: the mean's diff is not significant, and neither is its lift
tiny <- data.frame(variant = rep(c("control", "treatment"), each = 4), y = c(10, 12, 11, 13, 13, 15, 12, 16))
write.csv(tiny, "tests/data/tiny_mean.csv", row.names = FALSE, quote = FALSE)
case("R", "--input tests/data/tiny_mean.csv --metric y:mean")
t <- tiny$y[tiny$variant == "treatment"]; cc <- tiny$y[tiny$variant == "control"]
out("results|y|all|all|treatment", "p_value", t.test(t, cc)$p.value, "t.test(y_t, y_c)")
lift_rows("results|y|all|all|treatment", arms_mean(t, cc), "frequentist", df = welch_df(t, cc))

# ---- U-Z: decisions (issue: guardrails, one-sided tests, capping, quantile metrics) --------
# The formulas of docs/methods.md written again in R where R has no function of its own: the
# quantile's order-statistic SE (Deng, Knoblich and Lu 2018) and the decision rule.
# The SE describes the data, not the test: the rank window uses z = qnorm(0.975) whatever
# the alpha, and a window that does not fit within 1..n gives no SE (NA), never a clipped one.
qse <- function(x, q) {
  x <- sort(x); n <- length(x); zz <- qnorm(0.975); w <- zz * sqrt(n * q * (1 - q))
  if (n * q - w < 1 || n * q + w > n) return(c(quantile(x, q, type = 7, names = FALSE), NA))
  L <- floor(n * q - w); U <- ceiling(n * q + w)
  c(quantile(x, q, type = 7, names = FALSE), (x[U] - x[L]) / (2 * zz))
}
gd <- read.csv("examples/checkout_guardrails.csv", stringsAsFactors = FALSE)
case("U", "--input examples/checkout_guardrails.csv --metric converted:binary --metric revenue:mean --metric load_ms:quantile=0.9 --goal converted --guardrail revenue=2% --guardrail load_ms=50 --direction load_ms=decrease")
goal_p <- sapply(c("express", "rich"), function(tr) { t <- gd$converted[gd$variant == tr]; cc <- gd$converted[gd$variant == "control"]
  prop.test(c(sum(t), sum(cc)), c(length(t), length(cc)), correct = FALSE)$p.value })
goal_adj <- p.adjust(goal_p, "holm")   # the goal family: converted x 2 treatments, Holm under --correction none
dec_rows <- function(d, tr) {
  # converted: the goal, increase, two-sided; its family (2 treatments) by Holm
  t <- d$converted[d$variant == tr]; cc <- d$converted[d$variant == "control"]
  pt <- prop.test(c(sum(t), sum(cc)), c(length(t), length(cc)), correct = FALSE)
  good <- goal_adj[tr] < 0.05 && mean(t) > mean(cc); bad <- goal_adj[tr] < 0.05 && mean(t) < mean(cc)
  s <- paste("results|converted|all|all", tr, sep = "|")
  out(s, "role", "goal", "--goal converted"); out(s, "p_value", pt$p.value, "prop.test")
  out(s, "family", "goal", "--goal"); out(s, "p_adjusted", goal_adj[tr], "p.adjust(goal family of 2, 'holm'): --correction none")
  # revenue: guardrail, 2% of the control mean, increase is good
  t <- d$revenue[d$variant == tr]; cc <- d$revenue[d$variant == "control"]; D <- 0.02 * abs(mean(cc))
  ni <- t.test(t, cc, mu = -D, alternative = "greater")$p.value
  inf <- t.test(t, cc, mu = -D, alternative = "less")$p.value
  s <- paste("results|revenue|all|all", tr, sep = "|")
  out(s, "role", "guardrail", "--guardrail revenue=2%"); out(s, "margin", D, "0.02 |mean(y_c)|")
  out(s, "ni_p_value", ni, sprintf("t.test(y_t, y_c, mu = -%.6g, alternative = 'greater')", D))
  # load_ms: the 90th percentile, a guardrail of 50 ms where lower is better
  a <- qse(d$load_ms[d$variant == tr], 0.9); b <- qse(d$load_ms[d$variant == "control"], 0.9)
  diff <- a[1] - b[1]; se <- sqrt(a[2]^2 + b[2]^2)
  s <- paste("results|load_ms|all|all", tr, sep = "|")
  out(s, "treatment.quantile", a[1], "quantile(x, 0.9, type = 7)")
  out(s, "control.quantile", b[1], "quantile(x, 0.9, type = 7)")
  out(s, "diff", diff, "q_t - q_c")
  out(s, "diff_ci.0", diff - z(0.05) * se, "z, SE = sqrt(SE_t^2 + SE_c^2), SE = (x(U) - x(L)) / (2z)")
  out(s, "diff_ci.1", diff + z(0.05) * se, "order-statistic SE")
  out(s, "p_value", 2 * pnorm(-abs(diff / se)), "two-sided normal")
  lse <- sqrt(a[2]^2 / b[1]^2 + a[1]^2 * b[2]^2 / b[1]^4)
  out(s, "lift_ci.0", diff / abs(b[1]) - z(0.05) * lse, "delta method with the order-statistic SEs")
  zni <- (-diff + 50) / se
  out(s, "ni_p_value", pnorm(zni, lower.tail = FALSE), "z = (s diff + margin) / SE, s = -1")
  out(s, "direction", "decrease", "--direction load_ms=decrease")
  # the rule
  ok_guards <- ni < 0.05 && pnorm(zni, lower.tail = FALSE) < 0.05
  fail <- inf < 0.05 || pnorm(zni) < 0.05
  decision <- if (bad || fail) "no-ship" else if (good && ok_guards) "ship" else "inconclusive"
  out(paste("decisions", tr, sep = "|"), "decision", decision, "ship: goal up (Holm) and guardrails non-inferior; no-ship: goal down or a guardrail worse than its margin")
}
for (tr in c("express", "rich")) dec_rows(gd, tr)

case("V", "--input examples/checkout_test.csv --metric converted:binary --metric revenue:mean --direction revenue=decrease --one-sided")
t <- ck$converted[ck$variant == "treatment"]; cc <- ck$converted[ck$variant == "control"]
pt <- prop.test(c(sum(t), sum(cc)), c(length(t), length(cc)), correct = FALSE, alternative = "greater")
s <- "results|converted|all|all|treatment"
out(s, "p_value", pt$p.value, "prop.test(..., correct = FALSE, alternative = 'greater')")
out(s, "diff_ci.0", pt$conf.int[1], "prop.test one-sided interval")
out(s, "diff_ci.1", "null", "the open end")
l <- lift_ci(mean(t), mean(t) * (1 - mean(t)), length(t), mean(cc), mean(cc) * (1 - mean(cc)), length(cc), 0.1)
out(s, "lift_ci.0", l[2], "lift - z(0.95) se: one-sided")
t <- ckr$revenue[ckr$variant == "treatment"]; cc <- ckr$revenue[ckr$variant == "control"]
r <- t.test(t, cc, alternative = "less")
s <- "results|revenue|all|all|treatment"
out(s, "p_value", r$p.value, "t.test(y_t, y_c, alternative = 'less')")
out(s, "diff_ci.1", r$conf.int[2], "t.test one-sided interval")
out(s, "diff_ci.0", "null", "the open end")
out(s, "direction", "decrease", "--direction")

case("W", "--input examples/checkout_test.csv --metric converted:binary --metric ppv:ratio=pageviews/sessions --guardrail converted=0.002 --guardrail ppv=1%")
t <- ck$converted[ck$variant == "treatment"]; cc <- ck$converted[ck$variant == "control"]
se <- sqrt(mean(t) * (1 - mean(t)) / length(t) + mean(cc) * (1 - mean(cc)) / length(cc))
out("results|converted|all|all|treatment", "ni_p_value", pnorm((mean(t) - mean(cc) + 0.002) / se, lower.tail = FALSE),
    "z = (diff + 0.002) / unpooled SE")
A <- arms_ratio(ck$pageviews, ck$sessions, ck$variant)
se <- sqrt(A$vt / A$nt + A$vc / A$nc); D <- 0.01 * abs(A$mc)
out("results|ppv|all|all|treatment", "margin", D, "0.01 |r_c|")
out("results|ppv|all|all|treatment", "ni_p_value", pnorm((A$mt - A$mc + D) / se, lower.tail = FALSE), "z with the delta-method SE")

case("X", "--input examples/checkout_test.csv --metric converted:binary --segment device --test fisher --one-sided")
for (l in c("all", sort(unique(ck$device)))) {
  d <- if (l == "all") ck else ck[ck$device == l, ]
  t <- d$converted[d$variant == "treatment"]; cc <- d$converted[d$variant == "control"]
  m <- matrix(c(sum(t), length(t) - sum(t), sum(cc), length(cc) - sum(cc)), 2, byrow = TRUE)
  out(paste("results", "converted", ifelse(l == "all", "all", "device"), l, "treatment", sep = "|"), "p_value",
      fisher.test(m, alternative = "greater")$p.value, "fisher.test(..., alternative = 'greater')")
}
case("X2", "--input examples/revenue_test.csv --metric revenue:mean --direction revenue=decrease --test mann-whitney --one-sided")
out("results|revenue|all|all|treatment", "p_value",
    wilcox.test(rv$revenue[rv$variant == "treatment"], rv$revenue[rv$variant == "control"], exact = FALSE, correct = TRUE, alternative = "less")$p.value,
    "wilcox.test(y_t, y_c, exact = FALSE, correct = TRUE, alternative = 'less')")

# capping: thresholds from the pooled values of every arm, R quantile(type = 7)
for (spec in c("p99", "p1:p99", "150")) {
  case(paste0("Y", spec), paste0("--input examples/revenue_test.csv --metric revenue:mean --segment plan --cap revenue=", spec))
  lo <- if (grepl(":", spec)) quantile(rv$revenue, 0.01, type = 7, names = FALSE) else -Inf
  hi <- if (grepl("^p", spec)) quantile(rv$revenue, 0.99, type = 7, names = FALSE) else as.numeric(spec)
  y <- pmin(pmax(rv$revenue, lo), hi)
  for (l in c("all", "pro")) {
    k <- if (l == "all") rep(TRUE, nrow(rv)) else rv$plan == l
    r <- t.test(y[k & rv$variant == "treatment"], y[k & rv$variant == "control"])
    s <- paste("results|revenue", if (l == "all") "all|all" else "plan|pro", "treatment", sep = "|")
    out(s, "p_value", r$p.value, sprintf("t.test on pmin(pmax(y, %s), %s) of the pooled values", format(lo), format(hi)))
    out(s, "diff_ci.0", r$conf.int[1], "t.test on the capped values")
    out(s, "cap.upper", hi, "quantile(y, 0.99, type = 7) over all units, or the value")
    if (is.finite(lo)) out(s, "cap.lower", lo, "quantile(y, 0.01, type = 7) over all units")
  }
}
case("Yratio", "--input examples/checkout_test.csv --metric ppv:ratio=pageviews/sessions --cap ppv=p95")
hi <- quantile(ck$pageviews, 0.95, type = 7, names = FALSE)
A <- arms_ratio(pmin(ck$pageviews, hi), ck$sessions, ck$variant)
se <- sqrt(A$vt / A$nt + A$vc / A$nc)
out("results|ppv|all|all|treatment", "diff", A$mt - A$mc, "ratio of the capped numerator")
out("results|ppv|all|all|treatment", "p_value", 2 * pnorm(-abs((A$mt - A$mc) / se)), "z, delta method, capped numerator")
out("results|ppv|all|all|treatment", "cap.upper", hi, "quantile(pageviews, 0.95, type = 7)")

case("Z", "--input examples/revenue_test.csv --metric revenue:quantile=0.5 --segment plan")
for (l in c("all", sort(unique(rv$plan)))) {
  d <- if (l == "all") rv else rv[rv$plan == l, ]
  a <- qse(d$revenue[d$variant == "treatment"], 0.5); b <- qse(d$revenue[d$variant == "control"], 0.5)
  diff <- a[1] - b[1]; se <- sqrt(a[2]^2 + b[2]^2)
  s <- paste("results|revenue", if (l == "all") "all|all" else paste("plan", l, sep = "|"), "treatment", sep = "|")
  out(s, "treatment.quantile", a[1], "quantile(x, 0.5, type = 7)")
  out(s, "diff_ci.1", diff + z(0.05) * se, "order-statistic SE, z interval")
  out(s, "p_value", 2 * pnorm(-abs(diff / se)), "two-sided normal")
}

# ---- quantiles: the SE's window at z = qnorm(0.975) whatever --alpha; too few units -------------
case("Z1", "--input examples/revenue_test.csv --metric revenue:quantile=0.9 --alpha 0.01")
a <- qse(rv$revenue[rv$variant == "treatment"], 0.9); b <- qse(rv$revenue[rv$variant == "control"], 0.9)
diff <- a[1] - b[1]; se <- sqrt(a[2]^2 + b[2]^2)
s <- "results|revenue|all|all|treatment"
out(s, "p_value", 2 * pnorm(-abs(diff / se)), "two-sided normal; the SEs' window at qnorm(0.975), so the same p as at alpha 0.05")
out(s, "diff_ci.0", diff - qnorm(0.995) * se, "the interval at 1 - alpha: qnorm(0.995) times the same SE")
out(s, "diff_ci.1", diff + qnorm(0.995) * se, "the interval at 1 - alpha: qnorm(0.995) times the same SE")
lse <- sqrt(a[2]^2 / b[1]^2 + a[1]^2 * b[2]^2 / b[1]^4)
out(s, "lift_ci.1", diff / abs(b[1]) + qnorm(0.995) * lse, "delta method with the order-statistic SEs")
# 30 units per arm: the median's window fits, the 90th and 99th percentiles' do not
set.seed(20)
qs <- data.frame(variant = rep(c("control", "treatment"), each = 30), load_ms = round(exp(rnorm(60, 7, 0.5)), 1))
write.csv(qs, "tests/data/quantile_small.csv", row.names = FALSE, quote = FALSE)
qs <- read.csv("tests/data/quantile_small.csv")
for (q in c(0.5, 0.9, 0.99)) {
  case(paste0("Zsmall", q), paste0("--input tests/data/quantile_small.csv --metric load_ms:quantile=", q))
  a <- qse(qs$load_ms[qs$variant == "treatment"], q); b <- qse(qs$load_ms[qs$variant == "control"], q)
  diff <- a[1] - b[1]; se <- sqrt(a[2]^2 + b[2]^2)
  s <- "results|load_ms|all|all|treatment"
  out(s, "diff", diff, sprintf("quantile(x, %g, type = 7), both arms", q))
  if (is.na(se)) {
    w <- qnorm(0.975) * sqrt(30 * q * (1 - q))
    why <- sprintf("n = 30, Q = %g: the window %.4g .. %.4g leaves 1..30", q, 30 * q - w, 30 * q + w)
    for (f in c("p_value", "diff_ci", "lift_ci", "significant")) out(s, f, "null", why)
  } else {
    out(s, "p_value", 2 * pnorm(-abs(diff / se)), "two-sided normal, order-statistic SEs")
    out(s, "diff_ci.0", diff - z(0.05) * se, "z interval")
  }
}

# ---- capping you can see: zeros ignored, what each cap changed, two caps over one column ---------
# thresholds of the non-zero values, R quantile(x[x != 0], Q, type = 7); zeros stay 0; capped_n the
# values changed over every arm, capped_share their share of the non-missing values
cap_iz <- function(x, q, ignore_zeros) {
  v <- x[!is.na(x)]
  hi <- quantile(if (ignore_zeros) v[v != 0] else v, q, type = 7, names = FALSE)
  y <- if (ignore_zeros) ifelse(x == 0, 0, pmin(x, hi)) else pmin(x, hi)
  changed <- sum(y != x, na.rm = TRUE)
  list(hi = hi, y = y, n = changed, share = changed / length(v))
}
for (iz in c(FALSE, TRUE)) {
  case(if (iz) "Ciz" else "Call", paste0("--input examples/checkout_test.csv --metric revenue:mean --cap revenue=p99",
                                       if (iz) " --cap-ignore-zeros revenue" else ""))
  cp <- cap_iz(ck$revenue, 0.99, iz)
  r <- t.test(cp$y[ck$variant == "treatment"], cp$y[ck$variant == "control"])
  s <- "results|revenue|all|all|treatment"
  how <- if (iz) "quantile(x[x != 0], 0.99, type = 7); zeros stay 0" else "quantile(x, 0.99, type = 7)"
  out(s, "cap.upper", cp$hi, how)
  out(s, "cap.capped_n", cp$n, "sum(capped != x), every arm")
  out(s, "cap.capped_share", cp$share, "capped_n / non-missing values")
  out(s, "cap.ignore_zeros", if (iz) "true" else "false", "--cap-ignore-zeros")
  out(s, "p_value", r$p.value, paste("t.test on the capped values,", how))
  out(s, "diff_ci.0", r$conf.int[1], "t.test on the capped values")
}
# two metrics over the revenue column, each with its own cap (one ignoring zeros)
case("C2", "--input examples/checkout_test.csv --metric revenue:mean --metric rps:ratio=revenue/sessions --cap revenue=p99 --cap rps=p95 --cap-ignore-zeros rps")
cr <- cap_iz(ck$revenue, 0.99, FALSE); cq <- cap_iz(ck$revenue, 0.95, TRUE)
out("results|revenue|all|all|treatment", "p_value", t.test(cr$y[ck$variant == "treatment"], cr$y[ck$variant == "control"])$p.value,
    "t.test, revenue capped at quantile(revenue, 0.99)")
out("results|revenue|all|all|treatment", "cap.upper", cr$hi, "quantile(revenue, 0.99, type = 7)")
ok <- !is.na(ck$revenue) & !is.na(ck$sessions)
A <- arms_ratio(cq$y[ok], ck$sessions[ok], ck$variant[ok])
out("results|rps|all|all|treatment", "cap.upper", cq$hi, "quantile(revenue[revenue != 0], 0.95, type = 7)")
out("results|rps|all|all|treatment", "cap.capped_n", cq$n, "sum(capped != revenue)")
out("results|rps|all|all|treatment", "diff", A$mt - A$mc, "ratio of the capped numerator")
out("results|rps|all|all|treatment", "p_value", 2 * pnorm(-abs((A$mt - A$mc) / sqrt(A$vt / A$nt + A$vc / A$nc))),
    "z, delta method, numerator capped with zeros ignored")

# ---- data health: a constructed export with every finding ---------------------------------------
# 600 units; 6 of them also logged under the other variant (left out), 4 rows without a variant,
# a tablet segment filtered out with --where, missing revenue spelled NA, N/A, NULL and null
set.seed(45)
n <- 600
hd <- data.frame(user_id = sprintf("u%04d", 1:n), variant = rep(c("control", "treatment"), n / 2),
                 device = sample(c("mobile", "desktop", "tablet"), n, replace = TRUE, prob = c(.5, .35, .15)),
                 sessions = rpois(n, 3) + 1, stringsAsFactors = FALSE)
hd$revenue <- ifelse(runif(n) < 0.85, 0, round(exp(rnorm(n, 3.5 + 0.2 * (hd$variant == "treatment"), 1)), 2))
hd$revenue <- as.character(hd$revenue)
hd$revenue[c(7, 19, 33, 58)] <- c("NA", "N/A", "NULL", "null")
twice <- hd[c(3, 10, 41, 77, 150, 301), ]
twice$variant <- ifelse(twice$variant == "control", "treatment", "control")
novar <- hd[c(5, 6, 90, 200), ]; novar$variant <- ""; novar$user_id <- sprintf("x%02d", 1:4)
hd <- rbind(hd, twice, novar)
write.csv(hd, "tests/data/health_cases.csv", row.names = FALSE, quote = FALSE)
hd <- read.csv("tests/data/health_cases.csv", stringsAsFactors = FALSE, na.strings = c("", "NA", "N/A", "NULL", "null"))
case("HX", "--input tests/data/health_cases.csv --metric revenue:mean --metric rps:ratio=revenue/sessions --unit-column user_id --where device!=tablet --cap revenue=p95 --cap-ignore-zeros revenue")
kept <- hd[hd$device != "tablet", ]                          # --where first
novariant <- sum(is.na(kept$variant)); kept <- kept[!is.na(kept$variant), ]
nv <- tapply(kept$variant, kept$user_id, function(v) length(unique(v)))
multi <- names(nv)[nv > 1]
out("health", "filtered_out.rows", sum(hd$device == "tablet"), "sum(device == 'tablet')")
out("health", "no_variant.rows", novariant, "rows with an empty variant, after --where")
out("health", "multiple_exposures.units", length(multi), "units with more than one distinct variant")
out("health", "multiple_exposures.share", length(multi) / length(nv), "of the distinct units")
kept <- kept[!(kept$user_id %in% multi), ]
counts <- table(kept$variant)
out("srm", "chi2", chisq.test(counts)$statistic, "chisq.test(table(variant)) of the rows that count")
x <- kept$revenue; ok <- !is.na(x)
cp <- cap_iz(x[ok], 0.95, TRUE)
y <- x; y[ok] <- cp$y
s <- "results|revenue|all|all|treatment"
out(s, "cap.upper", cp$hi, "quantile(x[x != 0], 0.95, type = 7) over the rows that count")
out(s, "cap.capped_n", cp$n, "sum(capped != x)")
out(s, "cap.capped_share", cp$share, "capped_n / non-missing values")
out(s, "control.missing", sum(!ok & kept$variant == "control"), "NA, N/A, NULL, null are missing")
r <- t.test(y[kept$variant == "treatment"], y[kept$variant == "control"])
out(s, "p_value", r$p.value, "t.test on the capped values of the rows that count")
out(s, "diff_ci.1", r$conf.int[2], "t.test")
both <- ok & !is.na(kept$sessions)
A <- arms_ratio(kept$revenue[both], kept$sessions[both], kept$variant[both])
out("results|rps|all|all|treatment", "diff", A$mt - A$mc, "sum(revenue)/sum(sessions), rows that count, uncapped")

# --weights as percentages
case("Wpct", "--input examples/checkout_test.csv --metric converted:binary --weights control=40,treatment=60")
srm_rows(ck, "srm", p = c(0.4, 0.6))

# the decision rule on constructed cases: several treatments, a segment, every outcome
set.seed(31)
n <- 4000
dc <- data.frame(variant = rep(c("control", "good", "harmful", "backfire", "flat"), each = n),
                 region = sample(c("north", "south"), 5 * n, replace = TRUE))
p <- c(control = 0.10, good = 0.13, harmful = 0.13, backfire = 0.07, flat = 0.10)
dc$signup <- rbinom(5 * n, 1, p[dc$variant])
dc$refund <- round(rnorm(5 * n, ifelse(dc$variant == "harmful", 6, 5), 1), 3)
write.csv(dc, "tests/data/decision_cases.csv", row.names = FALSE, quote = FALSE)
dc <- read.csv("tests/data/decision_cases.csv")
case("D2", "--input tests/data/decision_cases.csv --metric signup:binary --metric refund:mean --segment region --goal signup --guardrail refund=0.2 --direction refund=decrease --correction holm")
ps <- sapply(c("good", "harmful", "backfire", "flat"), function(tr) {
  t <- dc$signup[dc$variant == tr]; cc <- dc$signup[dc$variant == "control"]
  prop.test(c(sum(t), sum(cc)), c(length(t), length(cc)), correct = FALSE)$p.value })
adj <- p.adjust(ps, "holm")   # the goal family: the goal metric x treatments, overall rows only
for (i in 1:4) {
  tr <- names(ps)[i]
  up <- mean(dc$signup[dc$variant == tr]) > mean(dc$signup[dc$variant == "control"])
  t <- dc$refund[dc$variant == tr]; cc <- dc$refund[dc$variant == "control"]
  ni <- t.test(t, cc, mu = 0.2, alternative = "less")$p.value      # s = -1: H0 diff >= +0.2
  inf <- t.test(t, cc, mu = 0.2, alternative = "greater")$p.value
  decision <- if ((adj[i] < 0.05 && !up) || inf < 0.05) "no-ship" else if (adj[i] < 0.05 && up && ni < 0.05) "ship" else "inconclusive"
  out(paste("decisions", tr, sep = "|"), "decision", decision, "the rule of docs/methods.md, from the overall rows")
  out(paste("results|signup|all|all", tr, sep = "|"), "p_adjusted", adj[i], "p.adjust(goal metric x treatments, 'holm')")
  out(paste("results|refund|all|all", tr, sep = "|"), "ni_p_value", ni, "t.test(y_t, y_c, mu = 0.2, alternative = 'less')")
}

# ---- F: correction families (issue 20): the goal family (goal metrics x treatments, overall
# rows; Holm when --correction is none), the secondary family (overall rows), and a family per
# metric and segment column. An overall row's p_adjusted is the same however many segments
# are sliced: F1 and F1b differ only in the slicing, and share their expected overall values.
prop_p <- function(d, m, tr = "treatment") { t <- d[d$variant == tr, m]; cc <- d[d$variant == "control", m]
  prop.test(c(sum(t), sum(cc)), c(length(t), length(cc)), correct = FALSE)$p.value }
welch_p <- function(d, m, tr = "treatment") { t <- d[d$variant == tr & !is.na(d[[m]]), m]; cc <- d[d$variant == "control" & !is.na(d[[m]]), m]
  t.test(t, cc)$p.value }
ratio_p <- function(d) { A <- arms_ratio(d$pageviews, d$sessions, d$variant); se <- sqrt(A$vt / A$nt + A$vc / A$nc)
  2 * pnorm(-abs((A$mt - A$mc) / se)) }
ov <- c(converted = prop_p(ck, "converted"), revenue = welch_p(ck, "revenue"), ppv = ratio_p(ck))
goal_adj <- p.adjust(ov[c("converted", "revenue")], "BH")
for (id in c("F1", "F1b")) {
  case(id, paste("--input examples/checkout_test.csv --metric converted:binary --metric revenue:mean --metric ppv:ratio=pageviews/sessions --goal converted --goal revenue --correction bh",
                 if (id == "F1") "--segment device" else "--segment device --segment country"))
  for (m in c("converted", "revenue")) {
    out(paste("results", m, "all|all|treatment", sep = "|"), "p_adjusted", goal_adj[m], "p.adjust(goal family: converted, revenue; 'BH')")
    out(paste("results", m, "all|all|treatment", sep = "|"), "family", "goal", "--goal")
  }
  out("results|ppv|all|all|treatment", "p_adjusted", ov["ppv"], "the secondary family holds ppv alone")
  out("results|ppv|all|all|treatment", "family", "secondary", "no role given")
  dev <- sort(unique(ck$device))
  pdev <- sapply(dev, function(l) prop_p(ck[ck$device == l, ], "converted"))
  adj <- p.adjust(pdev, "BH")
  for (i in seq_along(dev)) out(paste("results|converted|device", dev[i], "treatment", sep = "|"), "p_adjusted", adj[i],
                                "p.adjust(segment:device family of converted, 'BH')")
  if (id == "F1b") {
    cty <- sort(unique(ck$country))
    pc <- sapply(cty, function(l) ratio_p(ck[ck$country == l, ]))
    adj <- p.adjust(pc, "BH")
    for (i in seq_along(cty)) out(paste("results|ppv|country", cty[i], "treatment", sep = "|"), "p_adjusted", adj[i],
                                  "p.adjust(segment:country family of ppv, 'BH')")
    out(paste("results|ppv|country", cty[1], "treatment", sep = "|"), "family", "segment:country", "a segment level's family")
  }
}
# --correction none: the decision's family is still corrected, by Holm
case("F2", "--input examples/checkout_guardrails.csv --metric converted:binary --metric revenue:mean --goal converted --goal revenue")
trs <- c("express", "rich")
gp <- c(sapply(trs, function(tr) prop_p(gd, "converted", tr)), sapply(trs, function(tr) welch_p(gd, "revenue", tr)))
gadj <- p.adjust(gp, "holm")
sel <- c(paste0("results|converted|all|all|", trs), paste0("results|revenue|all|all|", trs))
for (i in seq_along(gp)) {
  out(sel[i], "p_value", gp[i], "prop.test")
  out(sel[i], "p_adjusted", gadj[i], "p.adjust(goal family of 2 metrics x 2 treatments, 'holm') under --correction none")
}

# ---- BD: Bayesian output in the metric's direction: for a decrease metric P(beat) =
# P(delta < 0), expected loss = E[max(delta, 0)], risk = loss / |control| ----------------------
case("BD", "--input examples/checkout_test.csv --metric converted:binary --metric revenue:mean --direction converted=decrease --direction revenue=decrease --method bayesian")
t <- ck$converted[ck$variant == "treatment"]; cc <- ck$converted[ck$variant == "control"]
at <- 1 + sum(t); bt <- 1 + length(t) - sum(t); ac <- 1 + sum(cc); bc <- 1 + length(cc) - sum(cc)
pb <- integrate(function(p) dbeta(p, at, bt) * pbeta(p, ac, bc, lower.tail = FALSE), 0, 1, rel.tol = 1e-12, subdivisions = 2000)$value
loss <- integrate(function(u) dbeta(u, at, bt) * (u * pbeta(u, ac, bc) - ac / (ac + bc) * pbeta(u, ac + 1, bc)), 0, 1, rel.tol = 1e-12, subdivisions = 2000)$value
s <- "results|converted|all|all|treatment"
out(s, "prob_beat_control", pb, "integrate(dbeta(p, a_t, b_t) * P(p_c > p)): P(p_t < p_c)")
out(s, "expected_loss", loss, "E[(p_t - p_c)+] = integrate(dbeta(u, a_t, b_t) (u P(p_c < u) - m_c P'(p_c < u)))")
out(s, "risk_relative", loss / mean(cc), "expected_loss / |mean(y_c)|")
t <- ckr$revenue[ckr$variant == "treatment"]; cc <- ckr$revenue[ckr$variant == "control"]
d <- mean(t) - mean(cc); se <- sqrt(var(t) / length(t) + var(cc) / length(cc))
s <- "results|revenue|all|all|treatment"
out(s, "prob_beat_control", pnorm(-d / se), "pnorm(-diff/se): P(delta < 0)")
out(s, "expected_loss", se * dnorm(d / se) + d * pnorm(d / se), "E[max(delta, 0)] = se dnorm(diff/se) + diff pnorm(diff/se)")
out(s, "risk_relative", (se * dnorm(d / se) + d * pnorm(d / se)) / abs(mean(cc)), "expected_loss / |mean(y_c)|")
out(s, "credible_interval.0", d - z(0.05) * se, "the interval does not depend on the direction")

# ---- BG: Bayesian guardrails by the normal posterior: ni_probability = P(s delta > -margin) --
case("BG", "--input examples/checkout_guardrails.csv --metric converted:binary --metric revenue:mean --metric load_ms:mean --goal converted --guardrail revenue=2% --guardrail load_ms=50 --direction load_ms=decrease --method bayesian")
for (tr in c("express", "rich")) {
  t <- gd$revenue[gd$variant == tr]; cc <- gd$revenue[gd$variant == "control"]
  d <- mean(t) - mean(cc); se <- sqrt(var(t) / length(t) + var(cc) / length(cc)); D <- 0.02 * abs(mean(cc))
  s <- paste("results|revenue|all|all", tr, sep = "|")
  nr <- pnorm((d + D) / se)
  out(s, "ni_probability", nr, "pnorm((diff + margin) / se), s = +1")
  out(s, "ni_p_value", "null", "no p-value under bayesian")
  t <- gd$load_ms[gd$variant == tr]; cc <- gd$load_ms[gd$variant == "control"]
  d <- mean(t) - mean(cc); se <- sqrt(var(t) / length(t) + var(cc) / length(cc))
  s <- paste("results|load_ms|all|all", tr, sep = "|")
  nl <- pnorm((-d + 50) / se)
  out(s, "ni_probability", nl, "pnorm((-diff + 50) / se), s = -1")
  out(s, "non_inferior", if (nl >= 0.95) "true" else "false", "ni_probability >= 1 - alpha")
  # the decision: the goal's credible interval, the guardrails' probabilities
  t <- gd$converted[gd$variant == tr]; cc <- gd$converted[gd$variant == "control"]
  at <- 1 + sum(t); bt <- 1 + length(t) - sum(t); ac <- 1 + sum(cc); bc <- 1 + length(cc) - sum(cc)
  cdf <- function(x) integrate(function(u) dbeta(u, at, bt) * pbeta(u - x, ac, bc, lower.tail = FALSE), 0, 1, rel.tol = 1e-12, subdivisions = 2000)$value
  good <- cdf(0) < 0.025   # P(p_t - p_c <= 0) < alpha/2: the credible interval is above 0
  decision <- if (nr <= 0.05 || nl <= 0.05) "no-ship" else if (good && nr >= 0.95 && nl >= 0.95) "ship" else "inconclusive"
  out(paste("decisions", tr, sep = "|"), "decision", decision, "bayesian: goal's credible interval above 0, guardrails' P(within margin) >= 1 - alpha")
}

# ---- MD: metric definitions from a file give the results of the same flags -----------------
# tests/data/metric_defs.json: spend (mean of the revenue column, goal), conv (binary of the
# converted column, a guardrail of 0.002) and ppv (ratio, its numerator capped at p95).
case("MD", "--input examples/checkout_test.csv --metrics tests/data/metric_defs.json")
t <- ckr$revenue[ckr$variant == "treatment"]; cc <- ckr$revenue[ckr$variant == "control"]
out("results|spend|all|all|treatment", "p_value", t.test(t, cc)$p.value, "t.test of the revenue column")
out("results|spend|all|all|treatment", "role", "goal", "\"role\": \"goal\"")
t <- ck$converted[ck$variant == "treatment"]; cc <- ck$converted[ck$variant == "control"]
se <- sqrt(mean(t) * (1 - mean(t)) / length(t) + mean(cc) * (1 - mean(cc)) / length(cc))
out("results|conv|all|all|treatment", "ni_p_value", pnorm((mean(t) - mean(cc) + 0.002) / se, lower.tail = FALSE), "z = (diff + 0.002) / unpooled SE")
out("results|conv|all|all|treatment", "role", "guardrail", "\"role\": \"guardrail\"")
hi <- quantile(ck$pageviews, 0.95, type = 7, names = FALSE)
A <- arms_ratio(pmin(ck$pageviews, hi), ck$sessions, ck$variant); se <- sqrt(A$vt / A$nt + A$vc / A$nc)
out("results|ppv|all|all|treatment", "p_value", 2 * pnorm(-abs((A$mt - A$mc) / se)), "z, delta method, numerator capped at quantile(pageviews, 0.95, type = 7)")
out("results|ppv|all|all|treatment", "cap.upper", hi, "\"cap\": \"p95\"")
# a flag overrides the file's role and direction: spend becomes a guardrail, lower is better
case("MD2", "--input examples/checkout_test.csv --metrics tests/data/metric_defs.json --guardrail spend=0.5 --direction spend=decrease")
t <- ckr$revenue[ckr$variant == "treatment"]; cc <- ckr$revenue[ckr$variant == "control"]
out("results|spend|all|all|treatment", "role", "guardrail", "--guardrail overrides \"role\": \"goal\"")
out("results|spend|all|all|treatment", "ni_p_value", t.test(t, cc, mu = 0.5, alternative = "less")$p.value,
    "t.test(y_t, y_c, mu = 0.5, alternative = 'less'): s = -1, margin 0.5")

# ---- RC: the decision for each role combination, on constructed data ------------------------
# Five treatments against control (4,000 units each): win lifts conv (10% -> 13%); slow lifts
# conv but makes latency 20 ms worse; faster cuts latency by 5 ms; multi lifts g1 a little
# (p about 0.04 alone); side moves only pages. Counts are exact, the continuous values drawn.
set.seed(2020)
nn <- 4000
vars <- c("control", "win", "slow", "faster", "multi", "side")
ones <- function(k) sample(c(rep(1, k), rep(0, nn - k)))
conv_k <- c(control = 400, win = 520, slow = 520, faster = 400, multi = 400, side = 400)
g1_k <- c(control = 400, win = 400, slow = 400, faster = 400, multi = 458, side = 400)
lat_mu <- c(control = 200, win = 200, slow = 220, faster = 195, multi = 200, side = 200)
pg_mu <- c(control = 5, win = 5, slow = 5, faster = 5, multi = 5, side = 5.5)
rc <- do.call(rbind, lapply(vars, function(v) data.frame(variant = v, conv = ones(conv_k[v]), latency = round(rnorm(nn, lat_mu[v], 30), 2),
  pages = round(rnorm(nn, pg_mu[v], 2), 3), g1 = ones(g1_k[v]), g2 = ones(400), g3 = ones(400))))
write.csv(rc, "tests/data/role_cases.csv", row.names = FALSE, quote = FALSE)
rc <- read.csv("tests/data/role_cases.csv")
trs <- vars[-1]
bin_p <- function(m, tr) prop_p(rc, m, tr)
up <- function(m, tr) mean(rc[rc$variant == tr, m]) > mean(rc[rc$variant == "control", m])
verdict <- function(id, tr, d, why) out(paste("decisions", tr, sep = "|"), "decision", d, why)
# one goal that won
case("RC1", "--input tests/data/role_cases.csv --metric conv:binary --goal conv")
gp <- p.adjust(sapply(trs, function(tr) bin_p("conv", tr)), "holm")
for (tr in trs) verdict("RC1", tr, if (gp[tr] < 0.05) (if (up("conv", tr)) "ship" else "no-ship") else "inconclusive",
                        "one goal, its family (5 treatments) by Holm")
# a goal that won with a guardrail that failed: latency may not rise by more than 5 ms
case("RC2", "--input tests/data/role_cases.csv --metric conv:binary --metric latency:mean --goal conv --guardrail latency=5 --direction latency=decrease")
for (tr in trs) {
  t <- rc$latency[rc$variant == tr]; cc <- rc$latency[rc$variant == "control"]
  ni <- t.test(t, cc, mu = 5, alternative = "less")$p.value; inf <- t.test(t, cc, mu = 5, alternative = "greater")$p.value
  out(paste("results|latency|all|all", tr, sep = "|"), "ni_p_value", ni, "t.test(y_t, y_c, mu = 5, alternative = 'less')")
  d <- if ((gp[tr] < 0.05 && !up("conv", tr)) || inf < 0.05) "no-ship" else if (gp[tr] < 0.05 && ni < 0.05) "ship" else "inconclusive"
  verdict("RC2", tr, d, "goal up (Holm) and the guardrail non-inferior; no-ship when the guardrail is worse than its margin")
}
# a lower-is-better goal: latency falling is its good direction
case("RC3", "--input tests/data/role_cases.csv --metric latency:mean --goal latency --direction latency=decrease")
lp <- p.adjust(sapply(trs, function(tr) welch_p(rc, "latency", tr)), "holm")
for (tr in trs) {
  out(paste("results|latency|all|all", tr, sep = "|"), "p_adjusted", lp[tr], "p.adjust(goal family, 'holm')")
  verdict("RC3", tr, if (lp[tr] < 0.05) (if (!up("latency", tr)) "ship" else "no-ship") else "inconclusive",
          "a decrease goal: down is good, up is bad")
}
# three goals: g1 alone would be significant for multi, not after Holm over the goal family
case("RC4", "--input tests/data/role_cases.csv --metric g1:binary --metric g2:binary --metric g3:binary --goal g1 --goal g2 --goal g3")
gps <- c(sapply(trs, function(tr) bin_p("g1", tr)), sapply(trs, function(tr) bin_p("g2", tr)), sapply(trs, function(tr) bin_p("g3", tr)))
gadj <- p.adjust(gps, "holm")
out("results|g1|all|all|multi", "p_value", gps[4], "prop.test: below alpha alone")
out("results|g1|all|all|multi", "p_adjusted", gadj[4], "p.adjust(3 goals x 5 treatments, 'holm')")
out("results|g1|all|all|multi", "significant", if (gadj[4] < 0.05) "true" else "false", "p_adjusted < alpha")
for (k in seq_along(trs)) {
  tr <- trs[k]; a <- gadj[c(k, k + 5, k + 10)]
  good <- any(a < 0.05 & sapply(c("g1", "g2", "g3"), function(m) up(m, tr)))
  bad <- any(a < 0.05 & !sapply(c("g1", "g2", "g3"), function(m) up(m, tr)))
  verdict("RC4", tr, if (bad) "no-ship" else if (good) "ship" else "inconclusive", "several goals: Holm over the goal family")
}
# a secondary metric that moved, and a goal that did not: no ship
case("RC5", "--input tests/data/role_cases.csv --metric conv:binary --metric pages:mean --goal conv")
out("results|pages|all|all|side", "p_value", welch_p(rc, "pages", "side"), "t.test: pages moved")
out("results|pages|all|all|side", "role", "secondary", "no role given")
verdict("RC5", "side", if (gp["side"] < 0.05) "ship" else "inconclusive", "a secondary metric does not decide")

# ---- LF: the default lift interval, Fieller's (and --lift-interval log) ----------------------
# Written again from the formula: R = m_t/m_c, V = var/n of each arm, c the row's critical value;
# Fieller: the R with (m_t - R m_c)^2 <= c^2 (V_t + R^2 V_c); log: exp(log R -/+ c sqrt(V_t/m_t^2 +
# V_c/m_c^2)); lift = R - 1 for m_c > 0, 1 - R for m_c < 0 (lift = diff / |m_c|).
fieller <- function(mt, Vt, mc, Vc, q) {
  a <- mc^2 - q^2 * Vc; h <- q * sqrt(mt^2 * Vc + mc^2 * Vt - q^2 * Vt * Vc)
  r <- sort(c((mt * mc - h) / a, (mt * mc + h) / a))
  if (mc > 0) r - 1 else rev(1 - r)
}
logci <- function(mt, Vt, mc, Vc, q) {
  r <- exp(log(mt / mc) + c(-1, 1) * q * sqrt(Vt / mt^2 + Vc / mc^2))
  if (mc > 0) r - 1 else rev(1 - r)
}
lf_rows <- function(sel, t, cc, binary, kind, one = 0) {
  mt <- mean(t); mc <- mean(cc)
  vt <- if (binary) mt * (1 - mt) else var(t); vc <- if (binary) mc * (1 - mc) else var(cc)
  a <- if (one != 0) 0.1 else 0.05
  q <- if (binary) qnorm(1 - a / 2) else qt(1 - a / 2, welch_df(t, cc))
  ci <- (if (kind == "fieller") fieller else logci)(mt, vt / length(t), mc, vc / length(cc), q)
  how <- paste(kind, "interval of m_t/m_c, q =", if (binary) "z" else "Welch t")
  if (one >= 0) out(sel, "lift_ci.0", ci[1], how)
  if (one <= 0) out(sel, "lift_ci.1", ci[2], how)
}
lf_cases <- list(
  list("LF1", "--input examples/revenue_test.csv --metric revenue:mean", "fieller", 0),
  list("LF2", "--input examples/checkout_test.csv --metric converted:binary", "fieller", 0),
  list("LF3", "--input tests/data/negative_mean.csv --metric delta:mean", "fieller", 0),
  list("LF4", "--input examples/revenue_test.csv --metric revenue:mean --lift-interval log", "log", 0),
  list("LF5", "--input examples/checkout_test.csv --metric converted:binary --lift-interval log", "log", 0),
  list("LF6", "--input tests/data/negative_mean.csv --metric delta:mean --lift-interval log", "log", 0),
  list("LF7", "--input examples/revenue_test.csv --metric revenue:mean --one-sided", "fieller", 1),
  list("LF8", "--input examples/checkout_test.csv --metric converted:binary --direction converted=decrease --one-sided", "fieller", -1))
for (k in lf_cases) {
  case(k[[1]], k[[2]], delta = FALSE)
  f <- strsplit(strsplit(k[[2]], "--metric ")[[1]][2], ":")[[1]][1]
  d <- read.csv(strsplit(strsplit(k[[2]], "--input ")[[1]][2], " ")[[1]][1], stringsAsFactors = FALSE)
  t <- d[d$variant == "treatment", f]; cc <- d[d$variant == "control", f]
  t <- t[!is.na(t)]; cc <- cc[!is.na(cc)]
  lf_rows(paste("results", f, "all|all|treatment", sep = "|"), t, cc, grepl(":binary", k[[2]]), k[[3]], k[[4]])
}
