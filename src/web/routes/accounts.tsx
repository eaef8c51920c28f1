// Accounts: the push API for the collections system, link suggestions and decisions, rights events as JSON and
// CSV. Everything here is for admins and managers only (the link from a post to an account is NPI). Showing
// suggestions stores nothing but the audit entry every view of a link gets (GLBA, DESIGN.md); every decision is
// stored and audited by the services.
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { isStrongLinkScore } from "../../domain/accounts/match.js";
import { AppError, badRequest } from "../../errors.js";
import {
  decideLink,
  decideMentionLink,
  linkScore,
  linksForMention,
  listAccounts,
  parseAccountsPayload,
  parsePushedAccounts,
  upsertAccounts,
} from "../../services/accounts/accounts.js";
import { listRightsEvents, rightsEventsCsv } from "../../services/accounts/rights.js";
import { recordAudit } from "../../services/audit/record-audit.js";
import { getMention } from "../../services/mentions/get-mention.js";
import type { WebEnv } from "../context.js";
import { type FlashKind, flashKeyOf, withFlash } from "../flash.js";
import { requirePermission, safeNextPath } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { parsedInHandler, validate } from "../validate.js";
import { AccountsPage } from "../views/accounts/accounts-page.js";
import { ConfirmLinkPage } from "../views/accounts/confirm-link-page.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });
/** A decision on a mention's link to an account: the page form and the API take the same path. */
const linkDecisionParam = idParam.extend({
  accountId: z.coerce.number().int().positive(),
  decision: z.enum(["confirm", "reject"]),
});

const accountItemSchema = z.object({
  reference: z.string(),
  displayName: z.string().optional(),
  phones: z.array(z.string()).optional(),
  emails: z.array(z.string()).optional(),
  handles: z.array(z.string()).describe('"x:@handle" scopes a handle to a platform').optional(),
  client: z.string().optional(),
  state: z.string().describe("two-letter US state").optional(),
  status: z.array(z.enum(["dispute_open", "cease_contact", "attorney_represented"])).optional(),
});
export const pushAccountsSchema = z.object({ accounts: z.array(accountItemSchema).min(1).max(5000) });
const sinceQuery = z.object({ since: z.string().optional(), format: z.enum(["json", "csv"]).optional() });

export const accountsApiDocs: ApiOperation[] = [
  {
    method: "post",
    path: "/api/accounts",
    summary:
      "Push accounts from the collections system (upsert by reference; phones, e-mails and handles are stored only as keyed hashes)",
    permission: "manageAccounts",
  },
  {
    method: "get",
    path: "/api/accounts",
    summary: "Accounts (reference, name, client, state, status); audited",
    permission: "manageAccounts",
  },
  {
    method: "get",
    path: "/api/mentions/:id/links",
    summary:
      "Account links of a mention: decided links, and current suggestions with score and evidence (id null until decided); stores nothing, and the view is audited",
    permission: "manageAccounts",
  },
  {
    method: "post",
    path: "/api/mentions/:id/links/:accountId/confirm",
    summary:
      "Confirm the link to a suggested account (stores and audits it; rights flags become dated events and signed webhooks)",
    permission: "manageAccounts",
  },
  {
    method: "post",
    path: "/api/mentions/:id/links/:accountId/reject",
    summary: "Reject a suggested account for this mention, or unlink it (stored and audited)",
    permission: "manageAccounts",
  },
  {
    method: "post",
    path: "/api/account-links/:id/confirm",
    summary: "Confirm a link (rights flags become dated events and signed webhooks)",
    permission: "manageAccounts",
  },
  {
    method: "post",
    path: "/api/account-links/:id/reject",
    summary: "Reject a suggestion, or unlink a confirmed link",
    permission: "manageAccounts",
  },
  {
    method: "get",
    path: "/api/rights-events",
    summary: "Rights events for the collections system (format=csv for CSV)",
    permission: "manageAccounts",
  },
];

function parseSince(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badRequest(`since "${value}" is not a date`);
  return date;
}

function decisionNotice(decision: "confirm" | "reject", result: { rightsEvents: number[] }): string {
  if (decision === "reject") return "Link rejected.";
  const events = result.rightsEvents.length;
  return `Linked.${events ? ` ${events} rights event(s) recorded for the collections system.` : ""}`;
}

