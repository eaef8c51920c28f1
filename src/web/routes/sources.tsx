import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { AppError, badRequest } from "../../errors.js";
import { isSecretField } from "../../platform/credentials.js";
import { filterOptions } from "../../services/mentions/filter-options.js";
import { addSourceFromWeb } from "../../services/sources/add-source.js";
import {
  configFieldErrors,
  configFromForm,
  sourceTypeForm,
  sourceTypeForms,
} from "../../services/sources/config-form.js";
import { listSources } from "../../services/sources/list-sources.js";
import { pollNow, startPoll } from "../../services/sources/poll-now.js";
import { assertWebSourceInput } from "../../services/sources/source-input-policy.js";
import { testConfigFromWeb, testSourceConnection } from "../../services/sources/test-source.js";
import type { WebEnv } from "../context.js";
import { wantsJson } from "../errors.js";
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

const testConfigSchema = addSourceSchema.pick({ type: true, config: true });

/** Every field zod rejects, each with its fix, as one 400 (`details` names the fields: `config.<name>`). */
function throwFieldErrors(type: string, config: Record<string, unknown>) {
  const errors = configFieldErrors(type, config);
  const entries = Object.entries(errors);
  if (entries.length === 0) return;
  throw badRequest(
    `invalid ${type} configuration: ${entries.map(([, message]) => message).join(" ")}`,
    entries.map(([name, message]) => ({ path: `config.${name}`, message })),
  );
}

