import { describe, expect, it } from "vitest";
import {
  changedMeanwhile,
  REPLY_ACTIONS,
  REPLY_STATUSES,
  refusal,
  replyTransition,
  startsOf,
} from "./transitions.js";

describe("reply transitions", () => {
  it("allows exactly the documented steps", () => {
    const allowed = REPLY_ACTIONS.flatMap((action) =>
      REPLY_STATUSES.filter((from) => replyTransition(from, action)).map(
        (from) => `${from} -${action}-> ${replyTransition(from, action)!.to}`,
      ),
    );
    expect(allowed.sort()).toEqual(
      [
        "draft -edit-> draft",
        "awaiting_approval -edit-> draft",
        "draft -submit-> awaiting_approval",
        "awaiting_approval -approve-> approved",
        "awaiting_approval -stop-> draft",
        "draft -reject-> rejected",
        "awaiting_approval -reject-> rejected",
        "approved -reject-> rejected",
        "approved -post-> posted",
        "approved -start_post-> posting",
        "posting -post-> posted",
        "posting -post_failed-> approved",
        "posting -not_posted-> approved",
      ].sort(),
    );
  });

  it("never leaves posted or rejected", () => {
    for (const action of REPLY_ACTIONS) {
      expect(replyTransition("posted", action)).toBeNull();
      expect(replyTransition("rejected", action)).toBeNull();
    }
  });

  it("moves the mention with the reply, except an edit of a draft", () => {
    expect(replyTransition("draft", "edit")!.mention).toBeNull();
    expect(replyTransition("awaiting_approval", "edit")!.mention).toBe("drafting");
    expect(replyTransition("approved", "post")!.mention).toBe("posted");
    expect(replyTransition("approved", "reject")!.mention).toBe("drafting");
  });

  it("never rejects or re-sends a reply that may already be public", () => {
    expect(replyTransition("posting", "reject")).toBeNull();
    expect(replyTransition("posting", "start_post")).toBeNull();
    expect(replyTransition("approved", "start_post")!.mention).toBeNull();
    expect(replyTransition("posting", "post")!.mention).toBe("posted");
  });

  it("only approvers approve, stop or reject; writers do the rest", () => {
    for (const action of REPLY_ACTIONS) {
      for (const from of startsOf(action)) {
        const by = replyTransition(from, action)!.by;
        expect(by).toBe(["approve", "stop", "reject"].includes(action) ? "approveReplies" : "draftReplies");
      }
    }
  });

  it("explains a refusal and a lost race in words", () => {
    expect(refusal("posted", "reject")).toBe(
      "A posted reply cannot be rejected (only a draft, awaiting approval or approved one can)",
    );
    expect(changedMeanwhile("posted", "reject")).toContain("was posted meanwhile");
  });
});
