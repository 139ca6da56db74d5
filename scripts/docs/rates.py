"""95 % intervals for the rates of the real-run power tables.

* `exact(k, n)`: the Clopper-Pearson interval of a binomial proportion, for
  counts of independent units (suites: one per trial);
* `by_trial(ks, ns)`: a percentile bootstrap over trials of sum(k) / sum(n),
  for rows: the rows of one trial share the machine's state during that
  trial (a slow period misses several of them together), so they are
  resampled as a cluster, never one by one. Seeded: the same interval on
  any machine.

Checked against SciPy (`binomtest(...).proportion_ci(method="exact")`) by
scripts/docs/test_rates.py.
"""
import math
import random

LEVEL = 0.95


def _binom_cdf(k, n, p):
    """P(X <= k) for X ~ Binomial(n, p), summed in log space."""
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 1.0 if k >= n else 0.0
    lp, lq = math.log(p), math.log1p(-p)
    return min(1.0, sum(math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp
                                 + (n - i) * lq) for i in range(0, k + 1)))


def _solve(f, target):
    """The p in [0, 1] where the decreasing f(p) crosses target (bisection)."""
    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if f(mid) > target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def exact(k, n, level=LEVEL):
    """Clopper-Pearson interval (lo, hi) of the proportion k / n."""
    if n <= 0:
        return (0.0, 1.0)
    a = (1 - level) / 2
    # lo: P(X >= k) = a, i.e. cdf(k - 1) = 1 - a; hi: cdf(k) = a.
    lo = 0.0 if k == 0 else _solve(lambda p: _binom_cdf(k - 1, n, p), 1 - a)
    hi = 1.0 if k == n else _solve(lambda p: _binom_cdf(k, n, p), a)
    return (lo, hi)


def by_trial(ks, ns, level=LEVEL, resamples=4000, seed=20261201):
    """Percentile bootstrap interval of sum(ks) / sum(ns), trials resampled
    with replacement (ks[i] of ns[i] rows of trial i)."""
    pairs = [(k, n) for k, n in zip(ks, ns) if n > 0]
    if not pairs:
        return (0.0, 1.0)
    rng = random.Random(seed)
    stats = []
    for _ in range(resamples):
        draw = [pairs[rng.randrange(len(pairs))] for _ in pairs]
        stats.append(sum(k for k, _ in draw) / sum(n for _, n in draw))
    stats.sort()
    a = (1 - level) / 2
    return (stats[int(math.floor(a * (resamples - 1)))], stats[int(math.ceil((1 - a) * (resamples - 1)))])


def cell(k, n, interval):
    """`k/n (p %; lo–hi %)`."""
    lo, hi = interval
    return f"{k}/{n} ({100 * k / max(n, 1):.0f} %; {100 * lo:.0f}–{100 * hi:.0f})"
