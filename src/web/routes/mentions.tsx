// The feed page, bulk actions from it, and the mention JSON API.
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { can } from "../../domain/permissions.js";
import { MENTION_STATUSES } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { linksForMention } from "../../services/accounts/accounts.js";
import { cfpbComplaintOf } from "../../services/compliance/cfpb-complaint-of.js";
import { cfpbRowBadges } from "../../services/compliance/cfpb-complaints.js";
import { addNote } from "../../services/mentions/add-note.js";
import { assignMentions } from "../../services/mentions/assign-mentions.js";
import {
  type BulkResult,
  changeStatus,
  mentionsNeedingPerson,
} from "../../services/mentions/change-status.js";
import { correctClassification } from "../../services/mentions/correct-classification.js";
import { countMentions, type MentionCount } from "../../services/mentions/count-mentions.js";
import { cachedFilterOptions } from "../../services/mentions/filter-options.js";
import { searchTerms } from "../../services/mentions/fts-query.js";
import { getMention } from "../../services/mentions/get-mention.js";
import { listMentions } from "../../services/mentions/list-mentions.js";
import { listQueryOf, nextInList } from "../../services/mentions/next-in-list.js";
import {
  addNoteSchema,
  assignSchema,
  changeStatusSchema,
  correctClassificationSchema,
  listMentionsQuerySchema,
} from "../../services/mentions/schemas.js";
import { undoAction } from "../../services/mentions/undo.js";
import { nextApproval } from "../../services/today/my-work.js";
import { listViews } from "../../services/views/saved-views.js";
import type { WebEnv } from "../context.js";
import { flashKeyOf, readFlash } from "../flash.js";
import { requirePermission, safeNextPath } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { AccountLinksPanel } from "../views/accounts/links-panel.js";
import { CfpbPanel } from "../views/compliance/cfpb-panel.js";
import { ConfirmDismissPage } from "../views/confirm-dismiss-page.js";
import { FeedPage } from "../views/feed-page.js";
import { ActionNotice, ListNav } from "../views/flow.js";
import { MentionPage } from "../views/mention-page.js";
import { mentionPath, NOTICE_PARAMS, noticeFrom, withoutParam, withParam } from "./flow.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });

/** Form arrays arrive as a string (one value) or string[] (several). */
function formList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

const bulkFormSchema = z.object({
  action: z.string().regex(/^(assign:(me|none)|status:[a-z_]+)$/),
  back: z.string().optional(),
});