export function accountsRoutes(deps: Deps) {
  /** `back` with a signed message (src/web/flash.ts), landing on the mention's account-links panel. */
  const toLinksPanel = (c: Context<WebEnv>, back: string, kind: FlashKind, text: string) =>
    withFlash(`${back.split("#")[0]}#account-links`, kind, text, flashKeyOf(c, deps.env.RAPPORT_SECRET));
  const csvResponse = async (c: Context<WebEnv>, since?: Date) => {
    const user = c.get("user");
    const rows = await listRightsEvents(deps.db, user.workspaceId, since);
    await recordAudit(deps.db, {
      actor: { id: user.id, email: user.email },
      action: "rights_event.export",
      entityType: "rights_event",
      after: { rows: rows.length, since: since?.toISOString() ?? null },
      at: deps.now(),
    });
    return c.body(rightsEventsCsv(rows), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="rights-events.csv"',
    });
  };
  return (
    new Hono<WebEnv>()
      .get("/accounts", requirePermission("manageAccounts"), async (c) => {
        const q = c.req.query("q") ?? "";
        const user = c.get("user");
        return c.html(
          <AccountsPage
            user={user}
            csrfToken={c.get("auth")?.csrfToken ?? null}
            accounts={await listAccounts(deps, user, { q })}
            q={q}
          />,
        );
      })
      .get("/accounts/rights-events.csv", requirePermission("manageAccounts"), async (c) =>
        csvResponse(c, parseSince(c.req.query("since"))),
      )
      // The second look at a suggestion that is not strong: its evidence on a page of its own, then confirm there.
      .get(
        "/mentions/:id/account-links/:accountId/review",
        requirePermission("manageAccounts"),
        validate("param", idParam.extend({ accountId: z.coerce.number().int().positive() })),
        async (c) => {
          const { id, accountId } = c.req.valid("param");
          const user = c.get("user");
          const back = safeNextPath(c.req.query("back") ?? `/mentions/${id}`);
          const link = (await linksForMention(deps, user, id)).find((l) => l.account.id === accountId);
          if (!link || link.status === "confirmed")
            return c.redirect(
              toLinksPanel(
                c,
                back,
                "error",
                link
                  ? "This account is already linked."
                  : "This account is not suggested for this mention (any more).",
              ),
              303,
            );
          const { mention } = await getMention(deps, user, id);
          return c.html(
            <ConfirmLinkPage
              user={user}
              csrfToken={c.get("auth")?.csrfToken ?? null}
              link={link}
              mention={{
                id,
                text: mention.text,
                author: mention.author.handle
                  ? `@${mention.author.handle.replace(/^@/, "")}`
                  : mention.author.name,
                source: mention.source.name,
              }}
              back={back}
            />,
          );
        },
      )
      .post(
        "/mentions/:id/account-links/:accountId/:decision{confirm|reject}",
        requirePermission("manageAccounts"),
        validate("param", linkDecisionParam),
        async (c) => {
          const { id, accountId, decision } = c.req.valid("param");
          const body = await c.req.parseBody();
          const back = safeNextPath(String(body.back ?? `/mentions/${id}/reply`));
          if (decision === "confirm" && body.reviewed !== "1") {
            // One click confirms only a strong suggestion; any other goes through its second look first.
            const score = await linkScore(deps, c.get("user"), id, accountId);
            if (score !== null && !isStrongLinkScore(score))
              return c.redirect(
                `/mentions/${id}/account-links/${accountId}/review?back=${encodeURIComponent(back)}`,
                303,
              );
          }
          try {
            const result = await decideMentionLink(deps, c.get("user"), id, accountId, decision);
            return c.redirect(toLinksPanel(c, back, "notice", decisionNotice(decision, result)), 303);
          } catch (error) {
            if (error instanceof AppError && error.code === "conflict")
              return c.redirect(toLinksPanel(c, back, "error", error.message), 303);
            throw error;
          }
        },
      )
      .post(
        "/account-links/:id/:decision{confirm|reject}",
        requirePermission("manageAccounts"),
        validate("param", idParam.extend({ decision: z.enum(["confirm", "reject"]) })),
        async (c) => {
          const { id, decision } = c.req.valid("param");
          const back = safeNextPath(String((await c.req.parseBody()).back ?? "/accounts"));
          try {
            const result = await decideLink(deps, c.get("user"), id, decision);
            return c.redirect(
              withFlash(
                back,
                "notice",
                decisionNotice(decision, result),
                flashKeyOf(c, deps.env.RAPPORT_SECRET),
              ),
              303,
            );
          } catch (error) {
            if (error instanceof AppError && error.code === "conflict")
              return c.redirect(
                withFlash(back, "error", error.message, flashKeyOf(c, deps.env.RAPPORT_SECRET)),
                303,
              );
            throw error;
          }
        },
      )
      .post(
        "/api/accounts",
        requirePermission("manageAccounts"),
        parsedInHandler("json", pushAccountsSchema),
        async (c) => {
          const user = c.get("user");
          let body: unknown;
          try {
            body = await c.req.json();
          } catch {
            throw badRequest("The body must be JSON");
          }
          const { rows, errors } = parsePushedAccounts(parseAccountsPayload(body));
          if (errors.length > 0) {
            // All or nothing: the collections system fixes and resends the batch.
            throw new AppError(
              "bad_request",
              `${errors.length} problem(s): ${errors
                .slice(0, 5)
                .map((e) => `accounts[${e.line - 1}]${e.field ? `.${e.field}` : ""}: ${e.message}`)
                .join("; ")}`,
              errors.map((e) => ({
                path: `accounts.${e.line - 1}${e.field ? `.${e.field}` : ""}`,
                message: e.message,
              })),
            );
          }
          const summary = await upsertAccounts(
            deps,
            user.workspaceId,
            rows,
            { id: user.id, email: user.email },
            "api",
          );
          return c.json(summary);
        },
      )
      .get("/api/accounts", requirePermission("manageAccounts"), async (c) => {
        const items = await listAccounts(deps, c.get("user"), { q: c.req.query("q") ?? "" });
        return c.json({
          items: items.map((a) => ({
            id: a.id,
            reference: a.reference,
            displayName: a.displayName,
            client: a.client,
            state: a.state,
            status: a.statusList,
          })),
        });
      })
      .get(
        "/api/mentions/:id/links",
        requirePermission("manageAccounts"),
        validate("param", idParam),
        async (c) => {
          return c.json({ items: await linksForMention(deps, c.get("user"), c.req.valid("param").id) });
        },
      )
      .post(
        "/api/mentions/:id/links/:accountId/:decision{confirm|reject}",
        requirePermission("manageAccounts"),
        validate("param", linkDecisionParam),
        async (c) => {
          const { id, accountId, decision } = c.req.valid("param");
          return c.json(await decideMentionLink(deps, c.get("user"), id, accountId, decision));
        },
      )
      .post(
        "/api/account-links/:id/confirm",
        requirePermission("manageAccounts"),
        validate("param", idParam),
        async (c) => {
          return c.json(await decideLink(deps, c.get("user"), c.req.valid("param").id, "confirm"));
        },
      )
      .post(
        "/api/account-links/:id/reject",
        requirePermission("manageAccounts"),
        validate("param", idParam),
        async (c) => {
          return c.json(await decideLink(deps, c.get("user"), c.req.valid("param").id, "reject"));
        },
      )
      .get(
        "/api/rights-events",
        requirePermission("manageAccounts"),
        validate("query", sinceQuery),
        async (c) => {
          const { since, format } = c.req.valid("query");
          if (format === "csv") return csvResponse(c, parseSince(since));
          const user = c.get("user");
          const rows = await listRightsEvents(deps.db, user.workspaceId, parseSince(since));
          await recordAudit(deps.db, {
            actor: { id: user.id, email: user.email },
            action: "rights_event.view",
            entityType: "rights_event",
            after: { rows: rows.length },
            at: deps.now(),
          });
          return c.json({ items: rows.map((r) => ({ ...r, id: `rights_event_${r.id}` })) });
        },
      )
  );
}
