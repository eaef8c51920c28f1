import { describe, expect, it } from "vitest";
import { NO_SOURCES, spikeLine } from "./digest-data.js";

describe("digest sentences say what their numbers count", () => {
  it("a spike names when its episode began and its busiest hour's count, without pairing them as one hour", () => {
    const line = spikeLine({
      subject: "Legal threats on reddit-main",
      ts: "2026-03-23T09:00:00.000Z",
      count: 80,
      expected: 10,
      terms: [],
    });
    expect(line).toBe(
      "Legal threats on reddit-main, from 2026-03-23 09:00 UTC: up to 80 mentions in an hour, about 10 expected then (8.0× normal).",
    );
  });

  it("the sources section counts mentions about collections, and says so when there are none", () => {
    expect(NO_SOURCES).toBe("No mentions about collections this week.");
  });
});
