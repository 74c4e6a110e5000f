# maturity.R — reference values for `dcx maturity score` and `compare`, computed in R.
#   Rscript tests/reference/maturity.R > tests/reference/maturity.tsv   (project root)
# Scoring follows CONTRACT.md §5, written again here independently of the C code;
# Cronbach's alpha also from psych::alpha, rwg(J) also from multilevel::rwg.j
# (Debian r-cran-psych, r-cran-multilevel). Row: case, args, selector, field, value, how.
suppressMessages({ library(jsonlite); library(psych); library(multilevel) })
options(digits = 17, warn = 1)
g <- function(x) sprintf("%.17g", x)
cur <- NULL
case <- function(id, args) cur <<- list(id = id, args = args)
out <- function(sel, field, value, how) cat(paste(cur$id, cur$args, sel, field, g(value), how, sep = "\t"), "\n", sep = "")

score_case <- function(assessment, responses, long = FALSE, target = NA, group = NULL, min_answered = 0.5) {
  a <- fromJSON(assessment, simplifyVector = FALSE)
  lo <- a$scale$min; hi <- a$scale$max; labels <- unlist(a$scale$labels); na <- tolower(unlist(a$scale$na))
  qs <- do.call(rbind, lapply(a$dimensions, function(d) do.call(rbind, lapply(d$questions, function(q)
    data.frame(dim = d$id, id = q$id, weight = if (is.null(q$weight)) 1 else q$weight,
               reverse = isTRUE(q$reverse), stringsAsFactors = FALSE)))))
  raw <- read.csv(responses, colClasses = "character", check.names = FALSE)
  if (long) {
    ids <- unique(raw$respondent)
    wide <- data.frame(respondent = ids, stringsAsFactors = FALSE)
    for (q in qs$id) wide[[q]] <- sapply(ids, function(r) { v <- raw$answer[raw$respondent == r & raw$question == q]; if (length(v)) v else "" })
    raw <- wide
  }
  val <- function(s) { s <- trimws(s); if (tolower(s) %in% na || s == "") return(NA)
    k <- match(tolower(s), tolower(labels)); if (!is.na(k)) return(lo + k - 1); as.numeric(s) }
  X <- sapply(qs$id, function(q) if (q %in% names(raw)) sapply(raw[[q]], val) else rep(NA, nrow(raw)))
  X <- matrix(as.numeric(X), nrow = nrow(raw), dimnames = list(NULL, qs$id))
  S <- X; for (j in seq_len(ncol(S))) if (qs$reverse[j]) S[, j] <- lo + hi - S[, j]
  dims <- sapply(a$dimensions, function(d) d$id); W <- sapply(a$dimensions, function(d) d$weight)
  block <- function(rows, prefix) {
    scores <- c(); tg <- c(); gaps <- c()
    for (k in seq_along(dims)) {
      cols <- which(qs$dim == dims[k]); w <- qs$weight[cols]; Sk <- S[rows, cols, drop = FALSE]
      ans <- !is.na(Sk)
      share <- (ans %*% w) / sum(w)
      rs <- ifelse(share >= min_answered & share > 0, rowSums(ifelse(ans, Sk, 0) %*% diag(w, length(w))) / (ans %*% w), NA)
      rs <- rs[!is.na(rs)]
      sel <- paste0(prefix, "|", dims[k])
      sc <- mean(rs); scores <- c(scores, sc)
      out(sel, "score", sc, "mean of respondents' weighted item means")
      out(sel, "n", length(rs), "respondents with a score")
      if (length(rs) >= 2) {
        out(sel, "sd", sd(rs), "sd")
        h <- qt(0.975, length(rs) - 1) * sd(rs) / sqrt(length(rs))
        out(sel, "ci.0", sc - h, "t interval"); out(sel, "ci.1", sc + h, "t interval")
      }
      out(sel, "index", 100 * (sc - lo) / (hi - lo), "100 (score - min)/(max - min)")
      out(sel, "coverage", sum(ans %*% w) / (length(rows) * sum(w)), "answered weight / total weight")
      complete <- Sk[complete.cases(Sk), , drop = FALSE]
      if (ncol(Sk) >= 2 && nrow(complete) >= 2 && var(rowSums(complete)) > 0) {
        k_ <- ncol(complete); alpha <- k_ / (k_ - 1) * (1 - sum(apply(complete, 2, var)) / var(rowSums(complete)))
        out(sel, "alpha", alpha, "k/(k-1) (1 - sum var_i / var_total), complete respondents")
        if (all(apply(complete, 2, var) > 0)) { invisible(capture.output(pa <- suppressMessages(suppressWarnings(psych::alpha(as.data.frame(complete), check.keys = FALSE, warnings = FALSE))), type = "message")); out(sel, "alpha", pa$total$raw_alpha, "psych::alpha(...)$total$raw_alpha (items that vary)") }
      }
      v <- apply(Sk, 2, function(x) { x <- x[!is.na(x)]; if (length(x) >= 2) var(x) else NA }); v <- v[!is.na(v)]
      A <- hi - lo + 1; s2 <- (A^2 - 1) / 12; J <- length(v); r <- mean(v) / s2
      rwg <- if (r >= 1) 0 else J * (1 - r) / (J * (1 - r) + r)
      out(sel, "rwg", min(1, max(0, rwg)), "J(1 - s2/sigma2)/(J(1 - s2/sigma2) + s2/sigma2)")
      if (all(!is.na(Sk)) && nrow(Sk) >= 2 && ncol(Sk) >= 2)
        out(sel, "rwg", min(1, max(0, rwg.j(Sk, A)$rwg.j)), "multilevel::rwg.j(items, ranvar = (A^2-1)/12)")
      t <- if (is.list(target)) target[[dims[k]]] else target
      if (!is.null(t) && !is.na(t)) {
        gap <- max(0, t - sc); out(sel, "gap", gap, "max(0, target - score)")
        out(sel, "priority", gap * W[k] / sum(W), "gap W_d / sum W"); tg <- c(tg, t); gaps <- c(gaps, gap)
      } else { tg <- c(tg, NA); gaps <- c(gaps, NA) }
    }
    ok <- !is.na(scores)
    ov <- sum(W[ok] * scores[ok]) / sum(W[ok])
    out(paste0(prefix, "|overall"), "score", ov, "sum W_d score_d / sum W_d")
    lv <- max(which(sapply(a$levels, function(l) l$min) <= ov))
    out(paste0(prefix, "|overall"), "level", a$levels[[lv]]$level, "highest level with min <= score")
    if (any(!is.na(tg))) {
      has <- !is.na(tg)
      out(paste0(prefix, "|overall"), "percent_to_target", 1 - sum(gaps[has] * W[has]) / sum(pmax(0, tg[has] - lo) * W[has]),
          "1 - sum gap_d W_d / sum max(0, target_d - min) W_d")
    }
  }
  block(seq_len(nrow(raw)), "all")
  if (!is.null(group)) for (gv in sort(unique(raw[[group]]))) block(which(raw[[group]] == gv), paste0("group=", gv))
  invisible(list(S = S, qs = qs, dims = dims, W = W, raw = raw))
}

