// The Sources page and API: list, add (RSS from the form, any type from the API), test connection, poll now.
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { AppError, notFound } from "../../errors.js";
import { pollSource } from "../../pipeline/poll.js";
import { recordAudit } from "../../services/audit/record-audit.js";
import { filterOptions } from "../../services/mentions/filter-options.js";
import { addSource } from "../../services/sources/add-source.js";
import { listSources } from "../../services/sources/list-sources.js";
import { testSourceConnection } from "../../services/sources/test-source.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { SourcesPage, type SourcesPageProps } from "../views/sources-page.js";

export const addSourceSchema = z.object({
  type: z.string().min(1).max(32),
  name: z.string().min(1).max(64),
  brand: z.string().max(200).optional(),
  every: z.string().max(100).optional().describe('cron expression, default "*/15 * * * *"'),
  config: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('type-specific settings, e.g. {"url": "https://…"} for rss'),
});

const idParam = z.object({ id: z.coerce.number().int().positive() });

async function addAndAudit(deps: Deps, user: AuthUser, input: z.infer<typeof addSourceSchema>) {
  const row = await addSource(deps, { workspaceId: user.workspaceId, ...input });
  await recordAudit(deps.db, {
    actor: { id: user.id, email: user.email },
    action: "source.add",
    entityType: "source",
    entityId: row.id,
    after: { name: row.name, type: row.type, schedule: row.schedule, brandId: row.brandId },
  });
  return row;
}

async function pollNow(deps: Deps, user: AuthUser, id: number) {
  const [source] = await deps.db
    .select()
    .from(sources)
    .where(and(eq(sources.id, id), eq(sources.workspaceId, user.workspaceId)));
  if (!source) throw notFound("Source");
  const outcome = await pollSource(deps, source, { force: true });
  await recordAudit(deps.db, {
    actor: { id: user.id, email: user.email },
    action: "source.poll",
    entityType: "source",
    entityId: id,
    after: { status: outcome.status, inserted: outcome.inserted },
  });
  return outcome;
}

export function sourcesRoutes(deps: Deps) {
  const page = async (c: Context<WebEnv>, extra: Partial<SourcesPageProps> = {}, status: 200 | 400 = 200) => {
    const user = c.get("user");
    const [list, options] = await Promise.all([listSources(deps, user), filterOptions(deps, user)]);
    return c.html(
      <SourcesPage
        user={user}
        csrfToken={c.get("auth")?.csrfToken ?? null}
        sources={list}
        brands={options.brands}
        {...extra}
      />,
      status,
    );
  };
  return new Hono<WebEnv>()
    .get("/sources", (c) => page(c))
    .post("/sources", requirePermission("manageSources"), async (c) => {
      const body = await c.req.parseBody();
      const form = Object.fromEntries(
        Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"),
      );
      try {
        const row = await addAndAudit(deps, c.get("user"), {
          type: "rss",
          name: form.name ?? "",
          ...(form.brand ? { brand: form.brand } : {}),
          ...(form.every ? { every: form.every } : {}),
          config: { url: form.url ?? "" },
        });
        return page(c, { message: { ok: true, text: `Added "${row.name}". It runs on "${row.schedule}".` } });
      } catch (error) {
        if (error instanceof AppError && (error.code === "bad_request" || error.code === "conflict")) {
          return page(c, { message: { ok: false, text: error.message }, form }, 400);
        }
        throw error;
      }
    })
    .post("/sources/:id/test", requirePermission("manageSources"), validate("param", idParam), async (c) => {
      const result = await testSourceConnection(deps, c.get("user"), c.req.valid("param").id);
      return page(c, {
        message: { ok: result.ok, text: result.ok ? `Connection works: ${result.message}` : result.message },
      });
    })
    .post("/sources/:id/poll", requirePermission("manageSources"), validate("param", idParam), async (c) => {
      const outcome = await pollNow(deps, c.get("user"), c.req.valid("param").id);
      const text =
        outcome.status === "ok"
          ? `Polled: ${outcome.inserted} new mention(s), ${outcome.duplicates} already stored.`
          : `Poll ${outcome.status}: ${outcome.error ?? "skipped"}`;
      return page(c, { message: { ok: outcome.status === "ok", text } });
    })
    .get("/api/sources", async (c) => c.json({ items: await listSources(deps, c.get("user")) }))
    .post(
      "/api/sources",
      requirePermission("manageSources"),
      validate("json", addSourceSchema),
      async (c) => {
        const row = await addAndAudit(deps, c.get("user"), c.req.valid("json"));
        return c.json(
          { id: row.id, name: row.name, type: row.type, schedule: row.schedule, brandId: row.brandId },
          201,
        );
      },
    )
    .post(
      "/api/sources/:id/test",
      requirePermission("manageSources"),
      validate("param", idParam),
      async (c) => c.json(await testSourceConnection(deps, c.get("user"), c.req.valid("param").id)),
    )
    .post(
      "/api/sources/:id/poll",
      requirePermission("manageSources"),
      validate("param", idParam),
      async (c) => c.json(await pollNow(deps, c.get("user"), c.req.valid("param").id)),
    );
}

export const sourcesApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/sources",
    summary: "Sources with schedule, last run, next run, health and last error",
  },
  {
    method: "post",
    path: "/api/sources",
    summary: "Add a source (brand defaults to the company brand)",
    body: addSourceSchema,
    roles: ["admin", "manager"],
  },
  {
    method: "post",
    path: "/api/sources/:id/test",
    summary: "Test the source's connection",
    roles: ["admin", "manager"],
  },
  {
    method: "post",
    path: "/api/sources/:id/poll",
    summary: "Poll the source now",
    roles: ["admin", "manager"],
  },
];
