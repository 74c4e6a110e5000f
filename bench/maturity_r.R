# maturity_r.R DATA.csv — what `dcx maturity score --items --group-by role --group-by region
# --weight-column w` computes on the bench data (12 dimensions of 5 statements, the third
# reversed, N/A missing), done in R with psych, multilevel and survey, for bench/run.sh's
# time and memory comparison.
suppressMessages({ library(psych); library(multilevel); library(survey) })
x <- read.csv(commandArgs(TRUE)[1], na.strings = c("N/A", "NA", ""), stringsAsFactors = FALSE)
for (d in 1:12) {
  cols <- paste0("d", d, "q", 1:5)
  S <- as.matrix(x[, cols]); S[, 3] <- 6 - S[, 3]
  a <- rowSums(!is.na(S)); s <- ifelse(a / 5 >= 0.5, rowSums(S, na.rm = TRUE) / a, NA)
  ok <- !is.na(s)
  m <- svymean(~s, svydesign(ids = ~1, weights = ~w, data = data.frame(s = s[ok], w = x$w[ok])))
  cc <- S[complete.cases(S), ]
  pa <- suppressWarnings(psych::alpha(as.data.frame(cc), check.keys = FALSE, warnings = FALSE))
  for (by in c("role", "region")) {
    mod <- aov(s ~ factor(g), data = data.frame(s = s[ok], g = x[[by]][ok]))
    i1 <- ICC1(mod); i2 <- ICC2(mod)
    for (gv in unique(x[[by]])) { k <- ok & x[[by]] == gv
      svymean(~s, svydesign(ids = ~1, weights = ~w, data = data.frame(s = s[k], w = x$w[k]))) }
  }
}
