// A note and its audit row are written together (one atomic batch), on libSQL and on a D1 handle alike, and the
// audit row names the note it describes.
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { actorOf } from "../../../test/replies/helpers.js";
import { createWebTestContext, insertMention, type WebTestContext } from "../../../test/web/helpers.js";
import { markD1 } from "../../db/atomic.js";
import { addNote } from "./add-note.js";

let ctx: WebTestContext;
beforeEach(async () => {
  ctx = await createWebTestContext();
});
afterEach(async () => {
  await ctx.deps.cleanup();
});

it.each(["libSQL", "D1"])("stores the note and an audit row naming it (%s)", async (driver) => {
  const mentionId = await insertMention(ctx, { text: "They call me at work" });
  await insertMention(ctx, { text: "another, so ids differ" });
  if (driver === "D1") markD1(ctx.deps.db);
  const responder = actorOf(ctx, "responder");
  const first = await addNote(ctx.deps, responder, { mentionId, body: 'Called back, "left a message"' });
  const second = await addNote(ctx.deps, responder, { mentionId, body: "Second try" });
  const rows = (await ctx.deps.db.all(sql`
    SELECT n.id AS noteId, n.body AS body, json_extract(a.after, '$.noteId') AS auditedId,
           json_extract(a.after, '$.body') AS auditedBody, a.entity_id AS entityId
    FROM notes n JOIN audit_log a ON a.action = 'mention.note' AND json_extract(a.after, '$.noteId') = n.id
    ORDER BY n.id`)) as {
    noteId: number;
    body: string;
    auditedId: number;
    auditedBody: string;
    entityId: string;
  }[];
  expect(rows).toEqual([
    {
      noteId: first.id,
      body: 'Called back, "left a message"',
      auditedId: first.id,
      auditedBody: 'Called back, "left a message"',
      entityId: String(mentionId),
    },
    {
      noteId: second.id,
      body: "Second try",
      auditedId: second.id,
      auditedBody: "Second try",
      entityId: String(mentionId),
    },
  ]);
});

it("refuses a mention of another workspace, writing nothing", async () => {
  const responder = actorOf(ctx, "responder");
  await expect(
    addNote(ctx.deps, { ...responder, workspaceId: 999 }, { mentionId: 1, body: "x" }),
  ).rejects.toThrow("Mention not found");
  const [{ n }] = (await ctx.deps.db.all(sql`SELECT count(*) AS n FROM notes`)) as [{ n: number }];
  expect(n).toBe(0);
});
