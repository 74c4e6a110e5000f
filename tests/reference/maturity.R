# maturity.R — reference values for `dcx maturity score` and `compare`, computed in R.
#   Rscript tests/reference/maturity.R > tests/reference/maturity.tsv   (project root)
# Scoring follows docs/methods.md, written again here independently of the C code;
# Cronbach's alpha also from psych::alpha, rwg(J) also from multilevel::rwg.j
# (Debian r-cran-psych, r-cran-multilevel). Row: case, args, selector, field, value, how.
suppressMessages({ library(jsonlite); library(psych); library(multilevel) })
options(digits = 17, warn = 1)
g <- function(x) if (is.character(x)) x else sprintf("%.17g", x)
cur <- NULL
case <- function(id, args) cur <<- list(id = id, args = args)
out <- function(sel, field, value, how) cat(paste(cur$id, cur$args, sel, field, g(value), how, sep = "\t"), "\n", sep = "")

score_case <- function(assessment, responses, long = FALSE, target = NA, group = NULL, min_answered = 0.5) {
  a <- fromJSON(assessment, simplifyVector = FALSE)
  lo <- a$scale$min; hi <- a$scale$max; labels <- unlist(a$scale$labels); na <- tolower(unlist(a$scale$na))
  qs <- do.call(rbind, lapply(a$dimensions, function(d) do.call(rbind, lapply(d$questions, function(q)
    data.frame(dim = d$id, id = q$id, weight = if (is.null(q$weight)) 1 else q$weight,
               reverse = isTRUE(q$reverse), stringsAsFactors = FALSE)))))
  raw <- read.csv(responses, colClasses = "character", check.names = FALSE, na.strings = character(0))
  na_num <- as.numeric(unlist(Filter(is.numeric, a$scale$na)))
  na <- unique(c(na, "n/a", "na", ""))
  if (long) {
    ids <- unique(raw$respondent)
    wide <- data.frame(respondent = ids, stringsAsFactors = FALSE)
    for (q in qs$id) wide[[q]] <- sapply(ids, function(r) { v <- raw$answer[raw$respondent == r & raw$question == q]; if (length(v)) v else "" })
    raw <- wide
  }
  val <- function(s) { s <- trimws(s); if (tolower(s) %in% na || s == "") return(NA)
    k <- match(tolower(s), tolower(labels)); if (!is.na(k)) return(lo + k - 1)
    v <- as.numeric(s); if (v %in% na_num) NA else v }
  X <- sapply(qs$id, function(q) if (q %in% names(raw)) sapply(raw[[q]], val) else rep(NA, nrow(raw)))
  X <- matrix(as.numeric(X), nrow = nrow(raw), dimnames = list(NULL, qs$id))
  present <- if (long) colSums(!is.na(X)) > 0 else qs$id %in% names(raw)  # a column (or an answer)
  S <- X; for (j in seq_len(ncol(S))) if (qs$reverse[j]) S[, j] <- lo + hi - S[, j]
  dims <- sapply(a$dimensions, function(d) d$id)
  W <- sapply(a$dimensions, function(d) if (is.null(d$weight)) 1 else d$weight)
  lower <- sapply(a$dimensions, function(d) identical(d$direction, "lower"))
  block <- function(rows, prefix) {
    scores <- c(); tg <- c(); gaps <- c(); oriented <- c()
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
      o <- if (lower[k]) lo + hi - sc else sc; oriented <- c(oriented, o)
      out(sel, "index", 100 * (o - lo) / (hi - lo), if (lower[k]) "100 (o - min)/(max - min), o = min + max - score: lower is better" else "100 (score - min)/(max - min)")
      if (length(a$levels)) {
        lv <- max(which(sapply(a$levels, function(l) l$min) <= o))
        out(sel, "level", a$levels[[lv]]$level, if (lower[k]) "highest level with min <= o (oriented score)" else "highest level with min <= score")
      }
      out(sel, "coverage", sum(ans %*% w) / (length(rows) * sum(w)), "answered weight / total weight")
      Sp <- Sk[, present[cols], drop = FALSE]  # alpha over the statements present in the file
      complete <- Sp[complete.cases(Sp), , drop = FALSE]
      if (ncol(Sp) >= 2 && nrow(complete) >= 2 && var(rowSums(complete)) > 0) {
        k_ <- ncol(complete); alpha <- k_ / (k_ - 1) * (1 - sum(apply(complete, 2, var)) / var(rowSums(complete)))
        out(sel, "alpha", alpha, "k/(k-1) (1 - sum var_i / var_total), complete respondents")
        if (all(apply(complete, 2, var) > 0)) { invisible(capture.output(pa <- suppressMessages(suppressWarnings(psych::alpha(as.data.frame(complete), check.keys = FALSE, warnings = FALSE))), type = "message")); out(sel, "alpha", pa$total$raw_alpha, "psych::alpha(...)$total$raw_alpha (items that vary)") }
      }
      v <- apply(Sk, 2, function(x) { x <- x[!is.na(x)]; if (length(x) >= 2) var(x) else NA }); v <- v[!is.na(v)]
      A <- hi - lo + 1; s2 <- (A^2 - 1) / 12; J <- length(v); r <- mean(v) / s2
      rwg <- if (r >= 1) 0 else J * (1 - r) / (J * (1 - r) + r)
      out(sel, "rwg", min(1, max(0, rwg)), "J(1 - s2/sigma2)/(J(1 - s2/sigma2) + s2/sigma2)")
      if (all(!is.na(Sk)) && nrow(Sk) >= 2 && ncol(Sk) >= 2)
        out(sel, "rwg", min(1, max(0, rwg.j(Sk, rep(1, nrow(Sk)), (A^2 - 1) / 12)$rwg.j)),
            "multilevel::rwg.j(items, one group, ranvar = (A^2 - 1)/12)")
      t <- if (is.list(target)) target[[dims[k]]] else target
      if (!is.null(t) && !is.na(t)) {
        gap <- if (lower[k]) max(0, sc - t) else max(0, t - sc)
        out(sel, "gap", gap, if (lower[k]) "max(0, score - target): lower is better" else "max(0, target - score)")
        out(sel, "priority", gap * W[k] / sum(W), "gap W_d / sum W"); tg <- c(tg, t); gaps <- c(gaps, gap)
      } else { tg <- c(tg, NA); gaps <- c(gaps, NA) }
    }
    ok <- !is.na(scores)
    ov <- sum(W[ok] * oriented[ok]) / sum(W[ok])
    out(paste0(prefix, "|overall"), "score", ov, "sum W_d o_d / sum W_d, o_d the oriented score (min + max - score where lower is better)")
    if (length(a$levels)) {
      lv <- max(which(sapply(a$levels, function(l) l$min) <= ov))
      out(paste0(prefix, "|overall"), "level", a$levels[[lv]]$level, "highest level with min <= score")
    } else out(paste0(prefix, "|overall"), "level", "null", "no levels in the assessment")
    if (any(!is.na(tg))) {
      has <- !is.na(tg); ot <- ifelse(lower, lo + hi - tg, tg)
      otg <- sum(W[has] * ot[has]) / sum(W[has])
      out(paste0(prefix, "|overall"), "target", otg, "sum W_d ot_d / sum W_d, ot_d the oriented target")
      out(paste0(prefix, "|overall"), "gap", max(0, otg - ov), "max(0, oriented target - overall score)")
    }
    if (any(!is.na(tg))) {
      has <- !is.na(tg)
      span <- ifelse(lower, pmax(0, hi - tg), pmax(0, tg - lo))
      out(paste0(prefix, "|overall"), "percent_to_target", 1 - sum(gaps[has] * W[has]) / sum(span[has] * W[has]),
          "1 - sum gap_d W_d / sum span_d W_d, span = target - min (max - target where lower is better)")
    }
  }
  block(seq_len(nrow(raw)), "all")
  if (!is.null(group)) for (gv in sort(unique(raw[[group]]))) block(which(raw[[group]] == gv), paste0("group=", gv))
  invisible(list(S = S, qs = qs, dims = dims, W = W, raw = raw))
}

