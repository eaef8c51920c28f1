// Today (the home page) and saved views.
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { can } from "../../domain/permissions.js";
import { badRequest } from "../../errors.js";
import { cfpbRowBadges, cfpbTally } from "../../services/compliance/cfpb-complaints.js";
import { cachedFilterOptions } from "../../services/mentions/filter-options.js";
import { mentionFiltersSchema } from "../../services/mentions/schemas.js";
import { approvalsToSlack, setApprovalsToSlack } from "../../services/today/approval-notice.js";
import { myWork, myWorkCounts } from "../../services/today/my-work.js";
import { markFeedSeen, todayView } from "../../services/today/today.js";
import { deleteView, listViews, saveView, saveViewSchema } from "../../services/views/saved-views.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { TodayPage } from "../views/today-page.js";
import { NOTICE_PARAMS, noticeFrom, withParam } from "./flow.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });

export function todayRoutes(deps: Deps) {
  const loadOptions = cachedFilterOptions();
  return new Hono<WebEnv>()
    .get("/", async (c) => {
      const user = c.get("user");
      const url = new URL(c.req.url);
      // A notice is for this view only: the filters, links and the way back after an action leave it out.
      const noticeParams = new URLSearchParams(url.searchParams);
      for (const transient of NOTICE_PARAMS) url.searchParams.delete(transient);
      const values = Object.fromEntries(url.searchParams);
      const parsed = mentionFiltersSchema.safeParse(values);
      if (!parsed.success)
        throw badRequest(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      const since = parsed.data.since || undefined;
      const [view, work, notice, cfpb, slack] = await Promise.all([
        todayView(deps, user, { ...parsed.data, ...(since ? { since } : {}) }),
        myWork(deps, user),
        noticeFrom(deps, user, noticeParams),
        cfpbTally(deps.db, user.workspaceId, deps.now()),
        can(user.role, "manageAlerts") ? approvalsToSlack(deps, user.workspaceId) : Promise.resolve(null),
      ]);
      const cfpbRows = await cfpbRowBadges(
        deps.db,
        user.workspaceId,
        view.items.map((item) => item.id),
        deps.now(),
      );
      return c.html(
        <TodayPage
          user={user}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          view={view}
          values={values}
          options={await loadOptions(deps, user)}
          now={deps.now()}
          back={url.pathname + url.search}
          myWork={work}
          notice={notice}
          approvalsToSlack={slack}
          cfpb={{ tally: cfpb, rows: cfpbRows }}
        />,
      );
    })
    .get("/api/my-work", async (c) => c.json(await myWork(deps, c.get("user"))))
    .get("/api/my-work/counts", async (c) => c.json(await myWorkCounts(deps, c.get("user"))))
    .post("/my-work/slack", requirePermission("manageAlerts"), async (c) => {
      const body = await c.req.parseBody();
      await setApprovalsToSlack(deps, c.get("user"), body.on === "1");
      return c.redirect("/#my-work-title", 303);
    })
    .post("/today/seen", async (c) => {
      await markFeedSeen(deps, c.get("user"));
      return c.redirect("/?said=seen", 303);
    })
    .get("/api/today", validate("query", mentionFiltersSchema), async (c) => {
      const filters = c.req.valid("query");
      const since = filters.since || undefined;
      const user = c.get("user");
      const [view, cfpb] = await Promise.all([
        todayView(deps, user, { ...filters, ...(since ? { since } : {}) }),
        cfpbTally(deps.db, user.workspaceId, deps.now()),
      ]);
      // The CFPB count Today shows, as GET /api/cfpb/complaints tallies it.
      return c.json({ ...view, cfpb });
    })
    .post("/api/today/seen", async (c) => {
      await markFeedSeen(deps, c.get("user"));
      return c.json({ ok: true });
    })
    .post("/views", async (c) => {
      const body = await c.req.parseBody();
      const name = typeof body.name === "string" ? body.name : "";
      const query = Object.fromEntries(new URLSearchParams(typeof body.query === "string" ? body.query : ""));
      const parsed = saveViewSchema.safeParse({ name, query });
      if (!parsed.success) throw badRequest("Give the view a name");
      const view = await saveView(deps, c.get("user"), parsed.data);
      return c.redirect(withParam(view.url, "said", "view-saved"), 303);
    })
    .post("/views/:id/delete", validate("param", idParam), async (c) => {
      await deleteView(deps, c.get("user"), c.req.valid("param").id);
      return c.redirect("/feed?said=view-deleted", 303);
    })
    .get("/api/views", async (c) => c.json({ items: await listViews(deps, c.get("user")) }))
    .post("/api/views", validate("json", saveViewSchema), async (c) =>
      c.json(await saveView(deps, c.get("user"), c.req.valid("json")), 201),
    )
    .delete("/api/views/:id", validate("param", idParam), async (c) => {
      await deleteView(deps, c.get("user"), c.req.valid("param").id);
      return c.json({ ok: true });
    });
}

export const todayApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/today",
    summary:
      "New since your last visit (or `since`), relevant first by severity, reach, time; counts, overdue tally, 30-day series, the CFPB complaints tally (`cfpb`)",
  },
  {
    method: "get",
    path: "/api/my-work",
    summary:
      "My work: open mentions assigned to me (soonest due first), those of them overdue, and replies awaiting my approval (approvers), with their counts",
  },
  {
    method: "get",
    path: "/api/my-work/counts",
    summary:
      "The My work counts alone: assigned, overdue, awaitingApproval (mentions; null if you may not approve) and total (the navigation badge: distinct mentions among assigned and awaitingApproval)",
  },
  { method: "post", path: "/api/today/seen", summary: "Mark everything as seen: the next Today starts now" },
  { method: "get", path: "/api/views", summary: "Your saved views" },
  {
    method: "post",
    path: "/api/views",
    summary: "Save a view (a named set of filters)",
  },
  { method: "delete", path: "/api/views/:id", summary: "Delete one of your saved views" },
];
