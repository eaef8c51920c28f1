// The feed page, bulk actions from it, and the mention JSON API.
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { MENTION_STATUSES } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { assignMentions } from "../../services/mentions/assign-mentions.js";
import { changeStatus } from "../../services/mentions/change-status.js";
import { filterOptions } from "../../services/mentions/filter-options.js";
import { listMentions } from "../../services/mentions/list-mentions.js";
import {
  assignSchema,
  changeStatusSchema,
  listMentionsQuerySchema,
} from "../../services/mentions/schemas.js";
import type { WebEnv } from "../context.js";
import { requirePermission, safeNextPath } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { FeedPage } from "../views/feed-page.js";

const bulkFormSchema = z.object({
  action: z.string().regex(/^(assign:(me|none)|status:[a-z_]+)$/),
  back: z.string().optional(),
});

export function feedRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .get("/", (c) => c.redirect("/feed", 302))
    .get("/feed", async (c) => {
      const user = c.get("user");
      const url = new URL(c.req.url);
      const values = Object.fromEntries(url.searchParams);
      const parsed = listMentionsQuerySchema.safeParse(values);
      const options = await filterOptions(deps, user);
      const back = url.pathname + url.search;
      const common = {
        user,
        csrfToken: c.get("auth")?.csrfToken ?? null,
        values,
        options,
        now: deps.now(),
        back,
      };
      if (!parsed.success) {
        const error = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
        return c.html(<FeedPage {...common} items={[]} nextUrl={null} error={error} />, 400);
      }
      const result = await listMentions(deps, user, { ...parsed.data, grouped: "true" });
      let nextUrl: string | null = null;
      if (result.next) {
        const params = new URLSearchParams(url.searchParams);
        params.set("next", result.next);
        nextUrl = `/feed?${params}`;
      }
      return c.html(<FeedPage {...common} items={result.items} nextUrl={nextUrl} />);
    })
    .post("/mentions/bulk", requirePermission("triage"), async (c) => {
      const body = await c.req.parseBody({ all: true });
      const form = bulkFormSchema.safeParse(body);
      if (!form.success) throw badRequest("Choose an action");
      const rawIds = body.ids;
      const ids = (Array.isArray(rawIds) ? rawIds : rawIds === undefined ? [] : [rawIds])
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0);
      if (ids.length === 0) throw badRequest("Select at least one mention (x or the checkboxes)");
      const user = c.get("user");
      const [kind, value] = form.data.action.split(":") as [string, string];
      if (kind === "assign")
        await assignMentions(deps, user, { ids, assignee: value === "me" ? "me" : null });
      else {
        const status = z.enum(MENTION_STATUSES).safeParse(value);
        if (!status.success) throw badRequest(`Unknown status "${value}"`);
        await changeStatus(deps, user, { ids, status: status.data });
      }
      return c.redirect(safeNextPath(form.data.back ?? "/feed"), 303);
    });
}

export function mentionsApiRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .get("/api/mentions", validate("query", listMentionsQuerySchema), async (c) => {
      return c.json(await listMentions(deps, c.get("user"), c.req.valid("query")));
    })
    .post(
      "/api/mentions/status",
      requirePermission("triage"),
      validate("json", changeStatusSchema),
      async (c) => {
        return c.json(await changeStatus(deps, c.get("user"), c.req.valid("json")));
      },
    )
    .post("/api/mentions/assign", requirePermission("triage"), validate("json", assignSchema), async (c) => {
      const user = c.get("user");
      const input = c.req.valid("json");
      const result = await assignMentions(deps, user, input);
      const assignee =
        input.assignee === "me"
          ? { id: user.id, email: user.email }
          : input.assignee === null
            ? null
            : { id: input.assignee };
      return c.json({ ...result, assignee });
    });
}

export const mentionsApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/mentions",
    summary: "List mentions, newest first (or most urgent first with sort=sla), keyset-paginated with `next`",
    query: listMentionsQuerySchema,
  },
  {
    method: "post",
    path: "/api/mentions/status",
    summary: "Change the status of mentions (and their near-duplicates)",
    body: changeStatusSchema,
  },
  {
    method: "post",
    path: "/api/mentions/assign",
    summary: 'Assign mentions to a person, to yourself ("me") or to nobody (null)',
    body: assignSchema,
  },
];