case("M1", "--assessment assessments/dcx-maturity.json --responses examples/maturity_2026.csv --target 3.4 --group-by role --min-group-size 4")
score_case("assessments/dcx-maturity.json", "examples/maturity_2026.csv", target = 3.4, group = "role")

case("M2", "--assessment tests/data/maturity_small.json --responses tests/data/maturity_long.csv --targets tests/data/maturity_targets.json --min-answered 0.6")
score_case("tests/data/maturity_small.json", "tests/data/maturity_long.csv", long = TRUE,
           target = fromJSON("tests/data/maturity_targets.json", simplifyVector = FALSE), min_answered = 0.6)

case("M3", "--assessment assessments/dcx-pulse.json --responses tests/data/pulse_wide.csv")
score_case("assessments/dcx-pulse.json", "tests/data/pulse_wide.csv")

# compare: Welch t on respondents' dimension scores between rounds; levels, the target status and
# progress on the oriented scale (min + max - score where lower is better)
compare_case <- function(assessment, before, after, target, group = NULL) {
  a <- fromJSON(assessment, simplifyVector = FALSE); lo <- a$scale$min; hi <- a$scale$max
  quiet <- function(f) { sink("/dev/null"); on.exit(sink()); score_case(assessment, f) }
  rb <- quiet(before); ra <- quiet(after)
  lower <- sapply(a$dimensions, function(d) identical(d$direction, "lower"))
  W <- sapply(a$dimensions, function(d) if (is.null(d$weight)) 1 else d$weight)
  # respondents' dimension scores (NA below --min-answered 0.5)
  per <- function(r, k) { cols <- which(r$qs$dim == r$dims[k]); Sk <- r$S[, cols, drop = FALSE]; w <- r$qs$weight[cols]
    ans <- !is.na(Sk); s <- as.vector(rowSums(ifelse(ans, Sk, 0) %*% diag(w, length(w))) / (ans %*% w))
    s[as.vector((ans %*% w) / sum(w)) < 0.5] <- NA; s }
  orient <- function(k, x) if (lower[k]) lo + hi - x else x
  lvl <- function(o) if (!length(a$levels) || is.na(o)) "null" else a$levels[[max(which(sapply(a$levels, function(l) l$min) <= o))]]$level
  tg <- if (is.list(target)) sapply(a$dimensions, function(d) if (is.null(target[[d$id]])) NA else target[[d$id]]) else rep(target, length(W))
  entry <- function(sel, x, y, b, f, t, ob, of, ot) {
    out(sel, "before", b, "mean of respondents' scores (overall: sum W o_d / sum W)"); out(sel, "after", f, "same, second round")
    out(sel, "delta", f - b, "after - before")
    tt <- t.test(y, x)
    out(sel, "p_value", tt$p.value, "t.test(after, before) (Welch)")
    out(sel, "delta_ci.0", tt$conf.int[1], "t.test(after, before)$conf.int (Welch)"); out(sel, "delta_ci.1", tt$conf.int[2], "t.test(after, before)$conf.int (Welch)")
    out(sel, "level_before", lvl(ob), "level of the oriented score"); out(sel, "level_after", lvl(of), "level of the oriented score")
    if (!is.na(t)) {
      st <- if (ob >= ot && of >= ot) "met" else if (of >= ot) "reached" else if (ob >= ot) "fell below" else "not met"
      out(sel, "target_status", st, "met / reached / fell below / not met, on the oriented scale")
      if (ob < ot) out(sel, "progress", (f - b) / (t - b), "(after - before)/(target - before), first round short of target")
      else out(sel, "progress", "null", "target already met in the first round")
    }
  }
  block <- function(ib, ia, prefix) {
    sb <- c(); sa <- c(); OB <- 0; OA <- 0
    for (k in seq_along(rb$dims)) {
      x <- per(rb, k)[ib]; y <- per(ra, k)[ia]; x <- x[!is.na(x)]; y <- y[!is.na(y)]
      sb <- c(sb, mean(x)); sa <- c(sa, mean(y))
      entry(paste0(prefix, "|", rb$dims[k]), x, y, mean(x), mean(y), tg[k], orient(k, mean(x)), orient(k, mean(y)), orient(k, tg[k]))
    }
    # respondents' overall scores: weighted mean of their own oriented dimension scores
    ov <- function(r, idx) { M <- sapply(seq_along(r$dims), function(k) orient(k, per(r, k)))[idx, , drop = FALSE]
      v <- apply(M, 1, function(s) { ok <- !is.na(s); if (any(ok)) sum(W[ok] * s[ok]) / sum(W[ok]) else NA }); v[!is.na(v)] }
    ob <- sum(W * sapply(seq_along(sb), function(k) orient(k, sb[k]))) / sum(W)
    of <- sum(W * sapply(seq_along(sa), function(k) orient(k, sa[k]))) / sum(W)
    ot <- if (all(is.na(tg))) NA else sum(W * sapply(seq_along(tg), function(k) orient(k, tg[k]))) / sum(W)
    entry(paste0(prefix, "|overall"), ov(rb, ib), ov(ra, ia), ob, of, ot, ob, of, ot)
  }
  block(seq_len(nrow(rb$raw)), seq_len(nrow(ra$raw)), "compare")
  if (!is.null(group)) for (gv in sort(unique(c(rb$raw[[group]], ra$raw[[group]]))))
    block(which(rb$raw[[group]] == gv), which(ra$raw[[group]] == gv), paste0("group=", gv))
}
case("C1", "--assessment assessments/dcx-maturity.json --before examples/maturity_2026.csv --after examples/maturity_2027.csv --target 3.4")
compare_case("assessments/dcx-maturity.json", "examples/maturity_2026.csv", "examples/maturity_2027.csv", 3.4)
# every target status, a lower-is-better dimension, groups (tests/data/status_*.csv, written by hand)
case("C2", "--assessment tests/data/status.json --before tests/data/status_before.csv --after tests/data/status_after.csv --target 3 --group-by team --min-group-size 2")
compare_case("tests/data/status.json", "tests/data/status_before.csv", "tests/data/status_after.csv", 3, group = "team")

