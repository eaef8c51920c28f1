import { describe, expect, it } from "vitest";
import {
  changeFromLastWeek,
  complianceLine,
  DIGEST_SECTIONS,
  formatDuration,
  recoveryLine,
  rightsLine,
} from "../../../domain/digest/digest-data.js";
import { sampleDigestData } from "../../../domain/digest/sample-data.js";
import { renderDigest } from "./digest-email.js";

describe("renderDigest", () => {
  const digest = renderDigest(sampleDigestData());

  it("writes a subject with the numbers and their labels", () => {
    expect(digest.subject).toBe(
      "Acme Recovery weekly digest, 2026-W47: 412 mentions this week, vs 355 last week (+16%)",
    );
    expect(renderDigest(sampleDigestData({ partial: true })).subject).toBe(
      "Acme Recovery weekly digest, 2026-W47 (so far): 412 mentions so far this week, vs 355 by this time last week (+16%)",
    );
  });

  it("has every section in both parts, and both parts say the same sentences", () => {
    for (const title of DIGEST_SECTIONS) {
      expect(digest.html).toContain(`>${title}</h2>`);
      expect(digest.text).toContain(title.toUpperCase());
    }
    const sentences = [
      "412 mentions this week, vs 355 last week (+16%).",
      "301 about collections; a person confirmed the classification of 64 of them, the model classified the rest.",
      "Calls and messages: 96 (20 confirmed by a person; 80 last week)",
      "112 of 142 answered in time; 21 answered late; 9 not answered by the deadline; 14 still inside their time (first response within 1 h critical, 4 h high, 1 d medium, 3 d low).",
      "4 posts arrived already past their deadline (found late, e.g. by a backfill): not counted above.",
      "Median time to first response: 1.6 h (over 133 answered mentions; a reply, or resolved or dismissed).",
      "120 public replies posted this week.",
      "Queue now: 27 still open, 5 overdue, 2 arrived overdue.",
      "9 dispute mentions; 3 linked to accounts and sent as events; 6 wait for a link.",
      "7 replies were stopped before posting (B1 confirms a relationship or a debt: 5; B2 amount, date or identifier: 3).",
      "120 customers were answered in public this week. Of 380 customers answered in the last 30 days, 120 posted again, and 41 of them came back neutral or positive (34%).",
    ];
    for (const sentence of sentences) {
      expect(digest.text).toContain(sentence);
      expect(digest.html).toContain(sentence.replace(/&/g, "&amp;"));
    }
  });

  it("is e-mail HTML: tables, inline styles, CSS bars, no scripts, fluid 600px column", () => {
    expect(digest.html).toMatch(/^<!DOCTYPE html>/);
    expect(digest.html).not.toMatch(/<script/i);
    expect(digest.html).not.toMatch(/<style/i);
    expect(digest.html).not.toMatch(/class="/);
    expect(digest.html).toContain("max-width:600px;width:100%");
    expect(digest.html).toContain('name="viewport"');
    // Tuesday is the busiest day: its bar is full width; Sunday's is proportional.
    expect(digest.html).toContain('<td width="100%" style="background:#3f6fd8');
    expect(digest.html).toContain(`<td width="${Math.round((32 / 88) * 100)}%"`);
  });

  it("escapes (by construction) and masks untrusted post text", () => {
    expect(digest.html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(digest.html).toContain("&lt;b&gt;STOP&lt;/b&gt;");
    expect(digest.html).toContain("Payment portal down again &amp; nobody");
    for (const part of [digest.html, digest.text]) {
      expect(part).not.toContain("jo.doe@example.com");
      expect(part).not.toContain("555-201-7788");
    }
    expect(digest.text).toContain("[EMAIL]");
  });

  it("drops links that are not http(s) and escapes brand names", () => {
    const hostile = renderDigest(
      sampleDigestData({
        brand: 'Acme "<img src=x onerror=alert(1)>"',
        notable: [{ text: "hi", source: "X", url: "javascript:alert(1)" }],
        dashboardUrl: "javascript:alert(2)",
      }),
    );
    expect(hostile.html).not.toContain("javascript:");
    expect(hostile.html).not.toContain("<img");
    expect(hostile.html).toContain("Acme &quot;&lt;img src=x onerror=alert(1)&gt;&quot;");
  });

  it("a week with none of anything: zero wording, no contradictions", () => {
    const base = sampleDigestData();
    const quiet = renderDigest({
      ...base,
      volume: {
        total: 0,
        previousWeek: 0,
        relevant: 0,
        confirmed: 0,
        byDay: base.volume.byDay.map((d) => ({ ...d, count: 0 })),
      },
      spikes: [],
      rightsEvents: [],
      compliance: { repliesStopped: 0, rules: [] },
      notable: [],
      grievances: [],
      sources: [],
      recovery: { answered30Days: 0, judged: 0, recovered: 0 },
      response: {
        ...base.response,
        clocked: 0,
        inTime: 0,
        late: 0,
        missed: 0,
        pending: 0,
        arrivedOverdue: 0,
        medianFirstResponseMinutes: null,
        repliesPosted: 0,
        openBacklog: 0,
        overdue: 0,
        openArrivedOverdue: 0,
      },
    });
    for (const sentence of [
      "0 mentions this week, vs 0 last week.",
      "None was about collections.",
      "No complaints about collections this week.",
      "No spikes this week.",
      "No mention this week needed a response.",
      "No public reply was posted this week.",
      "Queue now: 0 still open, 0 overdue.",
      "No reply was stopped by the compliance check.",
      "No customer was answered in public this week or in the 30 days before.",
    ]) {
      expect(quiet.text).toContain(sentence);
      expect(quiet.html).toContain(sentence);
    }
    expect(quiet.subject).toBe("Acme Recovery weekly digest, 2026-W47: 0 mentions this week, vs 0 last week");
  });
});

describe("sentences follow the numbers", () => {
  it("singular and plural, and never 'no customer answered' beside a reply count", () => {
    expect(complianceLine({ repliesStopped: 1, rules: [{ rule: "B2", label: "amount", replies: 1 }] })).toBe(
      "1 reply was stopped before posting (B2 amount).",
    );
    expect(rightsLine({ flag: "dispute", mentions: 25, sentAsEvents: 3, awaitingLink: 22 })).toBe(
      "25 dispute mentions; 3 linked to accounts and sent as events; 22 wait for a link",
    );
    expect(rightsLine({ flag: "attorney", mentions: 1, sentAsEvents: 1, awaitingLink: 0 })).toBe(
      "1 attorney mention; 1 linked to an account and sent as an event; 0 wait for a link",
    );
    const base = sampleDigestData();
    const oneReply = {
      ...base,
      response: { ...base.response, repliesPosted: 1 },
      recovery: { answered30Days: 1, judged: 0, recovered: 0 },
    };
    expect(recoveryLine(oneReply)).toBe(
      "1 customer was answered in public this week. Of 1 customer answered in the last 30 days, none has posted again yet.",
    );
    expect(changeFromLastWeek(110, 100)).toBe("+10%");
    expect(changeFromLastWeek(90, 100)).toBe("−10%");
    expect(changeFromLastWeek(5, 0)).toBeNull();
    expect(formatDuration(42)).toBe("42 min");
    expect(formatDuration(94)).toBe("1.6 h");
    expect(formatDuration(3 * 1440)).toBe("3.0 days");
  });
});
