// Replies: the Reply panel of a mention (/mentions/:id/reply), the template library (/templates), and the JSON
// API — lint, draft, edit, submit, approve (four eyes), reject, post, take over, templates. Every state change is
// audited by the services; forms redirect back to the panel with a message instead of leaving it.
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import type { Violation } from "../../domain/compliance/lint.js";
import { RULE_CODES, RULES, ruleLabel } from "../../domain/compliance/rules.js";
import { PLATFORMS } from "../../domain/taxonomy.js";
import { AppError } from "../../errors.js";
import { approveReply } from "../../services/replies/approve.js";
import { createDraft } from "../../services/replies/draft.js";
import { editReply } from "../../services/replies/edit.js";
import { lintForBrand } from "../../services/replies/lint-as-posted.js";
import { replyPanel, replyPanelPath } from "../../services/replies/panel.js";
import { markNotPosted, postReply } from "../../services/replies/post.js";
import { rejectReply } from "../../services/replies/reject.js";
import { submitReply } from "../../services/replies/submit.js";
import { takeOverMention } from "../../services/replies/take-over.js";
import {
  deleteTemplate,
  listTemplates,
  saveTemplate,
  templateBrands,
  templateInputSchema,
} from "../../services/replies/templates.js";
import type { WebEnv } from "../context.js";
import { flashKeyOf, readFlash, withFlash } from "../flash.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { replyEditorCss, replyEditorJs } from "../static/reply-editor-js.js";
import { parsedInHandler, validate } from "../validate.js";
import { ReplyPage } from "../views/replies/reply-page.js";
import { TemplatesPage } from "../views/replies/templates-page.js";

const ASSET_PATH = "/reply-assets";
const idParam = z.object({ id: z.coerce.number().int().positive() });

export const lintRequestSchema = z.object({
  text: z.string().max(20_000),
  platform: z.enum(PLATFORMS).default("generic"),
  /** Brand id, slug or name; the company brand when absent. */
  brand: z.union([z.string(), z.number()]).nullable().optional(),
  /** Lint in the context of a mention (its platform, its thread's existing reply, the names the poster used). */
  mentionId: z.number().int().positive().optional(),
});
const draftSchema = z.object({
  origin: z.enum(["template", "claude", "manual"]),
  templateId: z.string().max(80).optional(),
  text: z.string().max(20_000).optional(),
});
const editSchema = z.object({ text: z.string().min(1).max(20_000) });
const rejectSchema = z.object({ reason: z.string().max(1000).default("") });
/** House-style warnings the approver accepts, and why; blocking rules are refused by the service, by name. */
const approveSchema = z.object({
  acceptWarnings: z
    .object({
      rules: z.array(z.enum(RULE_CODES)).min(1).max(RULE_CODES.length),
      reason: z.string().trim().min(1).max(2000),
    })
    .optional(),
});
const postSchema = z.object({ confirmManual: z.boolean().optional(), postedUrl: z.url().optional() });

