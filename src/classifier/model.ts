// Multinomial logistic regression over hashed features, trained with seeded SGD (AdaGrad step sizes).
// Pure TypeScript and float64 throughout, so the same data gives the same bytes on every run.
import type { SparseVector } from "./features.js";

export interface TrainingExample {
  x: SparseVector;
  y: number;
  /** Importance of this example (pseudo-labels and hand-written seeds count less than real labels). */
  weight: number;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Reweight classes so each contributes equally: macro-F1 is what we are judged on. */
  balanceClasses: boolean;
}

export interface LinearModel {
  classes: string[];
  bits: number;
  /** Row-major [feature * classes.length + class]; int16 when loaded from the committed file (half the memory, fewer cache misses). */
  weights: Float32Array | Int16Array | Int8Array;
  /** Multiplier turning stored weights into real ones (1 for float weights). */
  weightScale: number;
  bias: Float32Array;
}

/** mulberry32: a tiny, well-mixed seeded PRNG; Math.random would make training irreproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function trainLinearModel(
  examples: readonly TrainingExample[],
  classes: string[],
  bits: number,
  options: TrainOptions,
): LinearModel {
  const k = classes.length;
  const dim = 1 << bits;
  const w = new Float64Array(dim * k);
  const g2 = new Float64Array(dim * k);
  const b = new Float64Array(k);
  const gb2 = new Float64Array(k);

  const classWeight = new Float64Array(k).fill(1);
  if (options.balanceClasses) {
    const totals = new Float64Array(k);
    for (const e of examples) totals[e.y] = (totals[e.y] ?? 0) + e.weight;
    const sum = totals.reduce((a, v) => a + v, 0);
    for (let c = 0; c < k; c++) {
      const t = totals[c] ?? 0;
      classWeight[c] = t > 0 ? sum / (k * t) : 0;
    }
  }

  const scores = new Float64Array(k);
  let order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    order = seededShuffle(order, options.seed + epoch * 7919);
    for (const idx of order) {
      const e = examples[idx] as TrainingExample;
      const { indices, values } = e.x;
      for (let c = 0; c < k; c++) scores[c] = b[c] as number;
      for (let j = 0; j < indices.length; j++) {
        const base = (indices[j] as number) * k;
        const v = values[j] as number;
        for (let c = 0; c < k; c++) scores[c] = (scores[c] as number) + (w[base + c] as number) * v;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, scores[c] as number);
      let z = 0;
      for (let c = 0; c < k; c++) {
        const ex = Math.exp((scores[c] as number) - max);
        scores[c] = ex;
        z += ex;
      }
      const scale = e.weight * (classWeight[e.y] as number);
      for (let c = 0; c < k; c++) {
        const grad = ((scores[c] as number) / z - (c === e.y ? 1 : 0)) * scale;
        if (grad === 0) continue;
        gb2[c] = (gb2[c] as number) + grad * grad;
        b[c] = (b[c] as number) - (options.learningRate * grad) / Math.sqrt((gb2[c] as number) + 1e-8);
        for (let j = 0; j < indices.length; j++) {
          const at = (indices[j] as number) * k + c;
          const g = grad * (values[j] as number) + options.l2 * (w[at] as number);
          g2[at] = (g2[at] as number) + g * g;
          w[at] = (w[at] as number) - (options.learningRate * g) / Math.sqrt((g2[at] as number) + 1e-8);
        }
      }
    }
  }
  return { classes, bits, weights: Float32Array.from(w), weightScale: 1, bias: Float32Array.from(b) };
}

export function predictProbabilities(model: LinearModel, x: SparseVector, out?: Float64Array): Float64Array {
  const k = model.classes.length;
  const scores = out ?? new Float64Array(k);
  const { weights, bias, weightScale } = model;
  for (let c = 0; c < k; c++) scores[c] = bias[c] as number;
  const { indices, values } = x;
  for (let j = 0; j < indices.length; j++) {
    const base = (indices[j] as number) * k;
    const v = (values[j] as number) * weightScale;
    for (let c = 0; c < k; c++) scores[c] = (scores[c] as number) + (weights[base + c] as number) * v;
  }
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, scores[c] as number);
  let z = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((scores[c] as number) - max);
    scores[c] = e;
    z += e;
  }
  for (let c = 0; c < k; c++) scores[c] = (scores[c] as number) / z;
  return scores;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/** The committed form: int16- or int8-quantized weights in base64, small enough to ship and byte-stable. */
export interface SerializedModel {
  classes: string[];
  bits: number;
  scale: number;
  /** Bytes per stored weight (absent: 2). */
  bytes?: 1 | 2;
  bias: number[];
  weights: string;
}

