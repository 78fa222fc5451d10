"""Comparisons worded from the numbers: a verdict says "faster" or "helped" only when the data carry it."""
from scipy.stats import binomtest


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a proportion, e.g. ``wilson_interval(8, 20)`` → about (0.22, 0.61)."""
    interval = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="wilson")
    return float(interval.low), float(interval.high)


def rate_against_chance(successes: int, trials: int, chance: float, what: str = "accuracy") -> str:
    """``"accuracy 8/20 = 0.40 (95% interval 0.22–0.61); chance 0.33 is inside: ..."`` for a small sample."""
    low, high = wilson_interval(successes, trials)
    if low > chance:
        verdict = f"above chance ({chance:.2f})"
    elif high < chance:
        verdict = f"below chance ({chance:.2f})"
    else:
        verdict = f"chance ({chance:.2f}) is inside the interval: not distinguishable from guessing"
    return f"{what} {successes}/{trials} = {successes / trials:.2f} (95% interval {low:.2f}–{high:.2f}); {verdict}"


def paired_difference(helped: int, hurt: int, trials: int, change: str = "the change") -> str:
    """Word a paired comparison on the same items by the exact McNemar test (a binomial test on the discordant pairs).

    ``helped``: items right only with the change; ``hurt``: right only without it.
    """
    discordant = helped + hurt
    p_value = binomtest(helped, discordant).pvalue if discordant else 1.0
    counts = f"{change} fixed {helped} and broke {hurt} of {trials} (exact McNemar p = {p_value:.2f})"
    if p_value >= 0.05:
        return f"{counts}: a difference inside the noise of {trials} items"
    return f"{counts}: {'helped' if helped > hurt else 'hurt'}, beyond the noise of {trials} items"


def ratio_verdict(ratio: float, noise: float, above: str = "faster", below: str = "slower") -> str:
    """Word a measured ratio (new / old) against the run-to-run ``noise`` (0.1 = ±10%) measured for it."""
    if abs(ratio - 1.0) <= noise:
        return f"{ratio:.2f}×: within the ±{noise:.0%} run-to-run noise, about the same"
    return f"{ratio:.2f}×: {above if ratio > 1 else below}, beyond the ±{noise:.0%} run-to-run noise"
