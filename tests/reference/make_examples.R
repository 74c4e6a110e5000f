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
