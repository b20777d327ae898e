# Standard errors of notebook 02's headline NB2 model under R's convention:
# glm(..., family = negative.binomial(theta = 1 / alpha_hat)) and sandwich::vcovCL clustered by
# mission, type HC0 (the default) and HC1. alpha_hat is our NB2 estimate (MASS::glm.nb itself fails
# on this frame: its moment start breaks IRLS). Usage:
#   Rscript headline_vcovcl.R <frame.csv from export_frame.py> <alpha_hat>
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages({library(MASS); library(sandwich)})
d <- read.csv(args[1])
alpha <- as.numeric(args[2])
d$year <- factor(d$year)
m <- glm(fatalities_hostile_n ~ is_robust_mandate + log_host_deaths + has_jihadist_conflict + year +
           offset(log(personnel_years_n)), family = negative.binomial(1 / alpha), data = d,
         control = glm.control(epsilon = 1e-12, maxit = 200))
b <- coef(m)["is_robust_mandate"]
se0 <- sqrt(diag(vcovCL(m, cluster = ~mission_id_un, type = "HC0")))["is_robust_mandate"]
se1 <- sqrt(diag(vcovCL(m, cluster = ~mission_id_un, type = "HC1")))["is_robust_mandate"]
cat(sprintf("n %d clusters %d\n", nrow(d), length(unique(d$mission_id_un))))
cat(sprintf("estimate %.15g ratio %.15g\n", b, exp(b)))
cat(sprintf("se_hc0 %.15g\nse_hc1 %.15g\n", se0, se1))
