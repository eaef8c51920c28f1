// People (admin), the audit log (admin), and each person's own API tokens.

import { and, eq, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { API_TOKEN_SCOPES, apiTokenInsert, listApiTokens } from "../../auth/api-tokens.js";
import type { AuthUser } from "../../auth/types.js";
import { atomicBatch } from "../../db/atomic.js";
import { apiTokens } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError, badRequest, notFound } from "../../errors.js";
import { verifyAuditLog } from "../../services/audit/audit-chain.js";
import { evidenceBundles, evidenceQuerySchema } from "../../services/audit/evidence.js";
import { evidenceHtml } from "../../services/audit/evidence-html.js";
import { liftHold, listHolds, placeHold, placeHoldSchema } from "../../services/audit/legal-holds.js";
import {
  type AuditRow,
  auditCsv,
  auditPeople,
  auditQuerySchema,
  listAudit,
} from "../../services/audit/list-audit.js";
import { auditInsert } from "../../services/audit/record-audit.js";
import {
  createResetLink,
  inviteUser,
  inviteUserSchema,
  listUsers,
  updateUser,
  updateUserSchema,
} from "../../services/users/manage-users.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { AccountPage, AuditPage, UsersPage } from "../views/admin-pages.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });
const tokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(API_TOKEN_SCOPES).default("read").describe("read: GET only; write: what your role allows"),
  expiresInDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("the token stops working after this many days; omit for no expiry"),
});
const tokenForm = tokenSchema.extend({
  // An empty "expires in" field on the form means no expiry.
  expiresInDays: z.preprocess((v) => (v === "" ? undefined : v), tokenSchema.shape.expiresInDays),
});
const CSV_MAX_ROWS = 100_000;

const holdIdParam = z.object({ id: z.coerce.number().int().positive() });

