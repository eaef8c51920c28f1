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
  weights: Float32Array | Int16Array;
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

/** The committed form: int16-quantized weights in base64, small enough to ship and byte-stable. */
export interface SerializedModel {
  classes: string[];
  bits: number;
  scale: number;
  bias: number[];
  weights: string;
}

export function serializeModel(model: LinearModel): SerializedModel {
  let maxAbs = 0;
  for (const v of model.weights) maxAbs = Math.max(maxAbs, Math.abs(v * model.weightScale));
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  const q = new Int16Array(model.weights.length);
  for (let i = 0; i < q.length; i++)
    q[i] = Math.round(((model.weights[i] as number) * model.weightScale) / scale);
  return {
    classes: model.classes,
    bits: model.bits,
    scale,
    bias: Array.from(model.bias, (v) => Math.round(v * 1e6) / 1e6),
    weights: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString("base64"),
  };
}

export function deserializeModel(data: SerializedModel): LinearModel {
  const bytes = Buffer.from(data.weights, "base64");
  const weights = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
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
