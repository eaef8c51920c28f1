// The compliance desk in Chromium, with data in it: the complaint register, supervision and a CFPB complaint's
// mention page, at a desktop's 1440 px and a phone's 390 px. axe-core finds no serious or critical violation, one
// h1 names each page, no column header is empty, and at 390 px nothing scrolls sideways.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { eq } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/auth/sessions.js";
import { auditLog, mentions, replies, sources } from "../../src/db/schema/index.js";
import { syncCfpbComplaints } from "../../src/services/compliance/cfpb-complaints.js";
import { insertMention, login } from "../web/helpers.js";
import { launchChromium } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const now = new Date("2026-12-14T15:00:00Z");
let server: RunningServer;
let browser: Browser;
let cookie: string;
let cfpbId: number;

beforeAll(async () => {
  server = await startServer({}, () => now);
  const { ctx } = server;
  const [cfpb] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb" })
    .returning();
  cfpbId = await insertMention(ctx, {
    text: "They called my employer and my mother about a debt I already paid, every day for a month, and would not stop when I asked them in writing.",
    sourceId: cfpb!.id,
    createdAt: new Date("2026-12-01T17:00:00Z"),
    category: "privacy",
    relevant: true,
    flags: ["regulator", "cease_contact"],
  });
  await ctx.deps.db
    .update(mentions)
    .set({
      meta: {
        dateSentToCompany: "2026-12-01T12:00:00-05:00",
        issue: "Threatened to contact someone or share information improperly",
      },
    })
    .where(eq(mentions.id, cfpbId));
  const social = await insertMention(ctx, {
    text: "Acme Recovery keeps calling me at 6am about a debt that is not mine. https://example.com/a-very-long-link-that-should-wrap-on-a-phone-screen",
    createdAt: new Date("2026-12-10T10:00:00Z"),
    category: "communication_tactics",
    relevant: true,
  });
  await syncCfpbComplaints(ctx.deps.db, now);
  const [reply] = await ctx.deps.db
    .insert(replies)
    .values({
      mentionId: social,
      threadKey: "t:1",
      authorId: ctx.users.responder.id,
      origin: "manual",
      text: "x",
    })
    .returning();
  for (const [action, rules] of [
    ["reply.submit_blocked", ["B1", "B2"]],
    ["reply.warnings_accepted", ["R_EMPATHY"]],
  ] as const)
    await ctx.deps.db.insert(auditLog).values({
      workspaceId: ctx.deps.workspaceId,
      actorId: ctx.users.responder.id,
      actorEmail: ctx.users.responder.email,
      action,
      entityType: "reply",
      entityId: String(reply!.id),
      after: { rules },
      at: new Date("2026-12-09T10:00:00Z"),
    });
  const session = await login(ctx, "manager");
  cookie = session.cookie.split("=").slice(1).join("=");
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("compliance pages in Chromium", () => {
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`pass axe with one h1 and labelled headers at ${viewport.width} px${viewport.width === 390 ? ", without sideways scroll" : ""}`, async () => {
      const context = await browser.newContext({ viewport });
      await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: server.baseUrl }]);
      const page = await context.newPage();
      const problems: string[] = [];
      for (const url of ["/complaints", "/supervision?weeks=4", `/mentions/${cfpbId}`]) {
        const response = await page.goto(`${server.baseUrl}${url}`);
        expect(response?.status(), url).toBe(200);
        await page.evaluate(axeSource);
        const found = await page.evaluate(async () => {
          // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global
          const axe = (window as any).axe;
          const result = await axe.run(document, { resultTypes: ["violations"] });
          return {
            serious: (result.violations as { id: string; impact: string }[])
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => v.id),
            h1: document.querySelectorAll("h1").length,
            emptyHeaders: [...document.querySelectorAll("th")].filter((th) => !(th.textContent ?? "").trim())
              .length,
            width: document.documentElement.scrollWidth,
          };
        });
        if (found.serious.length) problems.push(`${url}: axe ${found.serious.join(", ")}`);
        if (found.h1 !== 1) problems.push(`${url}: ${found.h1} h1`);
        if (found.emptyHeaders) problems.push(`${url}: ${found.emptyHeaders} empty headers`);
        if (viewport.width === 390 && found.width > 390) problems.push(`${url}: ${found.width} px wide`);
      }
      const text = await page.textContent("body");
      expect(text).toContain("Company response due in 2 days");
      await context.close();
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