export function serializeModel(model: LinearModel, bytes: 1 | 2 = 2): SerializedModel {
  let maxAbs = 0;
  for (const v of model.weights) maxAbs = Math.max(maxAbs, Math.abs(v * model.weightScale));
  const levels = bytes === 2 ? 32767 : 127;
  const scale = maxAbs > 0 ? maxAbs / levels : 1;
  const q = bytes === 2 ? new Int16Array(model.weights.length) : new Int8Array(model.weights.length);
  for (let i = 0; i < q.length; i++)
    q[i] = Math.round(((model.weights[i] as number) * model.weightScale) / scale);
  return {
    classes: model.classes,
    bits: model.bits,
    scale,
    ...(bytes === 1 ? { bytes } : {}),
    bias: Array.from(model.bias, (v) => Math.round(v * 1e6) / 1e6),
    weights: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString("base64"),
  };
}

export function deserializeModel(data: SerializedModel): LinearModel {
  const raw = Buffer.from(data.weights, "base64");
  const copy = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  const weights = data.bytes === 1 ? new Int8Array(copy) : new Int16Array(copy);
  if (weights.length !== (1 << data.bits) * data.classes.length)
    throw new Error("model weights have the wrong size");
  return {
    classes: data.classes,
    bits: data.bits,
    weights,
    weightScale: data.scale,
    bias: Float32Array.from(data.bias),
  };
}

/**
 * Naive Bayes log-count ratios over feature presence (binary), for a two-class problem: one weight per feature,
 * log P(feature | positive) − log P(feature | negative), Laplace-smoothed. Counting only, so it is exact and
 * deterministic, and on a few hundred long narratives it generalizes better than SGD alone; blended with the
 * logistic regression it ranks hard negatives better than either (see training.ts).
 */
export function trainNaiveBayesRatios(
  examples: readonly TrainingExample[],
  bits: number,
  positiveClass: number,
  alpha = 1,
): LinearModel {
  const dim = 1 << bits;
  const positive = new Float64Array(dim);
  const negative = new Float64Array(dim);
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (const e of examples) {
    const counts = e.y === positiveClass ? positive : negative;
    for (const i of e.x.indices) counts[i] = (counts[i] as number) + e.weight;
    if (e.y === positiveClass) positiveTotal += e.weight * e.x.indices.length;
    else negativeTotal += e.weight * e.x.indices.length;
  }
  const ratios = new Float32Array(dim);
  const positiveDenominator = Math.log(positiveTotal + alpha * dim);
  const negativeDenominator = Math.log(negativeTotal + alpha * dim);
  for (let i = 0; i < dim; i++) {
    const p = positive[i] as number;
    const n = negative[i] as number;
    // A feature no training text has carries no evidence (and unseen hash slots stay exactly zero).
    if (p === 0 && n === 0) continue;
    ratios[i] = Math.log(p + alpha) - positiveDenominator - (Math.log(n + alpha) - negativeDenominator);
  }
  return { classes: ["log_ratio"], bits, weights: ratios, weightScale: 1, bias: Float32Array.of(0) };
}

/** Sum of the ratios of the features present in `x`: the naive Bayes log-odds before the class prior. */
export function presenceScore(model: LinearModel, x: SparseVector): number {
  const { weights, weightScale } = model;
  let s = 0;
  for (const i of x.indices) s += weights[i] as number;
  return s * weightScale;
}

export interface PlattScaling {
  slope: number;
  intercept: number;
}

/**
 * Fits P(y=1 | s) = σ(slope·s + intercept) by Newton's method (a two-parameter logistic regression). The scores
 * must come from models that did not see the row (cross-fitted), or the slope learns their overconfidence.
 */
export function fitPlatt(scores: readonly number[], labels: readonly boolean[]): PlattScaling {
  let a = 0;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] as number;
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const d = p - (labels[i] ? 1 : 0);
      const w = p * (1 - p);
      ga += d * s;
      gb += d;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (det <= 0) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { slope: a, intercept: b };
}

/**
 * The mean of `runs` models trained on differently shuffled orders. SGD on a few hundred long texts lands in
 * noticeably different places per order (a short post's score can swing across the threshold); averaging the
 * weights keeps one linear model, so inference costs the same.
 */
export function trainAveragedLinearModel(
  examples: readonly TrainingExample[],
  classes: string[],
  bits: number,
  options: TrainOptions,
  runs: number,
): LinearModel {
  const models = Array.from({ length: runs }, (_, run) =>
    trainLinearModel(examples, classes, bits, { ...options, seed: options.seed + run * 104729 }),
  );
  const weights = new Float64Array((models[0] as LinearModel).weights.length);
  const bias = new Float64Array(classes.length);
  for (const m of models) {
    for (let i = 0; i < weights.length; i++)
      weights[i] = (weights[i] as number) + (m.weights[i] as number) / runs;
    for (let c = 0; c < bias.length; c++) bias[c] = (bias[c] as number) + (m.bias[c] as number) / runs;
  }
  return {
    classes,
    bits,
    weights: Float32Array.from(weights),
    weightScale: 1,
    bias: Float32Array.from(bias),
  };
}

