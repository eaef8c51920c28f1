// The pure pieces the review and Meta connectors share: the newest-first sweep cursor, Meta's usage headers
// and paging tokens, and the OAuth token cache.
import { describe, expect, it } from "vitest";
import { createTokenCache } from "../src/platform/http/index.js";
import { nextPageToken, readMetaUsage, throttledUntil } from "./meta-graph.js";
import { advanceSweep, emptySweep, readSweep } from "./sweep.js";

const at = (iso: string) => new Date(iso);
const item = (id: string, iso: string) => ({ id, time: at(iso) });

describe("advanceSweep", () => {
  it("moves the mark only when a sweep finishes, to the newest item it saw", () => {
    const page1 = advanceSweep(
      emptySweep(),
      [item("c", "2026-11-22T10:00:00Z"), item("b", "2026-11-22T09:00:00Z")],
      "p2",
    );
    expect([...page1.fresh]).toEqual(["c", "b"]);
    expect(page1.done).toBe(false);
    expect(page1.state.watermark).toBeNull();
    expect(page1.state.sweep).toMatchObject({ next: "p2", newest: "2026-11-22T10:00:00.000Z" });

    const page2 = advanceSweep(page1.state, [item("a", "2026-11-22T08:00:00Z")], null);
    expect(page2.done).toBe(true);
    expect(page2.state).toEqual({
      watermark: "2026-11-22T10:00:00.000Z",
      idsAtWatermark: ["c"],
      sweep: null,
    });
  });

  it("stops at known items and keeps new items that share the mark's timestamp", () => {
    const state = { watermark: "2026-11-22T10:00:00.000Z", idsAtWatermark: ["c"], sweep: null };
    const step = advanceSweep(
      state,
      [
        item("e", "2026-11-22T11:00:00Z"),
        item("d", "2026-11-22T10:00:00Z"),
        item("c", "2026-11-22T10:00:00Z"),
      ],
      "more",
    );
    expect([...step.fresh]).toEqual(["e", "d"]);
    expect(step.done).toBe(true);
    expect(step.state.watermark).toBe("2026-11-22T11:00:00.000Z");
  });

  it("adds same-second newcomers to the ids at the mark instead of moving it", () => {
    const state = { watermark: "2026-11-22T10:00:00.000Z", idsAtWatermark: ["c"], sweep: null };
    const step = advanceSweep(
      state,
      [item("d", "2026-11-22T10:00:00Z"), item("c", "2026-11-22T10:00:00Z")],
      null,
    );
    expect(step.state).toEqual({
      watermark: "2026-11-22T10:00:00.000Z",
      idsAtWatermark: ["c", "d"],
      sweep: null,
    });
  });

  it("skips items repeated from the previous page when offset paging shifts", () => {
    const page1 = advanceSweep(
      emptySweep(),
      [item("c", "2026-11-22T10:00:00Z"), item("b", "2026-11-22T09:00:00Z")],
      "p2",
    );
    const page2 = advanceSweep(
      page1.state,
      [item("b", "2026-11-22T09:00:00Z"), item("a", "2026-11-22T08:00:00Z")],
      null,
    );
    expect([...page2.fresh]).toEqual(["a"]);
  });

  it("treats items older than a backfill's start as known", () => {
    const step = advanceSweep(
      emptySweep(),
      [item("b", "2026-11-22T09:00:00Z"), item("a", "2026-11-01T08:00:00Z")],
      "p2",
      at("2026-11-10T00:00:00Z"),
    );
    expect([...step.fresh]).toEqual(["b"]);
    expect(step.done).toBe(true);
  });

  it("reads a damaged or foreign cursor as a fresh start instead of crashing", () => {
    expect(readSweep(undefined)).toEqual(emptySweep());
    expect(readSweep({ watermark: 12, idsAtWatermark: "x", sweep: { next: 3 } })).toEqual(emptySweep());
  });
});

describe("Meta usage headers", () => {
  it("reads the highest percentage and the longest regain time across the three headers", () => {
    const headers = new Headers({
      "x-app-usage": JSON.stringify({ call_count: 28, total_cputime: 25, total_time: 25 }),
      "x-page-usage": JSON.stringify({ call_count: 91, total_cputime: 10, total_time: 12 }),
      "x-business-use-case-usage": JSON.stringify({
        "104839201234567": [
          {
            type: "pages",
            call_count: 40,
            total_cputime: 5,
            total_time: 5,
            estimated_time_to_regain_access: 0,
          },
        ],
      }),
    });
    expect(readMetaUsage(headers)).toEqual({ highestPercent: 91, regainMinutes: 0 });
    expect(throttledUntil(readMetaUsage(headers), at("2026-11-22T12:00:00Z"))).toBeNull();
  });

  it("ignores a header that is not JSON", () => {
    expect(readMetaUsage(new Headers({ "x-app-usage": "{oops" }))).toEqual({
      highestPercent: 0,
      regainMinutes: 0,
    });
  });

  it("turns the next-page link into a token without the access token", () => {
    const token = nextPageToken({
      next: "https://graph.facebook.com/v24.0/1/tagged?access_token=SECRET&limit=50&after=QVFI",
    });
    expect(token).toBe("limit=50&after=QVFI");
    expect(nextPageToken({ cursors: { after: "QVFI" } })).toBeNull();
  });
});

describe("token cache", () => {
  it("forgets a token once it expires", () => {
    const cache = createTokenCache();
    cache.set("k", "token", at("2026-11-22T13:00:00Z"));
    expect(cache.get("k", at("2026-11-22T12:59:59Z"))).toBe("token");
    expect(cache.get("k", at("2026-11-22T13:00:00Z"))).toBeUndefined();
  });
});
