// Poisson tail probabilities in log space: a spike's p-value can be far below what a double holds
// (1e-400), and the score we report is -log10(p), so we never leave log space.

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
  -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.9999999999998099;
  for (let i = 0; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln P(a, x), the regularized lower incomplete gamma function, by series (x < a + 1). */
function logLowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
  }
  return Math.log(sum) - x + a * Math.log(x) - logGamma(a);
}

/** ln Q(a, x), the regularized upper incomplete gamma function, by Lentz's continued fraction (x ≥ a + 1). */
function logUpperGammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.log(h) - x + a * Math.log(x) - logGamma(a);
}

/**
 * ln P(X ≥ k) for X ~ Poisson(lambda). Uses P(X ≥ k) = P(k, lambda) (regularized lower incomplete gamma).
 */
export function logPoissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return Number.NEGATIVE_INFINITY;
  if (lambda < k + 1) return logLowerGammaSeries(k, lambda);
  const logQ = logUpperGammaFraction(k, lambda);
  // P = 1 - Q; when Q is close to 1 the tail is ~1 and precision loss does not matter for alerting.
  return Math.log1p(-Math.min(Math.exp(logQ), 1 - 1e-16));
}

/** -log10 P(X ≥ k), the "surprise" of seeing k or more when lambda was expected. */
export function poissonSurprise(k: number, lambda: number): number {
  return -logPoissonUpperTail(k, lambda) / Math.LN10;
}