case("M1", "--assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv --target 3.4 --group-by role")
score_case("assessments/dcx-maturity.json", "examples/maturity_2026.csv", target = 3.4, group = "role")

case("M2", "--assessment tests/data/maturity_small.json --responses tests/data/maturity_long.csv --targets tests/data/maturity_targets.json --min-answered 0.6")
score_case("tests/data/maturity_small.json", "tests/data/maturity_long.csv", long = TRUE,
           target = fromJSON("tests/data/maturity_targets.json", simplifyVector = FALSE), min_answered = 0.6)

case("M3", "--assessment assessments/dcx-pulse.json --responses tests/data/pulse_wide.csv")
score_case("assessments/dcx-pulse.json", "tests/data/pulse_wide.csv")

# compare: Welch t on respondents' dimension scores between rounds
case("C1", "--assessment assessments/dcx-maturity.json --before examples/maturity_2026.csv --after examples/maturity_2027.csv --target 3.4")
rnd <- function(f) {
  e <- new.env(); sink("/dev/null"); on.exit(sink())
  r <- score_case("assessments/dcx-maturity.json", f); r }
b <- rnd("examples/maturity_2026.csv"); f2 <- rnd("examples/maturity_2027.csv")
per <- function(r, k) { cols <- which(r$qs$dim == r$dims[k]); Sk <- r$S[, cols, drop = FALSE]; w <- r$qs$weight[cols]
  ans <- !is.na(Sk); s <- rowSums(ifelse(ans, Sk, 0) %*% diag(w, length(w))) / (ans %*% w); s[(ans %*% w) / sum(w) >= 0.5] }
for (k in seq_along(b$dims)) {
  x <- per(b, k); y <- per(f2, k); sel <- paste0("compare|", b$dims[k])
  out(sel, "before", mean(x), "mean"); out(sel, "after", mean(y), "mean")
  out(sel, "p_value", t.test(y, x)$p.value, "t.test(after scores, before scores)")
  out(sel, "progress", (mean(y) - mean(x)) / (3.4 - mean(x)), "(after - before)/(target - before)")
}