# ---- a question without a column: alpha over the statements present (str5 left out) ------------
m <- read.csv("examples/maturity_2026.csv", colClasses = "character", check.names = FALSE)
write.csv(m[, names(m) != "str5"], "tests/data/maturity_nostr5.csv", row.names = FALSE, quote = FALSE)
case("M4", "--assessment assessments/dcx-maturity.json --responses tests/data/maturity_nostr5.csv --target 3.4")
score_case("assessments/dcx-maturity.json", "tests/data/maturity_nostr5.csv", target = 3.4)
# ---- a survey export's answers as plain numbers (tests/data/exports/plain.csv): the Qualtrics,
# LimeSurvey, SurveyMonkey and Google Forms exports of the same answers must score the same --
case("E1", "--assessment assessments/dcx-pulse.json --responses tests/data/exports/plain.csv --group-by team --min-group-size 3")
score_case("assessments/dcx-pulse.json", "tests/data/exports/plain.csv", group = "team")

# ---- scales other than 1-5: rwg(J)'s null variance is (A^2 - 1)/12 with A = max - min + 1 -----
six <- list(id = "six", version = "1", title = "A six-point scale", scale = list(min = 1, max = 6),
  levels = list(list(level = 1, name = "low", min = 1), list(level = 2, name = "high", min = 3.5)),
  dimensions = list(
    list(id = "a", name = "A", questions = lapply(1:4, function(i) list(id = paste0("a", i), text = "t", reverse = i == 4)),
         recommendations = list(`2` = "keep going")),
    list(id = "b", name = "B", questions = lapply(1:3, function(i) list(id = paste0("b", i), text = "t")),
         recommendations = list(`2` = "keep going"))))
