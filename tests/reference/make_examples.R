# make_examples.R — the example experiments in examples/, generated reproducibly.
#   Rscript tests/reference/make_examples.R      (from the project root)
set.seed(20261122)
wcsv <- function(df, path) write.csv(df, path, row.names = FALSE, quote = FALSE, na = "")

# 1. Checkout redesign: conversion, revenue, pages per session; country and device segments.
n <- 30000
variant <- sample(c("control", "treatment"), n, replace = TRUE)
country <- sample(c("US", "DE", "FR", "UK", "ES"), n, replace = TRUE, prob = c(.4, .2, .15, .15, .1))
device <- sample(c("desktop", "mobile", "tablet"), n, replace = TRUE, prob = c(.45, .45, .1))
day <- sprintf("2026-03-%02d", sample(1:14, n, replace = TRUE))
base <- ifelse(device == "mobile", 0.028, ifelse(device == "tablet", 0.035, 0.041))
lift <- ifelse(variant == "treatment", ifelse(device == "mobile", 1.30, 1.05), 1)
converted <- rbinom(n, 1, base * lift)
revenue <- ifelse(converted == 1, round(rlnorm(n, 4, 0.6), 2), 0)
revenue[sample(n, 60)] <- NA   # tracking gaps: missing values
sessions <- 1 + rpois(n, 2)
pageviews <- sessions + rpois(n, 3 * sessions * ifelse(variant == "treatment", 1.04, 1))
wcsv(data.frame(user_id = sprintf("u%05d", 1:n), variant, country, device, day, converted,
                revenue, sessions, pageviews), "examples/checkout_test.csv")

# 2. Premium upsell: revenue per customer with last quarter's revenue as CUPED covariate.
n <- 6000
variant <- sample(c("control", "treatment"), n, replace = TRUE)
plan <- sample(c("basic", "plus", "pro"), n, replace = TRUE, prob = c(.6, .3, .1))
pre_revenue <- round(rgamma(n, shape = 2, scale = ifelse(plan == "pro", 60, ifelse(plan == "plus", 35, 20))), 2)
revenue <- round(pmax(0, 0.8 * pre_revenue + rnorm(n, 10, 12) + ifelse(variant == "treatment", 1.8, 0)), 2)
wcsv(data.frame(customer_id = sprintf("c%05d", 1:n), variant, plan, pre_revenue, revenue),
     "examples/revenue_test.csv")

# 3. Support experience survey: NPS (0-10) under three variants, by channel.
n <- 2400
variant <- sample(c("control", "chat_support", "new_onboarding"), n, replace = TRUE)
channel <- sample(c("app", "web", "store"), n, replace = TRUE, prob = c(.5, .35, .15))
shift <- ifelse(variant == "chat_support", 0.6, ifelse(variant == "new_onboarding", 0.2, 0))
score <- pmin(10, pmax(0, round(rnorm(n, 7.2 + shift, 2))))
week <- sample(1:6, n, replace = TRUE)
wcsv(data.frame(respondent = sprintf("r%04d", 1:n), variant, channel, week, nps = score),
     "examples/nps_survey.csv")

# 4. DCX maturity worksheets: 12 respondents in three roles, two rounds (2026, 2027).
#    Executives see the organisation more favourably than the front line (the perception
#    gap), reverse-worded statements are answered the other way round, some statements are
#    N/A or answered with the scale's labels, as survey tools export them.
a <- jsonlite_free <- NULL
qids <- c(sprintf("str%d", 1:5), sprintf("cul%d", 1:5), sprintf("voc%d", 1:5), sprintf("jrn%d", 1:5),
          sprintf("omn%d", 1:5), sprintf("per%d", 1:5), sprintf("dat%d", 1:5), sprintf("tec%d", 1:5),
          sprintf("ser%d", 1:5), sprintf("mea%d", 1:5))
