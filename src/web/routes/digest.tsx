// The digest preview (managers and admins): the page, the e-mail's own HTML, "send me a test copy", and the same
// over the API. Thin: the services build, check the role and audit (src/services/digest/preview-digest.ts).
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { previewDigest, sendTestDigest } from "../../services/digest/preview-digest.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { parseInput, validate } from "../validate.js";
import { DigestPreviewPage } from "../views/digest-preview-page.js";

const previewQuery = z.object({
  brand: z.string().max(200).optional().describe("brand slug (default: the company brand)"),
  week: z
    .string()
    .max(10)
    .optional()
    .describe("ISO week YYYY-Www (default: last week, what Monday's digest reports)"),
});

const blankToUndefined = (v: { brand?: string | undefined; week?: string | undefined }) => ({
  ...(v.brand ? { brand: v.brand } : {}),
  ...(v.week ? { week: v.week } : {}),
});

/**
 * The e-mail exactly as sent. It is framed by the preview page, so it gets its own policy: inline styles (the
 * e-mail dialect has no other), nothing else — no script, no fetch, no form — and framing by this site only.
 */
const EMAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

export function digestRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .get("/digest/preview", requirePermission("manageAlerts"), validate("query", previewQuery), async (c) => {
      const user = c.get("user");
      const preview = await previewDigest(deps, user, blankToUndefined(c.req.valid("query")));
      return c.html(
        <DigestPreviewPage
          user={user}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          brands={preview.brands}
          brand={preview.brand.slug}
          week={preview.week}
          subject={preview.digest.message.subject}
          sentTo={c.req.query("sent") ? user.email : null}
        />,
      );
    })
    .get(
      "/digest/preview/email",
      requirePermission("manageAlerts"),
      validate("query", previewQuery),
      async (c) => {
        const preview = await previewDigest(deps, c.get("user"), blankToUndefined(c.req.valid("query")));
        c.header("Content-Security-Policy", EMAIL_CSP);
        return c.html(preview.digest.message.html);
      },
    )
    .post("/digest/test-copy", requirePermission("manageAlerts"), async (c) => {
      const body = await c.req.parseBody();
      const input = parseInput(previewQuery, {
        brand: typeof body.brand === "string" ? body.brand : undefined,
        week: typeof body.week === "string" ? body.week : undefined,
      });
      const sent = await sendTestDigest(deps, c.get("user"), blankToUndefined(input));
      const query = new URLSearchParams({ brand: sent.brand, week: sent.week, sent: "1" });
      return c.redirect(`/digest/preview?${query}`, 303);
    })
    .get("/api/digest/preview", validate("query", previewQuery), async (c) => {
      const preview = await previewDigest(deps, c.get("user"), blankToUndefined(c.req.valid("query")));
      return c.json({ brand: preview.brand.slug, week: preview.week, ...preview.digest.message });
    })
    .post("/api/digest/test-copy", validate("json", previewQuery), async (c) =>
      c.json(await sendTestDigest(deps, c.get("user"), blankToUndefined(c.req.valid("json"))), 202),
    );
}

export const digestApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/digest/preview",
    summary: "The weekly digest e-mail of a brand and week, as sent: subject, html, text",
    permission: "manageAlerts",
  },
  {
    method: "post",
    path: "/api/digest/test-copy",
    summary: "Queue a test copy of a brand's weekly digest to your own address (audited)",
    permission: "manageAlerts",
  },
];