writeLines(jsonlite::toJSON(six, auto_unbox = TRUE, pretty = TRUE), "tests/data/six_point.json")
set.seed(606)
sx <- data.frame(respondent = sprintf("s%02d", 1:30))
for (q in c(paste0("a", 1:4), paste0("b", 1:3))) sx[[q]] <- pmin(6, pmax(1, round(rnorm(30, 4, 1.2))))
sx$a4 <- 7 - sx$a4
write.csv(sx, "tests/data/six_point.csv", row.names = FALSE, quote = FALSE)
case("S6", "--assessment tests/data/six_point.json --responses tests/data/six_point.csv --target 4.5")
score_case("tests/data/six_point.json", "tests/data/six_point.csv", target = 4.5)

ten <- list(id = "ten", version = "1", title = "A 0-10 scale with numeric missing codes and steps",
  scale = list(min = 0, max = 10, na = list(-9, 99, "skip"), step = 1),
  dimensions = list(
    list(id = "x", name = "X", questions = lapply(1:3, function(i) list(id = paste0("x", i), text = "t"))),
    list(id = "y", name = "Y", direction = "lower", questions = lapply(1:3, function(i) list(id = paste0("y", i), text = "t", reverse = i == 2))),
    list(id = "z", name = "Z", questions = lapply(1:2, function(i) list(id = paste0("z", i), text = "t")))))
