// The feed page, bulk actions from it, and the mention JSON API.
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { MENTION_STATUSES } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { addNote } from "../../services/mentions/add-note.js";
import { assignMentions } from "../../services/mentions/assign-mentions.js";
import { changeStatus, mentionsNeedingPerson } from "../../services/mentions/change-status.js";
import { correctClassification } from "../../services/mentions/correct-classification.js";
import { cachedFilterOptions } from "../../services/mentions/filter-options.js";
import { getMention } from "../../services/mentions/get-mention.js";
import { listMentions } from "../../services/mentions/list-mentions.js";
import {
  addNoteSchema,
  assignSchema,
  changeStatusSchema,
  correctClassificationSchema,
  listMentionsQuerySchema,
} from "../../services/mentions/schemas.js";
import { listViews } from "../../services/views/saved-views.js";
import type { WebEnv } from "../context.js";
import { requirePermission, safeNextPath } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { ConfirmDismissPage } from "../views/confirm-dismiss-page.js";
import { FeedPage } from "../views/feed-page.js";
import { MentionPage } from "../views/mention-page.js";

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
      };
      if (!parsed.success) {
        const error = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
        return c.html(<FeedPage {...common} items={[]} nextUrl={null} error={error} />, 400);
      }
      const [result, savedViews] = await Promise.all([
        listMentions(deps, user, { ...parsed.data, grouped: "true" }),
        listViews(deps, user),
      ]);
      let nextUrl: string | null = null;
      if (result.next) {
        const params = new URLSearchParams(url.searchParams);
        params.set("next", result.next);
        nextUrl = `/feed?${params}`;
      }
      return c.html(<FeedPage {...common} items={result.items} nextUrl={nextUrl} savedViews={savedViews} />);
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
                back={safeNextPath(form.data.back ?? "/feed")}
                needPerson={needPerson}
              />,
              409,
            );
        }
        await changeStatus(deps, user, { ids, status: status.data, confirmHumanOnly });
      }
      return c.redirect(safeNextPath(form.data.back ?? "/feed"), 303);
    })
    .get("/mentions/:id", validate("param", idParam), async (c) => {
      const detail = await getMention(deps, c.get("user"), c.req.valid("param").id);
      return c.html(
        <MentionPage
          user={c.get("user")}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          detail={detail}
          now={deps.now()}
        />,
      );
    })
    .post("/mentions/:id/status", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const body = await c.req.parseBody();
      const status = z.enum(MENTION_STATUSES).safeParse(body.status);
      if (!status.success) throw badRequest("Choose a status");
      await changeStatus(deps, c.get("user"), {
        ids: [id],
        status: status.data,
        confirmHumanOnly: body.confirmHumanOnly === "1",
      });
      return c.redirect(`/mentions/${id}`, 303);
    })
    .post("/mentions/:id/assign", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const value = (await c.req.parseBody()).assignee;
      await assignMentions(deps, c.get("user"), {
        ids: [id],
        assignee: value === "me" ? "me" : value ? Number(value) : null,
      });
      return c.redirect(`/mentions/${id}`, 303);
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
        return c.redirect(`/mentions/${id}`, 303);
      },
    )
    .post("/mentions/:id/notes", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const parsed = addNoteSchema.safeParse(await c.req.parseBody());
      if (!parsed.success) throw badRequest("Write the note first");
      await addNote(deps, c.get("user"), { mentionId: id, body: parsed.data.body });
      return c.redirect(`/mentions/${id}`, 303);
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
    body: correctClassificationSchema,
  },
  { method: "post", path: "/api/mentions/:id/notes", summary: "Add an internal note", body: addNoteSchema },
];
