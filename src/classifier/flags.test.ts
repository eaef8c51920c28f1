import { describe, expect, it } from "vitest";
import type { Flag } from "../domain/taxonomy.js";
import { detectFlags } from "./flags.js";
import { sentimentScore } from "./sentiment.js";

const positives: [string, Flag][] = [
  ["my lawyer will be in touch", "attorney"],
  ["I'm filing bankruptcy", "bankruptcy"],
  ["stop calling me", "cease_contact"],
  ["this isn't my debt", "dispute"],
  ["@CollectCo STOP CALLING MY MOM", "cease_contact"],
  ["I told them to stop contacting me and they kept going", "cease_contact"],
  ["I don't owe you anything", "dispute"],
  ["already paid this off in 2021, prove it", "dispute"],
  ["I dispute this balance", "dispute"],
  ["talked to an attorney today about these calls", "attorney"],
  ["lawyered up, good luck", "attorney"],
  ["filed chapter 7 last year and you're still calling", "bankruptcy"],
  ["someone opened this account in my name — identity theft", "identity_theft"],
  ["my late husband's bill and they want me to pay", "deceased"],
  ["my mom passed away and they keep calling", "deceased"],
  ["I'm active duty and deployed, SCRA applies", "servicemember"],
  ["got a call from someone pretending to be CollectCo", "scam_report"],
  ["is this text from them legit or a scam?", "scam_report"],
  ["filed a complaint with the CFPB", "regulator"],
  ["reporting you to the attorney general", "regulator"],
  ["BBB complaint going in today", "regulator"],
  ["I reported this collector to the FTC", "regulator"],
  ["my husband is deployed with the navy", "servicemember"],
  ["I want to kill myself over this debt", "self_harm"],
  ["honestly don't want to live anymore with these calls", "self_harm"],
  ["I can't go on like this", "self_harm"],
  ["call me at 555-123-4567 about acct 99812345", "pii"],
];

const negatives: [string, Flag][] = [
  ["thank you for the help with my payment plan", "dispute"],
  ["the agent was kind and patient", "cease_contact"],
  ["reporting you to the attorney general", "attorney"],
  ["I paid my bill online", "bankruptcy"],
  ["great service, quick call", "self_harm"],
  ["my Navy Federal card went to collections", "servicemember"],
  ["I filed an FTC report for the identity theft", "regulator"],
  ["loving the new phone", "pii"],
];

describe("detectFlags", () => {
  it.each(positives)("%s → %s", (text, flag) => {
    expect(detectFlags(text).flags).toContain(flag);
  });
  it.each(negatives)("%s has no %s", (text, flag) => {
    expect(detectFlags(text).flags).not.toContain(flag);
  });
  it("sees a lawsuit threat", () => {
    expect(detectFlags("I'm going to sue you").lawsuitThreat).toBe(true);
    expect(detectFlags("see you in court").lawsuitThreat).toBe(true);
    expect(detectFlags("they said they would call back").lawsuitThreat).toBe(false);
  });
});

describe("sentimentScore", () => {
  it("is negative for complaints, positive for praise, zero for neutral text, always within −1…1", () => {
    expect(sentimentScore("they are harassing me, this is illegal and abusive")).toBeLessThan(-0.5);
    expect(sentimentScore("thank you, the agent was kind and helpful")).toBeGreaterThan(0.5);
    expect(sentimentScore("I called on Tuesday")).toBe(0);
    expect(sentimentScore("not helpful at all")).toBeLessThan(0);
  });
});