writeLines(jsonlite::toJSON(ten, auto_unbox = TRUE, pretty = TRUE), "tests/data/ten_point.json")
set.seed(1010)
tx <- data.frame(respondent = sprintf("t%02d", 1:25), team = rep(c("ops", "sales"), length.out = 25))
for (q in c(paste0("x", 1:3), paste0("y", 1:3), paste0("z", 1:2))) tx[[q]] <- as.character(pmin(10, pmax(0, round(rnorm(25, 6, 2)))))
tx$x2[c(3, 9)] <- "-9"; tx$y3[5] <- "99"; tx$z1[7] <- "skip"
write.csv(tx, "tests/data/ten_point.csv", row.names = FALSE, quote = FALSE)
case("S10", "--assessment tests/data/ten_point.json --responses tests/data/ten_point.csv --target 7 --group-by team")
score_case("tests/data/ten_point.json", "tests/data/ten_point.csv", target = 7, group = "team")
tc <- tx[complete.cases(as.data.frame(lapply(tx, function(v) ifelse(v %in% c("-9", "99", "skip"), NA, v)))), ]
write.csv(tc, "tests/data/ten_point_complete.csv", row.names = FALSE, quote = FALSE)
case("S10c", "--assessment tests/data/ten_point.json --responses tests/data/ten_point_complete.csv")
score_case("tests/data/ten_point.json", "tests/data/ten_point_complete.csv")

# ---- a real instrument: the Big Five items of psych::bfi (2,800 respondents, 25 items, reverse
# keys, missing answers), scored by the rules of docs/methods.md and by psych::alpha and
# multilevel::rwg.j on complete cases ----------------------------------------------------------
data(bfi, package = "psych")
keys <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
names5 <- c(A = "Agreeableness", C = "Conscientiousness", E = "Extraversion", N = "Neuroticism", O = "Openness")
bj <- list(id = "bfi", version = "psych", title = "Big Five Inventory (psych::bfi)",
  scale = list(min = 1, max = 6, labels = c("Very inaccurate", "Moderately inaccurate", "Slightly inaccurate",
                                             "Slightly accurate", "Moderately accurate", "Very accurate")),
  dimensions = lapply(names(names5), function(k) c(list(id = tolower(k), name = unname(names5[k])),
    if (k == "N") list(direction = "lower") else list(),
    list(questions = lapply(paste0(k, 1:5), function(q) list(id = q, text = q, reverse = q %in% keys))))))
writeLines(jsonlite::toJSON(bj, auto_unbox = TRUE, pretty = TRUE), "tests/data/bfi.json")
b <- data.frame(respondent = rownames(bfi), gender = ifelse(bfi$gender == 1, "male", "female"), bfi[, 1:25])
write.csv(b, "tests/data/bfi.csv", row.names = FALSE, quote = FALSE, na = "NA")
write.csv(b[complete.cases(b), ], "tests/data/bfi_complete.csv", row.names = FALSE, quote = FALSE, na = "NA")
case("B1", "--assessment tests/data/bfi.json --responses tests/data/bfi.csv --target 4 --group-by gender")
score_case("tests/data/bfi.json", "tests/data/bfi.csv", target = 4, group = "gender")
case("B2", "--assessment tests/data/bfi.json --responses tests/data/bfi_complete.csv")
r <- score_case("tests/data/bfi.json", "tests/data/bfi_complete.csv")
