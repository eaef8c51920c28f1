// The compliance desk: the complaint register (page, CSV, API), supervision (page, API), the CFPB clocks (API)
// and recording a CFPB complaint's company or final response (form and API). Thin: parse, call a service, render;
// the services check roles (src/domain/permissions.ts) and audit.
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { CFPB_OUTCOMES, tallyCfpb } from "../../domain/compliance/cfpb-clock.js";
import { assertCan } from "../../domain/permissions.js";
import { loadCfpbComplaints } from "../../services/compliance/cfpb-complaints.js";
import { linkCfpbComplaint } from "../../services/compliance/link-cfpb-complaint.js";
import {
  type ComplaintFilters,
  complaintFiltersSchema,
  complaintHandlers,
  complaintsCsv,
  listComplaints,
  registerSources,
} from "../../services/compliance/list-complaints.js";
import { recordComplaintResponse } from "../../services/compliance/record-complaint-response.js";
import { loadSupervision } from "../../services/compliance/supervision.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { parseInput, validate } from "../validate.js";
import { ComplaintsPage } from "../views/compliance/complaints-page.js";
import { SUPERVISION_WEEK_CHOICES, SupervisionPage } from "../views/compliance/supervision-page.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });

const registerQuery = complaintFiltersSchema.extend({
  format: z.enum(["json", "csv"]).optional().describe("csv: the same rows as a CSV download"),
});

const supervisionQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(52).optional().describe("how many ISO weeks back (default 8)"),
  person: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .or(z.literal("").transform(() => undefined))
    .describe("user id"),
});

const responseBody = z.object({
  step: z
    .enum(["response", "final"])
    .describe("response: the 15-day company response; final: the 60-day final response"),
  on: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "write the day as YYYY-MM-DD")
    .optional()
    .describe("the US Eastern day it went out (default today)"),
  outcome: z.enum(CFPB_OUTCOMES).optional().describe("required for the final response"),
});

const linkBody = z.object({
  reference: z
    .string({ error: "Type the account reference shown in the CFPB company portal" })
    .trim()
    .min(1, "Type the account reference shown in the CFPB company portal")
    .max(200)
    .describe("the account reference the CFPB company portal shows for this complaint"),
});

/** The register's filters as a query string (for the CSV link beside the table). */
function filterQuery(filters: ComplaintFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value !== undefined && value !== "") params.set(key, String(value));
  return params.toString();
}

const csvName = (filters: ComplaintFilters) =>
  `complaints${filters.from ? `-from-${filters.from}` : ""}${filters.to ? `-to-${filters.to}` : ""}.csv`;