export const repliesApiDocs: ApiOperation[] = [
  {
    method: "post",
    path: "/api/replies/lint",
    summary:
      "Lint a public reply: {ok, violations:[{rule,title,message,explanation,start,end}], warnings:[…same shape]}. Violations are blocking rules (B1–B12) and make ok false; warnings are house-style gaps (R_*) an approver may accept with a reason",
  },
  {
    method: "get",
    path: "/api/mentions/:id/replies",
    summary: "The mention's replies with every lint run, its guards and how posting works",
    permission: "triage",
  },
  {
    method: "post",
    path: "/api/mentions/:id/replies",
    summary: "Start a reply: from a template, a Claude draft (masked text only), or your own words",
    permission: "draftReplies",
  },
  {
    method: "post",
    path: "/api/mentions/:id/takeover",
    summary: "A manager takes over a mention that needs a person (dispute, cease contact, attorney…)",
    permission: "approveReplies",
  },
  {
    method: "patch",
    path: "/api/replies/:id",
    summary: "Edit a draft (linted and kept as evidence; an edit after submission returns it to draft)",
    permission: "draftReplies",
  },
  {
    method: "post",
    path: "/api/replies/:id/submit",
    summary: "Submit a clean draft for approval",
    permission: "draftReplies",
  },
  {
    method: "post",
    path: "/api/replies/:id/approve",
    summary:
      "Approve (a manager who neither wrote nor edited it; no blocking rule may be hit). Every warning must be accepted with a written reason in the optional body {acceptWarnings:{rules,reason}} (audited); blocking rules can never be accepted",
    permission: "approveReplies",
  },
  {
    method: "post",
    path: "/api/replies/:id/reject",
    summary: "Reject a reply",
    permission: "approveReplies",
  },
  {
    method: "post",
    path: "/api/replies/:id/post",
    summary:
      "Post an approved reply (API, dry run, or confirm a manual copy with confirmManual). A reply left `posting` by an interrupted API post is never sent again: confirm it with confirmManual once it is seen on the platform, or use not-posted",
    permission: "draftReplies",
  },
  {
    method: "post",
    path: "/api/replies/:id/not-posted",
    summary:
      "A reply left `posting` by an interrupted API post is not on the platform (a person checked): back to approved, so it can be posted again",
    permission: "draftReplies",
  },
  { method: "get", path: "/api/reply-templates", summary: "The template library" },
  {
    method: "post",
    path: "/api/reply-templates",
    summary: "Add a template (refused unless it passes the linter)",
    permission: "manageTemplates",
  },
  {
    method: "put",
    path: "/api/reply-templates/:id",
    summary: "Change a template",
    permission: "manageTemplates",
  },
  {
    method: "delete",
    path: "/api/reply-templates/:id",
    summary: "Delete a template",
    permission: "manageTemplates",
  },
];

/** The signed message a form action left for the page it returned to (src/web/flash.ts). */
function flashFrom(c: Context<WebEnv>, secret: string) {
  return readFlash(new URL(c.req.url), flashKeyOf(c, secret)) ?? null;
}

/** Runs a form action; an AppError comes back to the page as a message rather than an error page. */
async function formAction(
  c: Context<WebEnv>,
  secret: string,
  back: string,
  action: () => Promise<string | undefined>,
) {
  try {
    const notice = await action();
    return c.redirect(notice ? withFlash(back, "notice", notice, flashKeyOf(c, secret)) : back, 303);
  } catch (error) {
    if (error instanceof AppError && error.code !== "internal" && error.code !== "unauthorized") {
      const details = error.details as
        | { violations?: { rule: string }[]; warnings?: { rule: string }[] }
        | undefined;
      const hits = [...(details?.violations ?? []), ...(details?.warnings ?? [])];
      const suffix = hits.length ? ` (${[...new Set(hits.map((v) => ruleLabel(v.rule)))].join("; ")})` : "";
      return c.redirect(withFlash(back, "error", error.message + suffix, flashKeyOf(c, secret)), 303);
    }
    throw error;
  }
}

