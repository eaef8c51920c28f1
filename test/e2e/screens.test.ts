// Every dashboard page in Chromium, at a desktop's 1440×900 and a phone's 390×844, as each role that can open it:
// axe-core (the standard accessibility rules) finds no serious or critical violation, and at 390 px the page
// never scrolls sideways (tables stack into labelled rows) and "Sign out" stays on screen. Every page also has one
// level-one heading and no empty column header. The pages are enumerated from the app's own routes, so a page added
// later without an entry here fails the test instead of going unchecked. One browser, one context per viewport;
// roles switch by swapping the session cookie (signed in through the real login endpoint). Screenshots of each
// page, as the first role that can open it, land in test-artifacts/screens/.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../src/auth/api-tokens.js";
import { SESSION_COOKIE } from "../../src/auth/sessions.js";
import { accounts, mentions, sources } from "../../src/db/schema/index.js";
import { type Permission, rolesWith } from "../../src/domain/permissions.js";
import type { Role } from "../../src/domain/taxonomy.js";
import { addRecipient } from "../../src/services/alerts/settings.js";
import { syncCfpbComplaints } from "../../src/services/compliance/cfpb-complaints.js";
import { addNote } from "../../src/services/mentions/add-note.js";
import { changeStatus } from "../../src/services/mentions/change-status.js";
import { correctClassification } from "../../src/services/mentions/correct-classification.js";
import { createDraft } from "../../src/services/replies/draft.js";
import { submitReply } from "../../src/services/replies/submit.js";
import { inviteUser } from "../../src/services/users/manage-users.js";
import { actorOf } from "../replies/helpers.js";
import { authed, insertMention, login } from "../web/helpers.js";
import { launchChromium } from "./browser.js";
import { type RunningServer, startServer } from "./server.js";

const ARTIFACTS = "test-artifacts/screens";
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let server: RunningServer;
let browser: Browser;
let ids: {
  mention: number;
  reply: number;
  humanOnly: number;
  welcome: string;
  account: number;
  cfpb: number;
};
const cookies: Partial<Record<Role, string>> = {};

interface PageVisit {
  /** The URL to open (seeded ids filled in). */
  url: () => string;
  /** For a page that answers a form: the fields posted to `url`. */
  post?: () => Record<string, string | string[]>;
  /** Who may open it: null for the signed-out pages. */
  who: Permission | "everyone" | null;
}

// One entry per GET route that renders a page. A route missing here fails "every page is listed".
const PAGES: Record<string, PageVisit[]> = {
  "/login": [{ url: () => "/login", who: null }],
  "/welcome/:token": [{ url: () => `/welcome/${ids.welcome}`, who: null }],
  "/": [{ url: () => "/", who: "everyone" }],
  "/feed": [
    { url: () => "/feed", who: "everyone" },
    { url: () => "/feed?sort=sla", who: "everyone" },
    { url: () => "/feed?q=Acme&status=new", who: "triage" },
  ],
  "/mentions/:id": [
    { url: () => `/mentions/${ids.mention}`, who: "everyone" },
    { url: () => `/mentions/${ids.humanOnly}`, who: "triage" },
    { url: () => `/mentions/${ids.cfpb}`, who: "everyone" },
    { url: () => "/mentions/999999", who: "triage" }, // the error page
  ],
  "/mentions/:id/account-links/:accountId/review": [
    { url: () => `/mentions/${ids.mention}/account-links/${ids.account}/review`, who: "manageAccounts" },
  ],
  "/complaints": [{ url: () => "/complaints", who: "viewComplaints" }],
  "/supervision": [{ url: () => "/supervision", who: "superviseResponders" }],
  // Not a GET route: the "needs a person" question a bulk dismiss answers with when JavaScript is off.
  "POST /mentions/bulk": [
    {
      url: () => "/mentions/bulk",
      post: () => ({ ids: [String(ids.humanOnly)], action: "status:dismissed", back: "/feed" }),
      who: "triage",
    },
  ],
  "/mentions/:id/reply": [{ url: () => `/mentions/${ids.mention}/reply`, who: "triage" }],
  "/templates": [{ url: () => "/templates", who: "triage" }],
  "/labels": [{ url: () => "/labels", who: "triage" }],
  "/accounts": [{ url: () => "/accounts", who: "manageAccounts" }],
  "/alerts": [{ url: () => "/alerts", who: "manageAlerts" }],
  "/digest/preview": [{ url: () => "/digest/preview", who: "manageAlerts" }],
  // The e-mail itself, as the preview's frame shows it.
  "/digest/preview/email": [{ url: () => "/digest/preview/email", who: "manageAlerts" }],
  "/sources": [{ url: () => "/sources", who: "everyone" }],
  "/sources/:id/edit": [{ url: () => `/sources/${server.ctx.sourceId}/edit`, who: "manageSources" }],
  "/sources/:id/remove": [{ url: () => `/sources/${server.ctx.sourceId}/remove`, who: "manageSources" }],
  "/users": [{ url: () => "/users", who: "manageUsers" }],
  "/audit": [
    { url: () => "/audit", who: "viewAudit" },
    { url: () => "/audit?actor=system&since=2020-01-01", who: "viewAudit" },
  ],
  "/account": [{ url: () => "/account", who: "everyone" }],
};

