import { describe, expect, it } from "vitest";
import type { SparseVector } from "./features.js";
import {
  applyTemperature,
  deserializeModel,
  fitPlatt,
  fitTemperature,
  linearScore,
  presenceScore,
  serializeModel,
  sigmoid,
  type TrainingExample,
  trainAveragedLinearModel,
  trainBinaryLogistic,
  trainLinearModel,
  trainNaiveBayesRatios,
} from "./model.js";

const vector = (indices: number[]): SparseVector => ({
  indices: Int32Array.from(indices),
  values: Float64Array.from(indices, () => 1),
});

describe("fitPlatt", () => {
  it("recovers the slope and intercept of a logistic relation", () => {
    const scores: number[] = [];
    const labels: boolean[] = [];
    for (let s = -4; s <= 4; s += 0.25) {
      const positives = Math.round(200 / (1 + Math.exp(-(1.5 * s - 0.5))));
      for (let i = 0; i < 200; i++) {
        scores.push(s);
        labels.push(i < positives);
      }
    }
    const { slope, intercept } = fitPlatt(scores, labels);
    expect(slope).toBeCloseTo(1.5, 1);
    expect(intercept).toBeCloseTo(-0.5, 1);
  });
});

describe("trainNaiveBayesRatios", () => {
  it("scores features by which class they occur in, and leaves unseen features at zero", () => {
    const examples: TrainingExample[] = [
      { x: vector([1, 2]), y: 1, weight: 1 },
      { x: vector([1, 3]), y: 1, weight: 1 },
      { x: vector([4, 2]), y: 0, weight: 1 },
      { x: vector([4, 5]), y: 0, weight: 1 },
    ];
    const model = trainNaiveBayesRatios(examples, 4, 1);
    expect(model.weights[1]).toBeGreaterThan(0);
    expect(model.weights[4]).toBeLessThan(0);
    expect(model.weights[2]).toBeCloseTo(0, 6);
    expect(model.weights[9]).toBe(0);
    expect(presenceScore(model, vector([1, 3]))).toBeGreaterThan(0);
    expect(presenceScore(model, vector([4, 5]))).toBeLessThan(0);
  });
});

describe("trainAveragedLinearModel", () => {
  const examples: TrainingExample[] = Array.from({ length: 40 }, (_, i) => ({
    x: vector([i % 2 === 0 ? 1 : 2, 3 + (i % 5)]),
    y: i % 2,
    weight: 1,
  }));
  const options = { epochs: 3, learningRate: 0.3, l2: 1e-6, seed: 11, balanceClasses: true };

  it("is the plain model for one run, and the same bytes on every call", () => {
    const single = trainLinearModel(examples, ["a", "b"], 4, options);
    expect(Array.from(trainAveragedLinearModel(examples, ["a", "b"], 4, options, 1).weights)).toEqual(
      Array.from(single.weights),
    );
    const averaged = trainAveragedLinearModel(examples, ["a", "b"], 4, options, 3);
    expect(Array.from(trainAveragedLinearModel(examples, ["a", "b"], 4, options, 3).weights)).toEqual(
      Array.from(averaged.weights),
    );
    // Feature 1 marks class "a" (index 0), feature 2 class "b".
    expect((averaged.weights[1 * 2] as number) - (averaged.weights[1 * 2 + 1] as number)).toBeGreaterThan(0);
    expect((averaged.weights[2 * 2 + 1] as number) - (averaged.weights[2 * 2] as number)).toBeGreaterThan(0);
  });
});

describe("trainBinaryLogistic", () => {
  it("learns which features mark the positive class, deterministically", () => {
    const examples: TrainingExample[] = Array.from({ length: 60 }, (_, i) => ({
      x: vector([i % 2 === 0 ? 1 : 2, 5 + (i % 3)]),
      y: i % 2 === 0 ? 1 : 0,
      weight: 1,
    }));
    const options = { epochs: 4, learningRate: 0.3, l2: 1e-6, seed: 3, runs: 2 };
    const model = trainBinaryLogistic(examples, 4, options);
    expect(Array.from(trainBinaryLogistic(examples, 4, options).weights)).toEqual(Array.from(model.weights));
    expect(model.weights[1]).toBeGreaterThan(0.5);
    expect(model.weights[2]).toBeLessThan(-0.5);
    expect(sigmoid(linearScore(model, vector([1, 6])))).toBeGreaterThan(0.8);
    expect(sigmoid(linearScore(model, vector([2, 6])))).toBeLessThan(0.2);
  });
});

describe("quantized weights", () => {
  it("round-trip through int8 and int16 within half a step", () => {
    const weights = Float32Array.from({ length: 32 }, (_, i) => Math.sin(i) * 3);
    const model = { classes: ["a", "b"], bits: 4, weights, weightScale: 1, bias: Float32Array.of(0.5, -0.5) };
    for (const bytes of [1, 2] as const) {
      const back = deserializeModel(serializeModel(model, bytes));
      const step = 3 / (bytes === 1 ? 127 : 32767);
      for (let i = 0; i < weights.length; i++)
        expect(
          Math.abs((back.weights[i] as number) * back.weightScale - (weights[i] as number)),
        ).toBeLessThanOrEqual(step / 2 + 1e-6);
      expect(Array.from(back.bias)).toEqual([0.5, -0.5]);
    }
  });
});

describe("fitTemperature", () => {
  it("finds the temperature that turns overconfident probabilities back into the true ones", () => {
    // True probabilities (0.7, 0.2, 0.1), reported sharpened with T = 0.5 (p^2, renormalized).
    const truth = [0.7, 0.2, 0.1];
    const sharpened = applyTemperature(Float64Array.from(truth), 0.5);
    const probabilities: Float64Array[] = [];
    const labels: number[] = [];
    for (const [label, share] of truth.entries()) {
      for (let i = 0; i < Math.round(share * 1000); i++) {
        probabilities.push(Float64Array.from(sharpened));
        labels.push(label);
      }
    }
    const t = fitTemperature(probabilities, labels);
    expect(t).toBeCloseTo(2, 1);
    const restored = applyTemperature(Float64Array.from(sharpened), t);
    expect(restored[0]).toBeCloseTo(0.7, 2);
  });
});
