#!/usr/bin/env Rscript
# Hodges-Lehmann estimates and confidence intervals computed by R's own
# wilcox.test(conf.int = TRUE) -- the reference of
# harness/stats/tests/stats_hl_r_reference.rs. Nothing here is shared with
# the Rust implementation: R computes the exact interval from its qwilcox.
#
# Usage: Rscript scripts/stats-ref/hl_reference.R [DATASETS [OUT]]
#   DATASETS: hl_datasets.tsv (name <TAB> x,x,... <TAB> y,y,...); every
#   dataset has no ties and fewer than 50 values per side, so R uses the
#   exact distribution.
#   OUT: hl_reference.tsv (name, confidence, estimate, lo, hi of y - x).
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)[1])))
datasets <- if (length(args) >= 1) args[1] else file.path(here, "hl_datasets.tsv")
out <- if (length(args) >= 2) args[2] else file.path(here, "hl_reference.tsv")
rows <- c("name\tconfidence\testimate\tlo\thi")
for (line in readLines(datasets)) {
  f <- strsplit(line, "\t", fixed = TRUE)[[1]]
  x <- as.numeric(strsplit(f[2], ",", fixed = TRUE)[[1]])
  y <- as.numeric(strsplit(f[3], ",", fixed = TRUE)[[1]])
  for (conf in c(0.90, 0.95, 0.99)) {
    # Shift of y relative to x: wilcox.test(y, x) estimates y - x.
    w <- wilcox.test(y, x, conf.int = TRUE, conf.level = conf, exact = TRUE)
    rows <- c(rows, sprintf("%s\t%.2f\t%.17g\t%.17g\t%.17g", f[1], conf,
                            unname(w$estimate), w$conf.int[1], w$conf.int[2]))
  }
}
writeLines(rows, out)
cat(sprintf("wrote %s (%s, %d datasets)\n", out, R.version.string, length(rows) - 1))