/** GET routes that are not pages: redirects, downloads, assets. */
const NOT_PAGES = [
  /^\/api\//,
  /^\/static\//,
  /^\/healthz$/,
  /\.(csv|json|js|css|ico|svg)$/,
  /^\/replies\/new$/, // redirects to /mentions/:id/reply
  /^\/mentions\/:id\/next$/, // "done, next": redirects to the next mention
  /^\*$/,
];

function pageRoutes(): string[] {
  const paths = server.ctx.app.routes
    .filter((r) => r.method === "GET")
    .map((r) => r.path)
    .filter((p) => !NOT_PAGES.some((re) => re.test(p)));
  return [...new Set(paths)].sort();
}

function rolesFor(who: PageVisit["who"]): (Role | null)[] {
  if (who === null) return [null];
  if (who === "everyone") return ["admin", "manager", "responder", "viewer"];
  return [...rolesWith(who)];
}

async function seed() {
  const ctx = server.ctx;
  const manager = actorOf(ctx, "manager");
  const responder = actorOf(ctx, "responder");
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const mention = await insertMention(ctx, {
    text: "Acme Recovery called my work three times today about a debt I already paid. This is harassment and I want it to stop. https://example.com/a-very-long-link-that-should-wrap-on-a-phone-screen-instead-of-pushing-the-page-sideways",
    createdAt: minutesAgo(30),
    relevant: true,
    severity: "high",
    category: "communication_tactics",
    slaDueAt: minutesAgo(-120),
    authorHandle: "jane_r",
  });
  const humanOnly = await insertMention(ctx, {
    text: "My attorney will contact Acme Collections. I dispute this debt.",
    createdAt: minutesAgo(40),
    relevant: true,
    severity: "critical",
    category: "legal_threats",
    flags: ["attorney", "dispute"],
    slaDueAt: minutesAgo(20),
  });
  for (let i = 0; i < 8; i++)
    await insertMention(ctx, {
      text: `Routine mention ${i} about the Acme Recovery payment portal being slow`,
      createdAt: minutesAgo(60 + i),
      relevant: true,
      severity: (["low", "medium", "high", "critical"] as const)[i % 4],
      category: "payment_service",
      sourceId: i % 2 ? ctx.otherSourceId : ctx.sourceId,
    });
  // A CFPB complaint: its page carries the response clock (and it appears in the register).
  const [cfpbSource] = await ctx.deps.db
    .insert(sources)
    .values({ workspaceId: ctx.deps.workspaceId, name: "cfpb", type: "cfpb" })
    .returning();
  const cfpb = await insertMention(ctx, {
    text: "They keep calling my mother about my account",
    sourceId: cfpbSource!.id,
    createdAt: minutesAgo(3 * 1440),
    category: "privacy",
    severity: "high",
    relevant: true,
    flags: ["regulator"],
  });
  await ctx.deps.db
    .update(mentions)
    .set({ meta: { dateSentToCompany: minutesAgo(3 * 1440).toISOString(), issue: "Communication tactics" } })
    .where(eq(mentions.id, cfpb));
  await syncCfpbComplaints(ctx.deps.db, new Date());
  // Unclassified mentions for "Needs a label".
  for (let i = 0; i < 3; i++)
    await insertMention(ctx, {
      text: `Is Acme Recovery legit? question ${i}`,
      createdAt: minutesAgo(90 + i),
    });
  // History: a status change, an assignment, a note, a correction and a reply on its way to approval.
  await changeStatus(ctx.deps, responder, { ids: [mention], status: "triaged" });
  await addNote(ctx.deps, responder, { mentionId: mention, body: "Called back, left a message." });
  await correctClassification(ctx.deps, manager, {
    mentionId: mention,
    category: "communication_tactics",
    severity: "critical",
    flags: [],
  });
  const draft = await createDraft(ctx.deps, responder, { mentionId: mention, origin: "template" });
  await submitReply(ctx.deps, responder, draft.reply.id);
  // Accounts, tokens, alert recipients, an invitation: the admin pages have rows to show.
  const { token } = await createApiToken(ctx.deps, ctx.users.admin.id, "collections system");
  const pushed = await ctx.app.request("/api/accounts", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      accounts: [
        {
          reference: "AB-12345",
          displayName: "Jane Q. Doe",
          handles: ["jane_r"],
          client: "Mercy Hospital",
          state: "OH",
        },
      ],
    }),
  });
  expect(pushed.status).toBe(200);
  await addRecipient(ctx.deps, manager, {
    email: "director@example.com",
    brandId: ctx.deps.companyBrandId,
    timeZone: "America/New_York",
  });
  const invited = await inviteUser(ctx.deps, actorOf(ctx, "admin"), {
    email: "new@example.com",
    role: "responder",
  });
  ids = {
    mention,
    reply: draft.reply.id,
    humanOnly,
    welcome: new URL(invited.link).pathname.split("/").pop()!,
    account: (await ctx.deps.db.select({ id: accounts.id }).from(accounts))[0]!.id,
    cfpb,
  };
  await ctx.deps.db
    .update(mentions)
    .set({ assigneeId: ctx.users.responder.id })
    .where(eq(mentions.id, mention));
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true }); // screenshots of this run only
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  await seed();
  for (const role of ["admin", "manager", "responder", "viewer"] as const) {
    const session = await login(server.ctx, role);
    cookies[role] = session.cookie.split("=").slice(1).join("=");
    // A request as each role first, so pages that record a first visit look as they do on a normal day.
    await server.ctx.app.request("/", authed(session));
  }
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Finding {
  url: string;
  role: string;
  problem: string;
}