export function repliesRoutes(deps: Deps) {
  const formText = async (c: Context<WebEnv>, field: string) => {
    const value = (await c.req.parseBody())[field];
    return typeof value === "string" ? value : "";
  };
  return (
    new Hono<WebEnv>()
      .get(`${ASSET_PATH}/reply-editor.js`, (c) => {
        c.header("Cache-Control", "no-cache");
        return c.body(replyEditorJs, 200, { "Content-Type": "text/javascript; charset=utf-8" });
      })
      .get(`${ASSET_PATH}/reply-editor.css`, (c) => {
        c.header("Cache-Control", "no-cache");
        return c.body(replyEditorCss, 200, { "Content-Type": "text/css; charset=utf-8" });
      })
      // The mention page links here ("Draft a reply").
      .get("/replies/new", (c) => {
        const id = Number(c.req.query("mention"));
        if (!Number.isInteger(id) || id <= 0) return c.redirect("/feed", 302);
        return c.redirect(`/mentions/${id}/reply`, 302);
      })
      .get("/mentions/:id/reply", requirePermission("triage"), validate("param", idParam), async (c) => {
        const user = c.get("user");
        const panel = await replyPanel(deps, user, c.req.valid("param").id, { withLinks: true });
        return c.html(
          <ReplyPage
            user={user}
            csrfToken={c.get("auth")?.csrfToken ?? null}
            panel={panel}
            claudeAvailable={Boolean(deps.env.ANTHROPIC_API_KEY)}
            message={flashFrom(c, deps.env.RAPPORT_SECRET)}
            assetPath={ASSET_PATH}
          />,
        );
      })
      .post(
        "/mentions/:id/reply/draft",
        requirePermission("draftReplies"),
        validate("param", idParam),
        async (c) => {
          const id = c.req.valid("param").id;
          const body = await c.req.parseBody();
          return formAction(c, deps.env.RAPPORT_SECRET, `/mentions/${id}/reply`, async () => {
            const parsed = draftSchema.safeParse({
              origin: body.origin,
              ...(typeof body.templateId === "string" && body.templateId
                ? { templateId: body.templateId }
                : {}),
              ...(typeof body.text === "string" ? { text: body.text } : {}),
            });
            if (!parsed.success) throw new AppError("bad_request", "Choose how to start the reply");
            const outcome = await createDraft(deps, c.get("user"), { mentionId: id, ...parsed.data });
            return outcome.fallbackReason && parsed.data.origin === "claude"
              ? `Used a template: ${outcome.fallbackReason}`
              : undefined;
          });
        },
      )
      .post(
        "/mentions/:id/reply/takeover",
        requirePermission("approveReplies"),
        validate("param", idParam),
        async (c) => {
          const id = c.req.valid("param").id;
          return formAction(c, deps.env.RAPPORT_SECRET, `/mentions/${id}/reply`, async () => {
            await takeOverMention(deps, c.get("user"), id);
            return "You took this mention over: write the reply in your own words; a second manager must approve it.";
          });
        },
      )
      .post("/replies/:id/edit", requirePermission("draftReplies"), validate("param", idParam), async (c) => {
        const user = c.get("user");
        const text = await formText(c, "text");
        const replyId = c.req.valid("param").id;
        const back = await replyPanelPath(deps, user, replyId);
        return formAction(c, deps.env.RAPPORT_SECRET, back, async () => {
          const { lint } = await editReply(deps, user, replyId, text);
          if (!lint.ok) return `Saved with ${lint.violations.length} problem(s) to fix before submitting.`;
          return lint.warnings.length > 0
            ? `Saved. No blocking problems; ${lint.warnings.length} warning(s) the approver must accept with a reason.`
            : "Saved. No compliance problems found.";
        });
      })
      .post(
        "/replies/:id/submit",
        requirePermission("draftReplies"),
        validate("param", idParam),
        async (c) => {
          const replyId = c.req.valid("param").id;
          return formAction(
            c,
            deps.env.RAPPORT_SECRET,
            await replyPanelPath(deps, c.get("user"), replyId),
            async () => {
              await submitReply(deps, c.get("user"), replyId);
              return "Submitted: a second manager must approve it.";
            },
          );
        },
      )
      .post(
        "/replies/:id/approve",
        requirePermission("approveReplies"),
        validate("param", idParam),
        async (c) => {
          const replyId = c.req.valid("param").id;
          return formAction(
            c,
            deps.env.RAPPORT_SECRET,
            await replyPanelPath(deps, c.get("user"), replyId),
            async () => {
              const form = await c.req.parseBody({ all: true });
              const rules = ([] as unknown[])
                .concat(form.accept ?? [])
                .filter((r): r is string => typeof r === "string");
              const reason = typeof form.acceptReason === "string" ? form.acceptReason : "";
              const parsed = approveSchema.safeParse(
                rules.length > 0 || reason.trim() ? { acceptWarnings: { rules, reason } } : {},
              );
              if (!parsed.success) {
                throw new AppError(
                  "bad_request",
                  "Tick the warnings you accept and write why they are acceptable",
                );
              }
              await approveReply(deps, c.get("user"), replyId, parsed.data.acceptWarnings);
              return parsed.data.acceptWarnings
                ? "Approved, with the warnings accepted (audited)."
                : "Approved.";
            },
          );
        },
      )
      .post(
        "/replies/:id/reject",
        requirePermission("approveReplies"),
        validate("param", idParam),
        async (c) => {
          const replyId = c.req.valid("param").id;
          const reason = await formText(c, "reason");
          return formAction(
            c,
            deps.env.RAPPORT_SECRET,
            await replyPanelPath(deps, c.get("user"), replyId),
            async () => {
              await rejectReply(deps, c.get("user"), replyId, reason);
              return "Sent back to the writer with your comment.";
            },
          );
        },
      )
      .post("/replies/:id/post", requirePermission("draftReplies"), validate("param", idParam), async (c) => {
        const replyId = c.req.valid("param").id;
        const body = await c.req.parseBody();
        return formAction(
          c,
          deps.env.RAPPORT_SECRET,
          await replyPanelPath(deps, c.get("user"), replyId),
          async () => {
            const url =
              typeof body.postedUrl === "string" && body.postedUrl.trim() ? body.postedUrl.trim() : undefined;
            if (url && !/^https?:\/\//i.test(url))
              throw new AppError("bad_request", "The link must start with http:// or https://");
            const posted = await postReply(deps, c.get("user"), {
              replyId,
              confirmManual: body.confirmManual === "1",
              postedUrl: url,
            });
            return posted.postedVia === "dry_run"
              ? "Dry run: recorded what would be posted; nothing was sent."
              : "Posted.";
          },
        );
      })
      .post(
        "/replies/:id/not-posted",
        requirePermission("draftReplies"),
        validate("param", idParam),
        async (c) => {
          const replyId = c.req.valid("param").id;
          return formAction(
            c,
            deps.env.RAPPORT_SECRET,
            await replyPanelPath(deps, c.get("user"), replyId),
            async () => {
              await markNotPosted(deps, c.get("user"), replyId);
              return "Marked not posted: the reply is approved again and can be posted.";
            },
          );
        },
      )
      // Template library.
      .get("/templates", requirePermission("triage"), async (c) => {
        const user = c.get("user");
        return c.html(
          <TemplatesPage
            user={user}
            csrfToken={c.get("auth")?.csrfToken ?? null}
            templates={await listTemplates(deps, user)}
            brands={await templateBrands(deps, user)}
            message={flashFrom(c, deps.env.RAPPORT_SECRET)}
          />,
        );
      })
      .post("/templates", requirePermission("manageTemplates"), async (c) => {
        const body = await c.req.parseBody();
        return formAction(c, deps.env.RAPPORT_SECRET, "/templates", async () => {
          await saveTemplate(deps, c.get("user"), parseTemplateForm(body));
          return "Template saved.";
        });
      })
      .post("/templates/:id", requirePermission("manageTemplates"), validate("param", idParam), async (c) => {
        const body = await c.req.parseBody();
        const id = c.req.valid("param").id;
        return formAction(c, deps.env.RAPPORT_SECRET, "/templates", async () => {
          if (body.delete === "1") {
            await deleteTemplate(deps, c.get("user"), id);
            return "Template deleted.";
          }
          await saveTemplate(deps, c.get("user"), parseTemplateForm(body), id);
          return "Template saved.";
        });
      })
  );
}

function parseTemplateForm(body: Record<string, unknown>) {
  const blank = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const parsed = templateInputSchema.safeParse({
    name: body.name,
    body: body.body,
    brandId: blank(body.brandId),
    platform: blank(body.platform),
    category: blank(body.category),
  });
  if (!parsed.success)
    throw new AppError(
      "bad_request",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  return parsed.data;
}

export function repliesApiRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .post("/api/replies/lint", validate("json", lintRequestSchema), async (c) => {
      const input = c.req.valid("json");
      const result = await lintForBrand(deps, c.get("user"), {
        text: input.text,
        platform: input.platform,
        brand: input.brand ?? null,
        mentionId: input.mentionId,
      });
      // Each hit carries its rule's plain name beside the code, for the editor.
      const named = (v: Violation) => ({ ...v, title: RULES[v.rule].title });
      return c.json({
        ok: result.ok,
        violations: result.violations.map(named),
        warnings: result.warnings.map(named),
      });
    })
    .get("/api/mentions/:id/replies", requirePermission("triage"), validate("param", idParam), async (c) => {
      const panel = await replyPanel(deps, c.get("user"), c.req.valid("param").id);
      return c.json({
        mentionId: panel.mention.id,
        platform: panel.platform,
        brand: panel.brandName,
        postingMode: panel.postingMode,
        threadAnswered: panel.threadAnswered,
        guard: panel.guard,
        replies: panel.history,
      });
    })
    .post(
      "/api/mentions/:id/replies",
      requirePermission("draftReplies"),
      validate("param", idParam),
      validate("json", draftSchema),
      async (c) => {
        const outcome = await createDraft(deps, c.get("user"), {
          mentionId: c.req.valid("param").id,
          ...c.req.valid("json"),
        });
        return c.json(outcome, 201);
      },
    )
    .post(
      "/api/mentions/:id/takeover",
      requirePermission("approveReplies"),
      validate("param", idParam),
      async (c) => {
        await takeOverMention(deps, c.get("user"), c.req.valid("param").id);
        return c.json({ ok: true });
      },
    )
    .patch(
      "/api/replies/:id",
      requirePermission("draftReplies"),
      validate("param", idParam),
      validate("json", editSchema),
      async (c) => {
        return c.json(
          await editReply(deps, c.get("user"), c.req.valid("param").id, c.req.valid("json").text),
        );
      },
    )
    .post(
      "/api/replies/:id/submit",
      requirePermission("draftReplies"),
      validate("param", idParam),
      async (c) => {
        return c.json(await submitReply(deps, c.get("user"), c.req.valid("param").id));
      },
    )
    .post(
      "/api/replies/:id/approve",
      requirePermission("approveReplies"),
      validate("param", idParam),
      parsedInHandler("json", approveSchema),
      async (c) => {
        // The body is optional (nothing to accept): an empty one means no acceptance.
        const raw = await c.req.text();
        let json: unknown = {};
        try {
          json = raw.trim() ? JSON.parse(raw) : {};
        } catch {
          throw new AppError(
            "bad_request",
            'The body must be JSON: {"acceptWarnings":{"rules":[…],"reason":"…"}}',
          );
        }
        const parsed = approveSchema.safeParse(json);
        if (!parsed.success) {
          throw new AppError(
            "bad_request",
            parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
          );
        }
        return c.json(
          await approveReply(deps, c.get("user"), c.req.valid("param").id, parsed.data.acceptWarnings),
        );
      },
    )
    .post(
      "/api/replies/:id/reject",
      requirePermission("approveReplies"),
      validate("param", idParam),
      validate("json", rejectSchema),
      async (c) => {
        return c.json(
          await rejectReply(deps, c.get("user"), c.req.valid("param").id, c.req.valid("json").reason),
        );
      },
    )
    .post(
      "/api/replies/:id/post",
      requirePermission("draftReplies"),
      validate("param", idParam),
      validate("json", postSchema),
      async (c) => {
        const input = c.req.valid("json");
        return c.json(
          await postReply(deps, c.get("user"), {
            replyId: c.req.valid("param").id,
            confirmManual: input.confirmManual,
            postedUrl: input.postedUrl,
          }),
        );
      },
    )
    .post(
      "/api/replies/:id/not-posted",
      requirePermission("draftReplies"),
      validate("param", idParam),
      async (c) => c.json(await markNotPosted(deps, c.get("user"), c.req.valid("param").id)),
    )
    .get("/api/reply-templates", async (c) => c.json({ items: await listTemplates(deps, c.get("user")) }))
    .post(
      "/api/reply-templates",
      requirePermission("manageTemplates"),
      validate("json", templateInputSchema),
      async (c) => {
        return c.json(await saveTemplate(deps, c.get("user"), c.req.valid("json")), 201);
      },
    )
    .put(
      "/api/reply-templates/:id",
      requirePermission("manageTemplates"),
      validate("param", idParam),
      validate("json", templateInputSchema),
      async (c) => {
        return c.json(await saveTemplate(deps, c.get("user"), c.req.valid("json"), c.req.valid("param").id));
      },
    )
    .delete(
      "/api/reply-templates/:id",
      requirePermission("manageTemplates"),
      validate("param", idParam),
      async (c) => {
        await deleteTemplate(deps, c.get("user"), c.req.valid("param").id);
        return c.json({ ok: true });
      },
    );
}