export function feedRoutes(deps: Deps) {
  const loadOptions = cachedFilterOptions();
  return new Hono<WebEnv>()
    .get("/feed", async (c) => {
      const user = c.get("user");
      const url = new URL(c.req.url);
      const notice = await noticeFrom(deps, user, url.searchParams);
      for (const transient of NOTICE_PARAMS) url.searchParams.delete(transient);
      const values = Object.fromEntries(url.searchParams);
      const parsed = listMentionsQuerySchema.safeParse(values);
      const options = await loadOptions(deps, user);
      const back = url.pathname + url.search;
      const common = {
        user,
        csrfToken: c.get("auth")?.csrfToken ?? null,
        values,
        options,
        now: deps.now(),
        back,
        notice,
      };
      if (!parsed.success) {
        const error = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
        return c.html(<FeedPage {...common} items={[]} nextUrl={null} error={error} />, 400);
      }
      const query = { ...parsed.data, grouped: "true" as const };
      const [result, savedViews] = await Promise.all([
        listMentions(deps, user, query),
        listViews(deps, user),
      ]);
      let nextUrl: string | null = null;
      if (result.next) {
        const params = new URLSearchParams(url.searchParams);
        params.set("next", result.next);
        nextUrl = `/feed?${params}`;
      }
      // The first page holds the whole list when there is no next page: counted for free. Otherwise a capped
      // count (count-mentions.ts), except for a flag filter, which no index serves (a rare flag would make the
      // count read every mention), and a search, whose every match the count would read again (the page has
      // already paid for that once): those say "more than" what the page shows instead.
      const count: MentionCount | null =
        !query.next && !result.next
          ? { count: result.items.length, capped: false }
          : query.flag || query.q
            ? query.next
              ? null
              : { count: result.items.length, capped: true }
            : await countMentions(deps, user, query);
      return c.html(
        <FeedPage
          {...common}
          items={result.items}
          nextUrl={nextUrl}
          savedViews={savedViews}
          count={count}
          terms={query.q ? searchTerms(query.q) : []}
          from={listQueryOf(url.searchParams)}
          cfpb={
            await cfpbRowBadges(
              deps.db,
              user.workspaceId,
              result.items.map((item) => item.id),
              deps.now(),
            )
          }
        />,
      );
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
      const back = safeNextPath(form.data.back ?? "/feed");
      const [kind, value] = form.data.action.split(":") as [string, string];
      let result: BulkResult;
      if (kind === "assign")
        result = await assignMentions(deps, user, { ids, assignee: value === "me" ? "me" : null });
      else {
        const status = z.enum(MENTION_STATUSES).safeParse(value);
        if (!status.success) throw badRequest(`Unknown status "${value}"`);
        const confirmHumanOnly = body.confirmHumanOnly === "1";
        const closing = status.data === "dismissed" || status.data === "resolved" ? status.data : null;
        if (closing && !confirmHumanOnly) {
          const needPerson = await mentionsNeedingPerson(deps, user, ids, closing);
          if (needPerson.length > 0)
            return c.html(
              <ConfirmDismissPage
                user={user}
                csrfToken={c.get("auth")?.csrfToken ?? null}
                ids={ids}
                status={closing}
                back={back}
                needPerson={needPerson}
              />,
              409,
            );
        }
        result = await changeStatus(deps, user, { ids, status: status.data, confirmHumanOnly });
      }
      return c.redirect(withParam(back, "undo", result.undo?.id), 303);
    })
    .post("/mentions/undo/:id", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const body = await c.req.parseBody();
      await undoAction(deps, c.get("user"), id);
      const back = safeNextPath(typeof body.back === "string" ? body.back : "/feed");
      return c.redirect(withParam(withoutParam(back, "undo"), "undone", id), 303);
    })
    .get("/mentions/:id/next", validate("param", idParam), async (c) => {
      if (c.req.query("list") === "approvals") {
        // An approver's "done, next": the next reply waiting for them (My work's list).
        const next = await nextApproval(deps, c.get("user"), c.req.valid("param").id);
        return c.redirect(next ? `/mentions/${next}/reply` : "/#my-work-title", 303);
      }
      const from = c.req.query("from") ?? "";
      const next = await nextInList(deps, c.get("user"), c.req.valid("param").id, from);
      return c.redirect(next ? mentionPath(next, from) : `/feed${from ? `?${from}` : ""}`, 303);
    })
    .get("/mentions/:id", validate("param", idParam), async (c) => {
      const user = c.get("user");
      const url = new URL(c.req.url);
      const [detail, notice, cfpb] = await Promise.all([
        getMention(deps, user, c.req.valid("param").id),
        noticeFrom(deps, user, url.searchParams),
        cfpbComplaintOf(deps.db, user.workspaceId, c.req.valid("param").id, deps.now()),
      ]);
      // After the mention is known to be the viewer's: every view of a link is audited (GLBA).
      const links = can(user.role, "manageAccounts")
        ? await linksForMention(deps, user, detail.mention.id)
        : null;
      const from = url.searchParams.get("from");
      for (const transient of NOTICE_PARAMS) url.searchParams.delete(transient);
      const csrfToken = c.get("auth")?.csrfToken ?? null;
      return c.html(
        <MentionPage
          user={user}
          csrfToken={csrfToken}
          detail={detail}
          now={deps.now()}
          from={from}
          cfpb={
            cfpb ? (
              <CfpbPanel
                complaint={cfpb}
                now={deps.now()}
                canRecord={can(user.role, "recordComplaintResponse")}
                canLink={can(user.role, "manageAccounts")}
                csrfToken={csrfToken}
              />
            ) : null
          }
          accounts={
            links ? (
              <AccountLinksPanel
                links={links}
                csrfToken={csrfToken}
                back={`/mentions/${detail.mention.id}`}
                flash={readFlash(url, flashKeyOf(c, deps.env.RAPPORT_SECRET), { max: 300 }) ?? null}
              />
            ) : null
          }
          flow={
            <>
              <ActionNotice notice={notice} csrfToken={csrfToken} back={url.pathname + url.search} />
              <ListNav mentionId={detail.mention.id} from={from} />
            </>
          }
        />,
      );
    })
    .post("/mentions/:id/status", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const body = await c.req.parseBody();
      const status = z.enum(MENTION_STATUSES).safeParse(body.status);
      if (!status.success) throw badRequest("Choose a status");
      const result = await changeStatus(deps, c.get("user"), {
        ids: [id],
        status: status.data,
        confirmHumanOnly: body.confirmHumanOnly === "1",
      });
      // Opened from a list: done, next (the one-click decisions; the status menu stays on the page).
      const from = typeof body.from === "string" ? body.from : null;
      const next = from !== null && body.go ? await nextInList(deps, c.get("user"), id, from) : null;
      const to =
        from !== null && body.go
          ? next
            ? mentionPath(next, from)
            : `/feed${from ? `?${from}` : ""}`
          : mentionPath(id, from);
      return c.redirect(withParam(to, "undo", result.undo?.id), 303);
    })
    .post("/mentions/:id/assign", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const body = await c.req.parseBody();
      const value = body.assignee;
      const result = await assignMentions(deps, c.get("user"), {
        ids: [id],
        assignee: value === "me" ? "me" : value ? Number(value) : null,
      });
      const from = typeof body.from === "string" ? body.from : null;
      return c.redirect(withParam(mentionPath(id, from), "undo", result.undo?.id), 303);
    })
    .post(
      "/mentions/:id/classification",
      requirePermission("triage"),
      validate("param", idParam),
      async (c) => {
        const id = c.req.valid("param").id;
        const body = await c.req.parseBody({ all: true });
        const parsed = correctClassificationSchema.safeParse({
          category: body.category,
          severity: body.severity,
          flags: formList(body.flags),
        });
        if (!parsed.success) throw badRequest(parsed.error.issues.map((i) => i.message).join("; "));
        await correctClassification(deps, c.get("user"), { mentionId: id, ...parsed.data });
        return c.redirect(`/mentions/${id}?said=classification`, 303);
      },
    )
    .post("/mentions/:id/notes", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const parsed = addNoteSchema.safeParse(await c.req.parseBody());
      if (!parsed.success) throw badRequest("Write the note first");
      await addNote(deps, c.get("user"), { mentionId: id, body: parsed.data.body });
      return c.redirect(`/mentions/${id}?said=note`, 303);
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
    })
    .post("/api/mentions/undo/:id", requirePermission("triage"), validate("param", idParam), async (c) => {
      return c.json(await undoAction(deps, c.get("user"), c.req.valid("param").id));
    })
    .get("/api/mentions/:id", validate("param", idParam), async (c) => {
      return c.json(await getMention(deps, c.get("user"), c.req.valid("param").id));
    })
    .post(
      "/api/mentions/:id/classification",
      requirePermission("triage"),
      validate("param", idParam),
      validate("json", correctClassificationSchema),
      async (c) => {
        const input = c.req.valid("json");
        return c.json(
          await correctClassification(deps, c.get("user"), { mentionId: c.req.valid("param").id, ...input }),
        );
      },
    )
    .post(
      "/api/mentions/:id/notes",
      requirePermission("triage"),
      validate("param", idParam),
      validate("json", addNoteSchema),
      async (c) => {
        return c.json(
          await addNote(deps, c.get("user"), {
            mentionId: c.req.valid("param").id,
            body: c.req.valid("json").body,
          }),
          201,
        );
      },
    );
}

export const mentionsApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/mentions",
    summary: "List mentions, newest first (or most urgent first with sort=sla), keyset-paginated with `next`",
  },
  {
    method: "post",
    path: "/api/mentions/status",
    summary:
      "Change the status of mentions (and their near-duplicates); the answer's `undo` says what was done and how to undo it",
  },
  {
    method: "post",
    path: "/api/mentions/undo/:id",
    summary:
      "Undo a status change or an assignment (the `undo.id` those return) within 10 minutes: restores exactly the states it replaced, or 409 if any of those mentions changed since",
  },
  {
    method: "post",
    path: "/api/mentions/assign",
    summary: 'Assign mentions to a person, to yourself ("me") or to nobody (null)',
  },
  {
    method: "get",
    path: "/api/mentions/:id",
    summary:
      "One mention with its thread, the author's other mentions, near-duplicates, classifications, notes and history",
  },
  {
    method: "post",
    path: "/api/mentions/:id/classification",
    summary: 'Correct the classification (stored as engine "human"; wins over the engines)',
  },
  { method: "post", path: "/api/mentions/:id/notes", summary: "Add an internal note" },
];