reverse <- c("str3", "cul3", "voc4", "jrn4", "omn4", "per3", "dat3", "tec4", "ser4", "mea4")
dim_level <- c(str = 3.3, cul = 2.9, voc = 3.1, jrn = 2.5, omn = 2.0, per = 2.2, dat = 2.4, tec = 2.7, ser = 3.2, mea = 2.8)
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
worksheet <- function(round_shift, seed) {
  set.seed(seed)
  roles <- rep(c("executive", "manager", "frontline"), each = 4)
  role_shift <- c(executive = 0.7, manager = 0.2, frontline = -0.5)
  rows <- lapply(seq_along(roles), function(i) {
    person <- rnorm(1, 0, 0.3)
    ans <- sapply(qids, function(q) {
      mu <- dim_level[substr(q, 1, 3)] + role_shift[roles[i]] + person + round_shift + rnorm(1, 0, 0.6)
      x <- min(5, max(1, round(mu)))
      if (q %in% reverse) x <- 6 - x
      x
    })
    ans <- as.character(ans)
    ans[runif(length(ans)) < 0.05] <- "N/A"
    lab <- runif(length(ans)) < 0.08 & ans != "N/A"
    ans[lab] <- labels[as.integer(ans[lab])]
    c(respondent = sprintf("%s-%02d", substr(roles[i], 1, 4), i), role = roles[i],
      business_unit = sample(c("retail", "online"), 1), ans)
  })
  df <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(df) <- c("respondent", "role", "business_unit", qids)
  df
}
write.csv(worksheet(0, 2026), "examples/maturity_2026.csv", row.names = FALSE)
write.csv(worksheet(0.45, 2027), "examples/maturity_2027.csv", row.names = FALSE)

# 5. Onboarding flows, a 30/30/40 design whose order (control, short, guided) is not the
#    alphabetical one: the split is healthy, and only a stated design can tell.
set.seed(20261123)
n <- 20000
variant <- sample(c("control", "short", "guided"), n, replace = TRUE, prob = c(.3, .3, .4))
activated <- rbinom(n, 1, ifelse(variant == "short", 0.215, ifelse(variant == "guided", 0.228, 0.21)))
signup_day <- sprintf("2026-10-%02d", sample(5:25, n, replace = TRUE))
wcsv(data.frame(user_id = sprintf("n%05d", 1:n), variant, signup_day, activated), "examples/onboarding_test.csv")

# 6. Checkout with guardrails: a success metric (conversion), revenue that must not fall by
#    more than 2%, and page load time whose 90th percentile must not rise by more than 50 ms.
#    'express' lifts conversion and leaves load time alone; 'rich' lifts conversion as much
#    but slows the page down: one should ship, the other not.
set.seed(20261124)
n <- 30000
variant <- sample(c("control", "express", "rich"), n, replace = TRUE)
device <- sample(c("desktop", "mobile"), n, replace = TRUE, prob = c(.45, .55))
converted <- rbinom(n, 1, ifelse(variant == "control", 0.032, 0.038))
revenue <- ifelse(converted == 1, round(rlnorm(n, 4.05, 0.5), 2), 0)
load_ms <- round(rlnorm(n, log(820), 0.45) * ifelse(variant == "rich", 1.22, 1) * ifelse(device == "mobile", 1.15, 1))
wcsv(data.frame(user_id = sprintf("g%05d", 1:n), variant, device, converted, revenue, load_ms),
     "examples/checkout_guardrails.csv")

# 7. Search redesign: pages per session, a ratio metric (pageviews / sessions over the test's
#    two weeks), with each user's pageviews and sessions of the four weeks before as the CUPED
#    covariate pair. A user's browsing habit (how many sessions, how deep each goes) carries
#    over from one period to the next; the treatment deepens sessions by about 3%. Some users
#    are new (no pre-period: their covariates are 0), some sessions went untracked (empty).
set.seed(20261125)
n <- 8000
variant <- sample(c("control", "treatment"), n, replace = TRUE)
device <- sample(c("desktop", "mobile"), n, replace = TRUE, prob = c(.4, .6))
activity <- rgamma(n, shape = 2, scale = 1)           # sessions per week, by habit
depth <- rgamma(n, shape = 6, scale = 0.6) * ifelse(device == "desktop", 1.2, 1)
new_user <- runif(n) < 0.08
pre_sessions <- ifelse(new_user, 0, rpois(n, 4 * activity))
pre_pageviews <- ifelse(pre_sessions > 0, rpois(n, pre_sessions * depth), 0)
sessions <- 1 + rpois(n, 2 * activity)
pageviews <- sessions + rpois(n, sessions * depth * ifelse(variant == "treatment", 1.03, 1))
sessions[sample(n, 25)] <- NA
wcsv(data.frame(user_id = sprintf("s%05d", 1:n), variant, device, pre_pageviews, pre_sessions,
                pageviews, sessions), "examples/sessions_test.csv")