export function complianceRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .get(
      "/complaints",
      requirePermission("viewComplaints"),
      validate("query", complaintFiltersSchema),
      async (c) => {
        const user = c.get("user");
        const filters = c.req.valid("query");
        const [rows, handlers, options] = await Promise.all([
          listComplaints(deps, user, filters),
          complaintHandlers(deps, user),
          registerSources(deps, user),
        ]);
        const query = filterQuery(filters);
        return c.html(
          <ComplaintsPage
            user={user}
            csrfToken={c.get("auth")?.csrfToken ?? null}
            rows={rows}
            filters={filters}
            channels={options.channels}
            sources={options.sources}
            handlers={handlers}
            csvHref={`/complaints.csv${query ? `?${query}` : ""}`}
          />,
        );
      },
    )
    .get(
      "/complaints.csv",
      requirePermission("viewComplaints"),
      validate("query", complaintFiltersSchema),
      async (c) => {
        const filters = c.req.valid("query");
        const rows = await listComplaints(deps, c.get("user"), filters);
        c.header("content-disposition", `attachment; filename="${csvName(filters)}"`);
        return c.body(complaintsCsv(rows), 200, { "content-type": "text/csv; charset=utf-8" });
      },
    )
    .get(
      "/supervision",
      requirePermission("superviseResponders"),
      validate("query", supervisionQuery),
      async (c) => {
        const user = c.get("user");
        const { weeks = 8, person } = c.req.valid("query");
        const data = await loadSupervision(deps, user, { weeks, person });
        return c.html(
          <SupervisionPage
            user={user}
            csrfToken={c.get("auth")?.csrfToken ?? null}
            data={data}
            weeks={(SUPERVISION_WEEK_CHOICES as readonly number[]).includes(weeks) ? weeks : 8}
            person={person}
          />,
        );
      },
    )
    .post(
      "/mentions/:id/cfpb-response",
      requirePermission("recordComplaintResponse"),
      validate("param", idParam),
      async (c) => {
        const id = c.req.valid("param").id;
        const body = await c.req.parseBody();
        const text = (key: string) =>
          typeof body[key] === "string" && body[key] !== "" ? (body[key] as string) : undefined;
        const input = parseInput(responseBody, {
          step: text("step"),
          on: text("on"),
          outcome: text("outcome"),
        });
        await recordComplaintResponse(deps, c.get("user"), id, input);
        return c.redirect(`/mentions/${id}#cfpb-clock-title`, 303);
      },
    )
    .post(
      "/mentions/:id/cfpb-link",
      requirePermission("manageAccounts"),
      validate("param", idParam),
      async (c) => {
        const id = c.req.valid("param").id;
        const body = await c.req.parseBody();
        const { reference } = parseInput(linkBody, { reference: body.reference });
        await linkCfpbComplaint(deps, c.get("user"), id, reference);
        return c.redirect(`/mentions/${id}#cfpb-clock-title`, 303);
      },
    )
    .post("/api/mentions/:id/cfpb-link", validate("param", idParam), validate("json", linkBody), async (c) =>
      c.json(
        await linkCfpbComplaint(deps, c.get("user"), c.req.valid("param").id, c.req.valid("json").reference),
      ),
    )
    .get("/api/complaints", validate("query", registerQuery), async (c) => {
      const { format, ...filters } = c.req.valid("query");
      const rows = await listComplaints(deps, c.get("user"), filters);
      if (format === "csv") {
        c.header("content-disposition", `attachment; filename="${csvName(filters)}"`);
        return c.body(complaintsCsv(rows), 200, { "content-type": "text/csv; charset=utf-8" });
      }
      return c.json({ items: rows });
    })
    .get("/api/cfpb/complaints", async (c) => {
      const user = c.get("user");
      assertCan(user.role, "viewComplaints", "see the CFPB complaints");
      const complaints = await loadCfpbComplaints(deps.db, user.workspaceId, deps.now());
      return c.json({
        tally: tallyCfpb(complaints.map((x) => x.clock)),
        items: complaints.map(({ textMasked, ...rest }) => ({ ...rest, text: textMasked })),
      });
    })
    .post(
      "/api/mentions/:id/cfpb-response",
      validate("param", idParam),
      validate("json", responseBody),
      async (c) => {
        const row = await recordComplaintResponse(
          deps,
          c.get("user"),
          c.req.valid("param").id,
          c.req.valid("json"),
        );
        return c.json(row);
      },
    )
    .get("/api/supervision", validate("query", supervisionQuery), async (c) => {
      const { weeks = 8, person } = c.req.valid("query");
      return c.json(await loadSupervision(deps, c.get("user"), { weeks, person }));
    });
}

export const complianceApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/complaints",
    summary:
      "The complaint register: every complaint from every channel with category, flags, dates received/answered/resolved, handler and outcome (format=csv for the CSV export)",
    permission: "viewComplaints",
  },
  {
    method: "get",
    path: "/api/cfpb/complaints",
    summary:
      "CFPB complaints with their response clocks (15-day company response, 60-day final), and the tally",
    permission: "viewComplaints",
  },
  {
    method: "post",
    path: "/api/mentions/:id/cfpb-response",
    summary: "Record that a CFPB complaint's company response or final response went out (audited)",
    permission: "recordComplaintResponse",
  },
  {
    method: "post",
    path: "/api/mentions/:id/cfpb-link",
    summary:
      "Link a CFPB complaint to the account whose reference the CFPB company portal shows (confirmed and audited like any link)",
    permission: "manageAccounts",
  },
  {
    method: "get",
    path: "/api/supervision",
    summary:
      "How often each person's drafts were stopped (blocked submits, stopped approvals, warnings accepted), per rule and ISO week",
    permission: "superviseResponders",
  },
];