export interface BinaryTrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Mean of this many runs over differently shuffled orders (one linear model, same inference cost). */
  runs: number;
}

/**
 * Binary logistic regression (one weight per feature, classes ["yes"]): half the memory and half the work of a
 * two-class softmax that says the same thing. AdaGrad SGD, L2 applied lazily on the touched weights.
 * `y` is 1 for yes, 0 for no.
 */
export function trainBinaryLogistic(
  examples: readonly TrainingExample[],
  bits: number,
  options: BinaryTrainOptions,
): LinearModel {
  const dim = 1 << bits;
  const mean = new Float64Array(dim);
  let meanBias = 0;
  for (let run = 0; run < options.runs; run++) {
    const w = new Float64Array(dim);
    const g2 = new Float64Array(dim);
    let b = 0;
    let gb2 = 0;
    let order = examples.map((_, i) => i);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      order = seededShuffle(order, options.seed + run * 104729 + epoch * 7919);
      for (const idx of order) {
        const e = examples[idx] as TrainingExample;
        const { indices, values } = e.x;
        let z = b;
        for (let j = 0; j < indices.length; j++)
          z += (w[indices[j] as number] as number) * (values[j] as number);
        const p = 1 / (1 + Math.exp(-z));
        const grad = (p - e.y) * e.weight;
        gb2 += grad * grad;
        b -= (options.learningRate * grad) / Math.sqrt(gb2 + 1e-8);
        for (let j = 0; j < indices.length; j++) {
          const at = indices[j] as number;
          const g = grad * (values[j] as number) + options.l2 * (w[at] as number);
          g2[at] = (g2[at] as number) + g * g;
          w[at] = (w[at] as number) - (options.learningRate * g) / Math.sqrt((g2[at] as number) + 1e-8);
        }
      }
    }
    for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (w[i] as number) / options.runs;
    meanBias += b / options.runs;
  }
  return {
    classes: ["yes"],
    bits,
    weights: Float32Array.from(mean),
    weightScale: 1,
    bias: Float32Array.of(meanBias),
  };
}

/** Raw score (log-odds before calibration) of a one-column model. */
export function linearScore(model: LinearModel, x: SparseVector): number {
  const { weights } = model;
  const { indices, values } = x;
  let s = 0;
  for (let j = 0; j < indices.length; j++)
    s += (weights[indices[j] as number] as number) * (values[j] as number);
  return s * model.weightScale + (model.bias[0] as number);
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Expected calibration error: mean |accuracy − confidence| over equal-width confidence bins, weighted by size. */
export function expectedCalibrationError(
  confidences: readonly number[],
  correct: readonly boolean[],
  bins = 10,
): number {
  if (confidences.length !== correct.length) throw new Error("confidences and outcomes differ in length");
  if (confidences.length === 0) return 0;
  const sumConfidence = new Float64Array(bins);
  const sumCorrect = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < confidences.length; i++) {
    const c = confidences[i] as number;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    sumConfidence[bin] = (sumConfidence[bin] as number) + c;
    sumCorrect[bin] = (sumCorrect[bin] as number) + (correct[i] ? 1 : 0);
    count[bin] = (count[bin] as number) + 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    if (n === 0) continue;
    ece +=
      (n / confidences.length) * Math.abs((sumCorrect[b] as number) / n - (sumConfidence[b] as number) / n);
  }
  return ece;
}

/**
 * Temperature for a softmax model's probabilities (p ∝ p_raw^(1/T)), the one-parameter fit that keeps the argmax:
 * golden-section search on the log-loss of out-of-fold probabilities.
 */
export function fitTemperature(probabilities: readonly Float64Array[], labels: readonly number[]): number {
  const loss = (t: number) => {
    let total = 0;
    for (let i = 0; i < probabilities.length; i++) {
      const p = probabilities[i] as Float64Array;
      let z = 0;
      for (let c = 0; c < p.length; c++) z += Math.max(p[c] as number, 1e-300) ** (1 / t);
      total -= Math.log(Math.max(p[labels[i] as number] as number, 1e-300) ** (1 / t) / z);
    }
    return total;
  };
  let lo = 0.2;
  let hi = 5;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let iter = 0; iter < 60; iter++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (loss(a) < loss(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

/** Applies a temperature in place (see fitTemperature). */
export function applyTemperature(p: Float64Array, temperature: number): Float64Array {
  if (temperature === 1) return p;
  let z = 0;
  for (let c = 0; c < p.length; c++) {
    const v = Math.max(p[c] as number, 1e-300) ** (1 / temperature);
    p[c] = v;
    z += v;
  }
  for (let c = 0; c < p.length; c++) p[c] = (p[c] as number) / z;
  return p;
}