export function adminRoutes(deps: Deps) {
  const usersPage = async (
    c: Context<WebEnv>,
    extra: { link?: { email: string; url: string }; error?: string } = {},
    status: 200 | 400 = 200,
  ) =>
    c.html(
      <UsersPage
        user={c.get("user")}
        csrfToken={c.get("auth")?.csrfToken ?? null}
        users={await listUsers(deps, c.get("user"))}
        {...extra}
      />,
      status,
    );
  const admin = new Hono<WebEnv>()
    .use("/users/*", requirePermission("manageUsers"))
    .use("/users", requirePermission("manageUsers"))
    .use("/api/users/*", requirePermission("manageUsers"))
    .use("/api/users", requirePermission("manageUsers"))
    .use("/audit", requirePermission("viewAudit"))
    .use("/audit.csv", requirePermission("viewAudit"))
    .use("/api/audit", requirePermission("viewAudit"))
    .use("/api/audit.csv", requirePermission("viewAudit"))
    .use("/api/audit/*", requirePermission("viewAudit"))
    .use("/api/legal-holds", requirePermission("viewAudit"))
    .use("/api/legal-holds/*", requirePermission("viewAudit"))
    .get("/users", (c) => usersPage(c))
    .post("/users", async (c) => {
      const parsed = inviteUserSchema.safeParse(await c.req.parseBody());
      if (!parsed.success) return usersPage(c, { error: "Enter an e-mail address and a role" }, 400);
      try {
        const { user, link } = await inviteUser(deps, c.get("user"), parsed.data);
        return usersPage(c, { link: { email: user.email, url: link } });
      } catch (error) {
        if (error instanceof AppError && (error.code === "conflict" || error.code === "bad_request")) {
          return usersPage(c, { error: error.message }, 400);
        }
        throw error;
      }
    })
    .post("/users/:id", validate("param", idParam), async (c) => {
      const body = await c.req.parseBody();
      const parsed = updateUserSchema.safeParse({
        ...(typeof body.role === "string" ? { role: body.role } : {}),
        ...(typeof body.disabled === "string" ? { disabled: body.disabled === "true" } : {}),
      });
      if (!parsed.success) throw badRequest("Unknown role");
      await updateUser(deps, c.get("user"), c.req.valid("param").id, parsed.data);
      return c.redirect("/users", 303);
    })
    .post("/users/:id/reset", validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const { link } = await createResetLink(deps, c.get("user"), id);
      const person = (await listUsers(deps, c.get("user"))).find((u) => u.id === id);
      return usersPage(c, { link: { email: person?.email ?? "", url: link } });
    })
    .get("/api/users", async (c) => c.json({ items: await listUsers(deps, c.get("user")) }))
    .post("/api/users", validate("json", inviteUserSchema), async (c) =>
      c.json(await inviteUser(deps, c.get("user"), c.req.valid("json")), 201),
    )
    .patch("/api/users/:id", validate("param", idParam), validate("json", updateUserSchema), async (c) =>
      c.json(await updateUser(deps, c.get("user"), c.req.valid("param").id, c.req.valid("json"))),
    )
    .post("/api/users/:id/reset", validate("param", idParam), async (c) =>
      c.json(await createResetLink(deps, c.get("user"), c.req.valid("param").id)),
    )
    .get("/audit", async (c) => {
      const url = new URL(c.req.url);
      const parsed = auditQuerySchema.safeParse(
        Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")),
      );
      const people = await auditPeople(deps, c.get("user"));
      const page = (props: { rows: AuditRow[]; nextUrl: string | null; csvUrl: string; error?: string }) => (
        <AuditPage
          user={c.get("user")}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          values={Object.fromEntries(url.searchParams)}
          people={people}
          {...props}
        />
      );
      // A bad date is shown on the page beside the filters that caused it, not as a bare error page.
      if (!parsed.success)
        return c.html(
          page({
            rows: [],
            nextUrl: null,
            csvUrl: "/audit.csv",
            error: parsed.error.issues.map((i) => i.message).join("; "),
          }),
          400,
        );
      const { items, next } = await listAudit(deps, c.get("user"), parsed.data);
      const params = new URLSearchParams(
        [...url.searchParams].filter(([k, v]) => k !== "before" && v !== ""),
      );
      const nextUrl = next ? `/audit?${new URLSearchParams([...params, ["before", next]])}` : null;
      return c.html(page({ rows: items, nextUrl, csvUrl: `/audit.csv?${params}` }));
    })
    .get("/audit.csv", validate("query", auditQuerySchema), async (c) =>
      exportCsv(c.get("user"), c.req.valid("query")),
    )
    .get("/api/audit", validate("query", auditQuerySchema), async (c) =>
      c.json(await listAudit(deps, c.get("user"), c.req.valid("query"))),
    )
    .get("/api/audit.csv", validate("query", auditQuerySchema), async (c) =>
      exportCsv(c.get("user"), c.req.valid("query")),
    )
    .get("/api/legal-holds", async (c) =>
      c.json({ items: await listHolds(deps.db, c.get("user").workspaceId) }),
    )
    .post("/api/legal-holds", validate("json", placeHoldSchema), async (c) =>
      c.json(await placeHold(deps.db, c.get("user"), c.req.valid("json")), 201),
    )
    .post("/api/legal-holds/:id/lift", validate("param", holdIdParam), async (c) =>
      c.json(await liftHold(deps.db, c.get("user"), c.req.valid("param").id, deps.now())),
    )
    .get("/api/audit/verify", async (c) => {
      const [report] = await verifyAuditLog(deps.db, deps.env.RAPPORT_SECRET, c.get("user").workspaceId);
      return c.json(report ?? { sealed: 0, unsealed: 0, head: null, problems: [] });
    })
    .get("/api/audit/evidence", validate("query", evidenceQuerySchema), async (c) => {
      const { from, to, mention, format } = c.req.valid("query");
      const bundles = await evidenceBundles(deps.db, {
        workspaceId: c.get("user").workspaceId,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(mention ? { mentionId: mention } : {}),
      });
      return format === "html" ? c.html(await evidenceHtml(bundles, deps.now())) : c.json({ items: bundles });
    });

  async function exportCsv(viewer: AuthUser, query: z.infer<typeof auditQuerySchema>) {
    const { items } = await listAudit(deps, viewer, query, CSV_MAX_ROWS);
    return new Response(auditCsv(items), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="rapport-audit-${deps.now().toISOString().slice(0, 10)}.csv"`,
      },
    });
  }

  const account = new Hono<WebEnv>()
    .get("/account", async (c) => {
      const user = c.get("user");
      return c.html(
        <AccountPage
          user={user}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          tokens={await listApiTokens(deps, user.id)}
        />,
      );
    })
    .post("/account/tokens", async (c) => {
      const user = c.get("user");
      const parsed = tokenForm.safeParse(await c.req.parseBody());
      if (!parsed.success)
        throw badRequest(
          "Name the token, choose read or write, and give the days until it expires (or none)",
        );
      const { token } = await createTokenAudited(user, parsed.data);
      return c.html(
        <AccountPage
          user={user}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          tokens={await listApiTokens(deps, user.id)}
          newToken={token}
        />,
      );
    })
    .post("/account/tokens/:id/delete", validate("param", idParam), async (c) => {
      await revokeTokenAudited(c.get("user"), c.req.valid("param").id);
      return c.redirect("/account", 303);
    })
    .get("/api/tokens", async (c) => c.json({ items: await listApiTokens(deps, c.get("user").id) }))
    .post("/api/tokens", validate("json", tokenSchema), async (c) =>
      c.json(await createTokenAudited(c.get("user"), c.req.valid("json")), 201),
    )
    .delete("/api/tokens/:id", validate("param", idParam), async (c) => {
      await revokeTokenAudited(c.get("user"), c.req.valid("param").id);
      return c.json({ ok: true });
    });

  /**
   * The token and its audit row commit together, as one atomic batch (src/db/atomic.ts, so on D1 too): no token
   * exists that the audit log does not show. The audit row names the token the batch's first statement inserted.
   */
  async function createTokenAudited(user: { id: number; email: string }, input: z.infer<typeof tokenSchema>) {
    const expiresAt = input.expiresInDays
      ? new Date(deps.now().getTime() + input.expiresInDays * 86_400_000)
      : null;
    const created = apiTokenInsert(deps.db, user.id, input.name, { scope: input.scope, expiresAt });
    const [[row]] = await atomicBatch(deps.db, [
      created.insert,
      auditInsert(deps.db, {
        actor: user,
        action: "token.create",
        entityType: "api_token",
        entityId: sql`last_insert_rowid()`,
        after: { name: input.name, scope: input.scope, expiresAt: expiresAt?.toISOString() ?? null },
      }),
    ]);
    return { id: row!.id, token: created.token, scope: created.scope, expiresAt: created.expiresAt };
  }
  /** The deletion and its audit row in one batch; the row is written only if the delete removed the token. */
  async function revokeTokenAudited(user: { id: number; email: string }, id: number) {
    const [deleted] = await atomicBatch(deps.db, [
      deps.db
        .delete(apiTokens)
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, user.id)))
        .returning({ id: apiTokens.id }),
      deps.db.run(sql`INSERT INTO audit_log (workspace_id, actor_id, actor_email, action, entity_type, entity_id, at)
        SELECT (SELECT workspace_id FROM users WHERE id = ${user.id}), ${user.id}, ${user.email}, 'token.revoke',
          'api_token', ${String(id)}, ${Date.now()} WHERE changes() > 0`),
    ]);
    if (deleted.length === 0) throw notFound("API token");
  }

  return new Hono<WebEnv>().route("/", admin).route("/", account);
}

export const adminApiDocs: ApiOperation[] = [
  { method: "get", path: "/api/users", summary: "People in the workspace", permission: "manageUsers" },
  {
    method: "post",
    path: "/api/users",
    summary: "Invite someone: returns a single-use link to set a password",
    permission: "manageUsers",
  },
  {
    method: "patch",
    path: "/api/users/:id",
    summary: "Change a role or disable/enable (ends their sessions)",
    permission: "manageUsers",
  },
  {
    method: "post",
    path: "/api/users/:id/reset",
    summary: "A single-use password reset link (1 hour)",
    permission: "manageUsers",
  },
  {
    method: "get",
    path: "/api/audit",
    summary: "The audit log, newest first",
    permission: "viewAudit",
  },
  {
    method: "get",
    path: "/api/legal-holds",
    summary: "Legal holds in this workspace, in force and lifted",
    permission: "viewAudit",
  },
  {
    method: "post",
    path: "/api/legal-holds",
    summary:
      "Place a legal hold on a mention, an account or a brand: the retention purge keeps everything about it (and the workspace's audit log) until it is lifted; audited",
    permission: "viewAudit",
  },
  {
    method: "post",
    path: "/api/legal-holds/:id/lift",
    summary: "Lift a legal hold (kept as lifted, audited)",
    permission: "viewAudit",
  },
  {
    method: "get",
    path: "/api/audit/verify",
    summary:
      "Is your workspace's chain of audit entries intact? Sealed and not-yet-sealed counts, the head hash, and each entry changed, removed or moved",
    permission: "viewAudit",
  },
  {
    method: "get",
    path: "/api/audit/evidence",
    summary:
      "Evidence bundles of public replies for an examiner (the mention, each reply with every lint verdict, who did what, the audit entries with their chain hashes); format=html for a readable page",
    permission: "viewAudit",
  },
  {
    method: "get",
    path: "/api/audit.csv",
    summary: "The audit log as CSV",
    permission: "viewAudit",
  },
  { method: "get", path: "/api/tokens", summary: "Your API tokens" },
  {
    method: "post",
    path: "/api/tokens",
    summary: "Create an API token (shown once): scope read (default) or write, optional expiry in days",
  },
  { method: "delete", path: "/api/tokens/:id", summary: "Revoke one of your API tokens" },
];