async function signInAs(context: BrowserContext, role: Role | null) {
  await context.clearCookies();
  if (role) await context.addCookies([{ name: SESSION_COOKIE, value: cookies[role]!, url: server.baseUrl }]);
}

/** A page reached by a form post (no GET URL): posted from a signed-in page, as the browser would. */
async function submitForm(page: Page, action: string, fields: Record<string, string | string[]>) {
  await page.goto(`${server.baseUrl}/feed`);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.evaluate(
      ({ action, fields }) => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = action;
        const add = (name: string, value: string) => {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          input.value = value;
          form.appendChild(input);
        };
        add("_csrf", document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "");
        for (const [name, value] of Object.entries(fields))
          for (const v of Array.isArray(value) ? value : [value]) add(name, v);
        document.body.appendChild(form);
        form.submit();
      },
      { action, fields },
    ),
  ]);
  return response;
}

async function check(
  page: Page,
  url: string,
  role: Role | null,
  viewport: typeof PHONE,
  post?: PageVisit["post"],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const who = role ?? "signed out";
  const response = post ? await submitForm(page, url, post()) : await page.goto(`${server.baseUrl}${url}`);
  if (!response) return [{ url, role: who, problem: "no response" }];
  if (response.status() >= 500) findings.push({ url, role: who, problem: `HTTP ${response.status()}` });
  if (role && new URL(page.url()).pathname === "/login")
    findings.push({ url, role: who, problem: "redirected to /login" });
  // Evaluated, not added as a <script>: the pages' CSP forbids inline scripts, rightly.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page as a global
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return (
      result.violations as {
        id: string;
        impact: string;
        help: string;
        nodes: { target: string[]; failureSummary: string }[];
      }[]
    )
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes
          .slice(0, 3)
          .map(
            (n) => `${n.target.join(" ")}: ${(n.failureSummary.split("\n")[1] ?? "").trim().slice(0, 160)}`,
          ),
        count: v.nodes.length,
      }));
  });
  for (const v of violations)
    findings.push({
      url,
      role: who,
      problem: `${v.impact} ${v.id} (${v.help}) ×${v.count}: ${v.nodes.join(" | ")}`,
    });
  // Beyond axe's serious rules: one level-one heading names every page, and no column header is empty.
  const structure = await page.evaluate(() => ({
    h1: document.querySelectorAll("h1").length,
    emptyHeaders: [...document.querySelectorAll("th")].filter(
      (th) => !(th.textContent ?? "").trim() && !th.getAttribute("aria-label"),
    ).length,
  }));
  if (structure.h1 !== 1) findings.push({ url, role: who, problem: `${structure.h1} level-one headings` });
  if (structure.emptyHeaders > 0)
    findings.push({ url, role: who, problem: `${structure.emptyHeaders} empty table header(s)` });
  if (viewport.width === PHONE.width) {
    const wide = await page.evaluate(() => {
      const width = document.documentElement.scrollWidth;
      // Name the widest culprits: elements whose right edge passes the viewport.
      const culprits = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => !el.closest(".scroll-x"))
        .slice(0, 4)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""}`,
        );
      return { width, culprits };
    });
    // The top bar wraps: "Sign out" is on screen, not past its right edge.
    // (The digest e-mail has no top bar: it is the e-mail as sent.)
    const signOutButton = page.locator('form[action="/logout"] button');
    if (role && (await signOutButton.count()) > 0) {
      const signOut = await signOutButton.boundingBox();
      if (!signOut || signOut.x < 0 || signOut.x + signOut.width > PHONE.width)
        findings.push({ url, role: who, problem: `Sign out is off screen (${JSON.stringify(signOut)})` });
    }
    if (wide.width > PHONE.width)
      findings.push({
        url,
        role: who,
        problem: `scrolls sideways at 390 px (${wide.width} px wide; ${wide.culprits.join(", ")})`,
      });
  }
  return findings;
}

describe("every page, both viewports", () => {
  it("the browser's icon request finds an icon", async () => {
    const res = await fetch(`${server.baseUrl}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\//);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it("every page route is listed here", () => {
    const routes = pageRoutes();
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !(r in PAGES))).toEqual([]);
  });

  for (const [name, viewport] of [
    ["desktop 1440×900", DESKTOP],
    ["phone 390×844", PHONE],
  ] as const) {
    it(`${name}: no serious or critical axe violation${viewport === PHONE ? ", no sideways scroll" : ""}`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const findings: Finding[] = [];
      let visits = 0;
      try {
        for (const [route, visitsOfRoute] of Object.entries(PAGES)) {
          for (const visit of visitsOfRoute) {
            for (const role of rolesFor(visit.who)) {
              await signInAs(context, role);
              findings.push(...(await check(page, visit.url(), role, viewport, visit.post)));
              visits++;
              if (role === rolesFor(visit.who)[0])
                await page.screenshot({
                  path: `${ARTIFACTS}/${viewport.width}-${route.replace(/[^a-z0-9]+/gi, "_")}-${visits}.png`,
                  fullPage: viewport === PHONE,
                });
            }
          }
        }
      } finally {
        await context.close();
      }
      expect(visits).toBeGreaterThan(30);
      // One line per page and problem, naming every role that met it.
      const grouped = new Map<string, string[]>();
      for (const f of findings) {
        const key = `${f.url}: ${f.problem}`;
        grouped.set(key, [...(grouped.get(key) ?? []), f.role]);
      }
      const report = [...grouped].map(([key, roles]) => `${key} [as ${roles.join(", ")}]`);
      writeFileSync(`${ARTIFACTS}/findings-${viewport.width}.txt`, report.join("\n"));
      expect(report, report.join("\n")).toEqual([]);
    }, 300_000);
  }
});
