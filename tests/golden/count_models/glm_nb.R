# Goldens of the count-model tests: R's MASS::glm.nb, glm(poisson / quasipoisson) and
# sandwich::vcovCL on the synthetic panels written by simulate.py.
#
#   Rscript tests/golden/count_models/glm_nb.R     (from the repository root, or from here)
#
# Writes r_<case>.json beside this script. R 4.2.2, MASS 7.3-58.2, sandwich 3.0-2 (Debian
# r-base-core, r-cran-mass, r-cran-sandwich) produced the committed files. The tests never run R.
suppressMessages({
  library(MASS)
  library(sandwich)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(script)) dirname(normalizePath(script)) else "."

num <- function(x) unname(as.numeric(x))
named <- function(x) as.list(setNames(num(x), names(x)))
se_of <- function(v) setNames(sqrt(diag(v)), rownames(v))
digits <- 17

# Every mission or year with no event carries no information under its fixed effect (its
# coefficient diverges): drop such groups repeatedly, as the Python code does.
drop_zero_groups <- function(d, fe) {
  repeat {
    changed <- FALSE
    for (f in fe) {
      tot <- tapply(d$deaths_n, d[[f]], sum)
      zero <- names(tot)[tot == 0]
      if (length(zero)) {
        d <- d[!(as.character(d[[f]]) %in% zero), ]
        changed <- TRUE
      }
    }
    if (!changed) break
  }
  d
}

nb_case <- function(name, data, fe_terms) {
  d <- read.csv(file.path(here, paste0(data, ".csv")))
  d <- drop_zero_groups(d, fe_terms)
  for (f in fe_terms) d[[f]] <- factor(d[[f]])
  rhs <- paste(c("is_treated", "conflict_z", fe_terms), collapse = " + ")
  f <- as.formula(paste("deaths_n ~", rhs, "+ offset(log(personnel_years_n))"))
  # Tight convergence so that R's own answer is at the optimum to ~1e-10.
  fit <- glm.nb(f, data = d, control = glm.control(epsilon = 1e-13, maxit = 1000))
  # Score of the converged fit (beta and theta), to show R reached the optimum.
  mu <- fitted(fit)
  th <- fit$theta
  X <- model.matrix(fit)
  score_beta <- colSums(X * ((d$deaths_n - mu) / (1 + mu / th)))
  score_theta <- sum(digamma(th + d$deaths_n) - digamma(th) + log(th) + 1 -
                       log(th + mu) - (d$deaths_n + th) / (th + mu))
  out <- list(
    case = name,
    formula = deparse1(f),
    nobs = nrow(d),
    events = sum(d$deaths_n),
    zero_share = mean(d$deaths_n == 0),
    coefficients = named(coef(fit)),
    se_model = named(se_of(vcov(fit))),
    theta = num(fit$theta),
    se_theta = num(fit$SE.theta),
    alpha = 1 / num(fit$theta),
    loglik = num(logLik(fit)),
    twologlik = num(fit$twologlik),
    iterations = num(fit$iter),
    max_abs_score_beta = max(abs(score_beta)),
    abs_score_theta = abs(score_theta),
    vcovCL_default = named(se_of(vcovCL(fit, cluster = ~mission_id_un))),
    vcovCL_HC0 = named(se_of(vcovCL(fit, cluster = ~mission_id_un, type = "HC0"))),
    vcovCL_HC1 = named(se_of(vcovCL(fit, cluster = ~mission_id_un, type = "HC1"))),
    sandwich_HC0 = named(se_of(sandwich(fit))),
    vcovHC_HC1 = named(se_of(vcovHC(fit, type = "HC1"))),
    n_clusters = length(unique(d$mission_id_un)),
    R = R.version.string,
    MASS = as.character(packageVersion("MASS")),
    sandwich = as.character(packageVersion("sandwich"))
  )
  writeLines(jsonlite_free(out), file.path(here, paste0("r_", name, ".json")))
}

ppml_case <- function(name) {
  d <- read.csv(file.path(here, paste0(name, ".csv")))
  d <- drop_zero_groups(d, c("mission_id_un", "year"))
  d$mission_id_un <- factor(d$mission_id_un)
  d$year <- factor(d$year)
  f <- deaths_n ~ is_treated + conflict_z + mission_id_un + year + offset(log(personnel_years_n))
  p <- glm(f, data = d, family = poisson, control = glm.control(epsilon = 1e-13, maxit = 1000))
  q <- glm(f, data = d, family = quasipoisson, control = glm.control(epsilon = 1e-13, maxit = 1000))
  out <- list(
    case = name,
    formula = deparse1(f),
    nobs = nrow(d),
    coefficients = named(coef(p)),
    loglik = num(logLik(p)),
    vcovCL_default = named(se_of(vcovCL(p, cluster = ~mission_id_un))),
    vcovCL_HC1 = named(se_of(vcovCL(p, cluster = ~mission_id_un, type = "HC1"))),
    quasipoisson_vcovCL_default = named(se_of(vcovCL(q, cluster = ~mission_id_un))),
    quasipoisson_dispersion = num(summary(q)$dispersion),
    n_clusters = length(unique(d$mission_id_un)),
    R = R.version.string,
    sandwich = as.character(packageVersion("sandwich"))
  )
  writeLines(jsonlite_free(out), file.path(here, paste0("r_", name, ".json")))
}

# A small JSON writer (no jsonlite on a minimal R): numbers with 17 significant digits.
jsonlite_free <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(x)) {
    keys <- names(x)
    parts <- vapply(seq_along(x), function(i) {
      paste0(inner, '"', keys[i], '": ', jsonlite_free(x[[i]], inner))
    }, "")
    return(paste0("{\n", paste(parts, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.character(x)) return(paste0('"', gsub('"', '\\\\"', x), '"'))
  if (is.logical(x)) return(if (x) "true" else "false")
  if (length(x) != 1) stop("scalars only")
  if (!is.finite(x)) return("null")
  sprintf("%.17g", x)
}

nb_case("hard_year_fe", "hard", c("year"))
nb_case("hard_two_way_fe", "hard", c("mission_id_un", "year"))
nb_case("mild", "mild", c("year"))
ppml_case("ppml")
