"""Small statistics the reports need, without scipy: Student's t quantile, and the pre/post
step that turns per-cohort aggregates (n, mean, SD of the changes) into a 95 % confidence
interval and the effect size d_z."""
from __future__ import annotations

import math


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta function (modified Lentz)."""
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for num in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t value with P(T <= t) = p, by bisection on the CDF (ample for report figures)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("p must be in (0, 1) and df > 0")
    low, high = -1e3, 1e3
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2.0


def paired_summary(n: int, mean: float | None, sd: float | None, level: float = 0.95) -> dict:
    """95 % CI of the mean change (t with n-1 df) and d_z = mean / SD; None where undefined."""
    out = {"ci_low": None, "ci_high": None, "d_z": None}
    if n is None or n < 2 or mean is None or sd is None or math.isnan(sd):
        return out
    half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    out["ci_low"], out["ci_high"] = mean - half, mean + half
    out["d_z"] = mean / sd if sd > 0 else None
    return out