export function sourcesRoutes(deps: Deps) {
  const page = async (
    c: Context<WebEnv>,
    extra: Partial<SourcesPageProps> & {
      type?: string;
      errors?: Record<string, string>;
      testResult?: { ok: boolean; message: string };
    } = {},
    status: 200 | 400 = 200,
  ) => {
    const user = c.get("user");
    const [list, options] = await Promise.all([listSources(deps, user), filterOptions(deps, user)]);
    const { type, errors, testResult, ...props } = extra;
    const types = sourceTypeForms();
    const chosen = types.find((t) => t.type === (type ?? c.req.query("type"))) ?? types[0]!;
    return c.html(
      <SourcesPage
        user={user}
        csrfToken={c.get("auth")?.csrfToken ?? null}
        sources={list}
        brands={options.brands}
        {...props}
        addForm={{ types, chosen, ...(errors ? { errors } : {}), testResult }}
      />,
      status,
    );
  };
  /** The add form as posted: its type's form, the connector config, and what may be shown again (no secrets). */
  const readAddForm = async (c: Context<WebEnv>) => {
    const body = await c.req.parseBody({ all: true });
    const type = typeof body.type === "string" ? body.type : "";
    const typeForm = sourceTypeForm(type);
    if (!typeForm)
      throw badRequest(
        `Choose a source type: ${sourceTypeForms()
          .map((t) => t.type)
          .join(", ")}`,
      );
    const values: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(body)) {
      const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
      if (key === "_csrf" || list.length === 0) continue;
      if (key.startsWith("config.") && isSecretField(key.slice("config.".length))) continue;
      values[key] = list.length === 1 && !key.startsWith("config.") ? list[0]! : list;
    }
    const configValues = Object.fromEntries(
      Object.entries(body)
        .filter(([key]) => key.startsWith("config."))
        .map(([key, value]) => [
          key.slice("config.".length),
          (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string"),
        ]),
    );
    const config = configFromForm(
      typeForm,
      Object.fromEntries(
        Object.entries(configValues).map(([k, v]) => [
          k,
          typeForm.fields.find((f) => f.name === k)?.input === "checkboxes" ? v : v[0],
        ]),
      ),
    );
    const one = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
    return { typeForm, config, values, name: one("name"), brand: one("brand"), every: one("every") };
  };
  return (
    new Hono<WebEnv>()
      .get("/sources", (c) => {
        const polling = c.req.query("polling");
        return polling
          ? page(c, {
              message: {
                ok: true,
                text: `Polling "${polling}" started: its result appears in the list below (reload to see it).`,
              },
            })
          : page(c);
      })
      .post("/sources", requirePermission("manageSources"), async (c) => {
        const form = await readAddForm(c);
        const type = form.typeForm.type;
        const errors = configFieldErrors(type, form.config);
        if (Object.keys(errors).length > 0) {
          return page(
            c,
            {
              type,
              errors,
              form: form.values,
              message: { ok: false, text: "Fix the fields marked below, then add the source again." },
            },
            400,
          );
        }
        try {
          const row = await addSourceFromWeb(deps, c.get("user"), {
            type,
            name: form.name,
            ...(form.brand ? { brand: form.brand } : {}),
            ...(form.every ? { every: form.every } : {}),
            config: form.config,
          });
          const token = row.ingestToken
            ? ` Push to POST /api/ingest/${row.name} with "Authorization: Bearer ${row.ingestToken}" (shown once).`
            : "";
          return page(c, {
            type,
            message: { ok: true, text: `Added "${row.name}". It runs on "${row.schedule}".${token}` },
          });
        } catch (error) {
          if (error instanceof AppError && (error.code === "bad_request" || error.code === "conflict")) {
            return page(c, { type, message: { ok: false, text: error.message }, form: form.values }, 400);
          }
          throw error;
        }
      })
      // "Test connection" on the add form: the config as typed, tested without storing anything. The page's script
      // asks for JSON (the typed secrets stay in the browser); without it, the page comes back without secrets.
      .post("/sources/test-config", requirePermission("manageSources"), async (c) => {
        const form = await readAddForm(c);
        const type = form.typeForm.type;
        const errors = configFieldErrors(type, form.config);
        const result =
          Object.keys(errors).length > 0
            ? { ok: false, message: "Fix the fields marked below before testing." }
            : await testConfigFromWeb(deps, c.get("user"), type, form.config);
        if (wantsJson(c)) return c.json({ ...result, fieldErrors: errors });
        return page(c, {
          type,
          errors,
          form: form.values,
          testResult: result,
        });
      })
      .post(
        "/sources/:id/test",
        requirePermission("manageSources"),
        validate("param", idParam),
        async (c) => {
          const result = await testSourceConnection(deps, c.get("user"), c.req.valid("param").id);
          return page(c, {
            message: {
              ok: result.ok,
              text: result.ok ? `Connection works: ${result.message}` : result.message,
            },
          });
        },
      )
      .post(
        "/sources/:id/poll",
        requirePermission("manageSources"),
        validate("param", idParam),
        async (c) => {
          // Answers at once (POST-redirect-GET): the poll runs on under its deadline and the list shows its result.
          const started = await startPoll(deps, c.get("user"), c.req.valid("param").id, (work) => {
            try {
              c.executionCtx.waitUntil(work);
            } catch {
              // Node has no execution context: the process keeps the promise running.
            }
          });
          return c.redirect(`/sources?polling=${encodeURIComponent(started.name)}`, 303);
        },
      )
      .get("/api/sources", async (c) => c.json({ items: await listSources(deps, c.get("user")) }))
      .post(
        "/api/sources",
        requirePermission("manageSources"),
        validate("json", addSourceSchema),
        async (c) => {
          const input = c.req.valid("json");
          assertWebSourceInput(input.type, input.config);
          throwFieldErrors(input.type, input.config);
          const row = await addSourceFromWeb(deps, c.get("user"), input);
          return c.json(
            { id: row.id, name: row.name, type: row.type, schedule: row.schedule, brandId: row.brandId },
            201,
          );
        },
      )
      .post(
        "/api/sources/test-config",
        requirePermission("manageSources"),
        validate("json", testConfigSchema),
        async (c) => {
          const { type, config } = c.req.valid("json");
          assertWebSourceInput(type, config);
          const fieldErrors = configFieldErrors(type, config);
          if (Object.keys(fieldErrors).length > 0)
            return c.json({
              ok: false,
              message: "Fix the fields in fieldErrors before testing.",
              fieldErrors,
            });
          return c.json({ ...(await testConfigFromWeb(deps, c.get("user"), type, config)), fieldErrors });
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
      )
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
    permission: "manageSources",
  },
  {
    method: "post",
    path: "/api/sources/test-config",
    summary:
      "Test a source configuration before adding it (nothing is stored): {ok, message, fieldErrors} with zod's issues per field",
    body: testConfigSchema,
    permission: "manageSources",
  },
  {
    method: "post",
    path: "/api/sources/:id/test",
    summary: "Test the source's connection",
    permission: "manageSources",
  },
  {
    method: "post",
    path: "/api/sources/:id/poll",
    summary: "Poll the source now",
    permission: "manageSources",
  },
];
