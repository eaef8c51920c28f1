import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { describeSchedule } from "../../domain/schedule-words.js";
import { AppError, badRequest, notFound } from "../../errors.js";
import { isSecretField } from "../../platform/credentials.js";
import { filterOptions } from "../../services/mentions/filter-options.js";
import { addSourceFromWeb } from "../../services/sources/add-source.js";
import {
  configFieldErrors,
  configFromForm,
  configPatchFromForm,
  type SourceTypeForm,
  sourceTypeForm,
  sourceTypeForms,
} from "../../services/sources/config-form.js";
import { isConnectionTestFailure } from "../../services/sources/connection-gate.js";
import { editFormValues, editSource, rotateCredentials } from "../../services/sources/edit-source.js";
import { listSources } from "../../services/sources/list-sources.js";
import { setSourcePaused } from "../../services/sources/pause-source.js";
import { pollNow, startPoll } from "../../services/sources/poll-now.js";
import { removalPreview, removeSource } from "../../services/sources/remove-source.js";
import { rotatePushToken } from "../../services/sources/rotate-push-token.js";
import { assertWebSourceInput } from "../../services/sources/source-input-policy.js";
import { testConfigFromWeb, testSourceConnection } from "../../services/sources/test-source.js";
import type { WebEnv } from "../context.js";
import { wantsJson } from "../errors.js";
import { type FlashKind, flashKeyOf, readFlash, withFlash } from "../flash.js";
import { cookieIsSecure, requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import {
  EditSourcePage,
  RemoveSourcePage,
  SourcesPage,
  type SourcesPageProps,
} from "../views/sources-page.js";

export const addSourceSchema = z.object({
  type: z.string().min(1).max(32),
  name: z.string().min(1).max(64),
  brand: z.string().max(200).optional(),
  every: z.string().max(100).optional().describe('cron expression, default "*/15 * * * *"'),
  config: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('type-specific settings, e.g. {"url": "https://…"} for rss'),
  addAnyway: z
    .boolean()
    .optional()
    .describe("add even though the connection test fails (without it, a failing test answers 409)"),
});

export const editSourceSchema = z.object({
  name: z.string().min(1).max(64).optional(),
  brand: z.string().max(200).optional(),
  every: z.string().max(100).optional().describe("cron expression"),
  config: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "settings to change: a value sets, null clears (the default applies), an absent field is kept; a credential left absent, blank or null keeps the stored one",
    ),
  paused: z
    .boolean()
    .optional()
    .describe("true pauses the source (no polls, pushes refused), false resumes it"),
  saveAnyway: z
    .boolean()
    .optional()
    .describe("save changed settings even though the connection test fails (without it: 409)"),
});

export const rotateCredentialsSchema = z.object({
  credentials: z
    .record(z.string(), z.string())
    .describe('new credential values by field name, e.g. {"bearerToken": "…"}; the others are kept'),
  saveAnyway: z.boolean().optional().describe("save even though the connection test fails"),
});

const idParam = z.object({ id: z.coerce.number().int().positive() });

const testConfigSchema = addSourceSchema.pick({ type: true, config: true });

/** A message carried across a redirect (POST-redirect-GET), signed (src/web/flash.ts), escaped when shown. */
function flashOf(c: Context<WebEnv>, secret: string): { ok: boolean; text: string } | undefined {
  const flash = readFlash(new URL(c.req.url), flashKeyOf(c, secret));
  return flash ? { ok: flash.kind === "notice", text: flash.text } : undefined;
}

/** A push source's token travels from the add to the next page in a cookie, never in a URL (history, logs). */
const TOKEN_COOKIE = "rapport_source_token";

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
  const secret = deps.env.RAPPORT_SECRET;
  // Back to the list (or `path`) with a signed message: POST-redirect-GET.
  const back = (c: Context<WebEnv>, kind: FlashKind, text: string, path = "/sources") =>
    c.redirect(withFlash(path, kind, text, flashKeyOf(c, secret)), 303);
  const page = async (
    c: Context<WebEnv>,
    extra: Partial<SourcesPageProps> & {
      type?: string;
      errors?: Record<string, string>;
      testResult?: { ok: boolean; message: string };
      offerAnyway?: boolean;
    } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const user = c.get("user");
    const [list, options] = await Promise.all([listSources(deps, user), filterOptions(deps, user)]);
    const { type, errors, testResult, offerAnyway, ...props } = extra;
    const types = sourceTypeForms();
    const chosen = types.find((t) => t.type === (type ?? c.req.query("type"))) ?? types[0]!;
    return c.html(
      <SourcesPage
        user={user}
        csrfToken={c.get("auth")?.csrfToken ?? null}
        sources={list}
        brands={options.brands}
        now={deps.now()}
        {...props}
        addForm={{ types, chosen, ...(errors ? { errors } : {}), testResult, offerAnyway }}
      />,
      status,
    );
  };
  const editPage = async (
    c: Context<WebEnv>,
    id: number,
    extra: {
      values?: Record<string, string | string[]>;
      errors?: Record<string, string>;
      offerAnyway?: boolean;
      focus?: "edit" | "credentials";
      message?: { ok: boolean; text: string };
    } = {},
    status: 200 | 400 | 409 = 200,
  ) => {
    const user = c.get("user");
    const [{ source, values }, list, options] = await Promise.all([
      editFormValues(deps, user, id),
      listSources(deps, user),
      filterOptions(deps, user),
    ]);
    const summary = list.find((s) => s.id === source.id);
    const form = sourceTypeForm(source.type);
    if (!summary || !form || !summary.editable)
      return back(c, "error", `"${source.name}" is changed from the command line (rapport sources).`);
    return c.html(
      <EditSourcePage
        user={user}
        csrfToken={c.get("auth")?.csrfToken ?? null}
        brands={options.brands}
        state={{
          source: summary,
          form,
          values: extra.values ?? values,
          ...(extra.errors ? { errors: extra.errors } : {}),
          ...(extra.offerAnyway ? { offerAnyway: true } : {}),
          ...(extra.focus ? { focus: extra.focus } : {}),
        }}
        message={extra.message ?? flashOf(c, secret)}
      />,
      status,
    );
  };
  /** A form's fields: `config.<name>` values (lists for checkboxes), and what may be shown again (no secrets). */
  const readForm = async (c: Context<WebEnv>, typeForm: SourceTypeForm) => {
    const body = await c.req.parseBody({ all: true });
    const values: Record<string, string | string[]> = {};
    const configValues: Record<string, string | string[] | undefined> = {};
    for (const [key, value] of Object.entries(body)) {
      const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
      if (key === "_csrf" || list.length === 0) continue;
      if (key.startsWith("config.")) {
        const name = key.slice("config.".length);
        const checkboxes = typeForm.fields.find((f) => f.name === name)?.input === "checkboxes";
        configValues[name] = checkboxes ? list : list[0];
        if (isSecretField(name)) continue;
      }
      values[key] = list.length === 1 && !key.startsWith("config.") ? list[0]! : list;
    }
    const one = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : "");
    return {
      values,
      configValues,
      name: one("name"),
      brand: one("brand"),
      every: one("every"),
      anyway: one("anyway") === "1",
    };
  };
  /** The add form as posted: its type's form, the connector config, and what may be shown again (no secrets). */
  const readAddForm = async (c: Context<WebEnv>) => {
    const type = String((await c.req.parseBody()).type ?? "");
    const typeForm = sourceTypeForm(type);
    if (!typeForm)
      throw badRequest(
        `Choose a source type: ${sourceTypeForms()
          .map((t) => t.type)
          .join(", ")}`,
      );
    const form = await readForm(c, typeForm);
    return { typeForm, config: configFromForm(typeForm, form.configValues), ...form };
  };
  const fieldErrorsOf = (error: AppError): Record<string, string> =>
    Object.fromEntries(
      (Array.isArray(error.details) ? (error.details as { path?: string; message?: string }[]) : [])
        .filter((d) => d.path?.startsWith("config."))
        .map((d) => [d.path!.slice("config.".length), d.message ?? ""]),
    );
  const idOf = (c: Context<WebEnv>) => {
    const parsed = idParam.safeParse({ id: c.req.param("id") });
    if (!parsed.success) throw notFound("Source");
    return parsed.data.id;
  };
  return (
    new Hono<WebEnv>()
      .get("/sources", (c) => {
        const once = getCookie(c, TOKEN_COOKIE);
        if (once) deleteCookie(c, TOKEN_COOKIE, { path: "/sources", secure: cookieIsSecure(deps) });
        const [name, token] = once
          ? [once.slice(0, once.indexOf(":")), once.slice(once.indexOf(":") + 1)]
          : [];
        const flash = flashOf(c, secret);
        // The token is shown on this one page view, then it is gone (stored hashed only).
        const message =
          name && token && flash?.ok
            ? {
                ok: true,
                text: `${flash.text} Push to POST /api/ingest/${name} with "Authorization: Bearer ${token.slice(0, 200)}" (shown once).`,
              }
            : flash;
        return page(c, message ? { message } : {});
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
            addAnyway: form.anyway,
          });
          if (row.ingestToken)
            setCookie(c, TOKEN_COOKIE, `${row.name}:${row.ingestToken}`, {
              path: "/sources",
              httpOnly: true,
              sameSite: "Strict",
              secure: cookieIsSecure(deps),
              maxAge: 300,
            });
          const tested =
            row.connectionTest.verdict === "passed"
              ? " The connection test passed."
              : row.connectionTest.verdict === "saved_anyway"
                ? " It was added without a passing connection test: it shows as failing until it works."
                : "";
          return back(c, "notice", `Added "${row.name}": polled ${describeSchedule(row.schedule)}.${tested}`);
        } catch (error) {
          if (
            error instanceof AppError &&
            error.code === "conflict" &&
            isConnectionTestFailure(error.details)
          ) {
            return page(
              c,
              {
                type,
                form: form.values,
                offerAnyway: true,
                testResult: error.details.connectionTest,
                message: {
                  ok: false,
                  text: `${error.details.connectionTest.message} Fix the settings (enter the credentials again), or tick "Add anyway" and add it.`,
                },
              },
              409,
            );
          }
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
      .get("/sources/:id/edit", requirePermission("manageSources"), async (c) => editPage(c, idOf(c)))
      .post("/sources/:id/edit", requirePermission("manageSources"), async (c) => {
        const id = idOf(c);
        const { source } = await editFormValues(deps, c.get("user"), id);
        const typeForm = sourceTypeForm(source.type);
        if (!typeForm) return back(c, "error", `"${source.name}" is changed from the command line.`);
        const form = await readForm(c, typeForm);
        try {
          const outcome = await editSource(deps, c.get("user"), id, {
            name: form.name,
            brand: form.brand,
            every: form.every,
            config: configPatchFromForm(typeForm, form.configValues),
            anyway: form.anyway,
          });
          const rotated = outcome.rotated.length > 0 ? " New credentials were sealed and stored." : "";
          const tested = outcome.connectionTest?.verdict === "passed" ? " The connection test passed." : "";
          return back(c, "notice", `Saved "${outcome.source.name}".${rotated}${tested}`);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.code === "conflict" && isConnectionTestFailure(error.details))
            return editPage(
              c,
              id,
              {
                values: form.values,
                offerAnyway: true,
                message: {
                  ok: false,
                  text: `${error.details.connectionTest.message} Nothing was saved: fix the settings, or tick "Save anyway".`,
                },
              },
              409,
            );
          if (error.code === "bad_request" || error.code === "conflict")
            return editPage(
              c,
              id,
              {
                values: form.values,
                errors: fieldErrorsOf(error),
                message: { ok: false, text: error.message },
              },
              400,
            );
          throw error;
        }
      })
      .post("/sources/:id/credentials", requirePermission("manageSources"), async (c) => {
        const id = idOf(c);
        const { source } = await editFormValues(deps, c.get("user"), id);
        const typeForm = sourceTypeForm(source.type);
        if (!typeForm) return back(c, "error", `"${source.name}" is changed from the command line.`);
        const form = await readForm(c, typeForm);
        const credentials = Object.fromEntries(
          Object.entries(form.configValues).map(([name, value]) => [
            name,
            Array.isArray(value) ? value[0] : value,
          ]),
        );
        try {
          const outcome = await rotateCredentials(deps, c.get("user"), id, credentials, form.anyway);
          return back(
            c,
            "notice",
            `Rotated the credentials of "${outcome.source.name}" (${outcome.rotated.join(", ")}): sealed and stored.${outcome.connectionTest?.verdict === "passed" ? " The connection test passed." : ""}`,
          );
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.code === "conflict" && isConnectionTestFailure(error.details))
            return editPage(
              c,
              id,
              {
                offerAnyway: true,
                focus: "credentials",
                message: {
                  ok: false,
                  text: `${error.details.connectionTest.message} The old credentials are still in place: enter the new ones again, or tick "Save anyway".`,
                },
              },
              409,
            );
          if (error.code === "bad_request") return back(c, "error", error.message, `/sources/${id}/edit`);
          throw error;
        }
      })
      .post("/sources/:id/token", requirePermission("manageSources"), async (c) => {
        const rotated = await rotatePushToken(deps, c.get("user"), idOf(c));
        setCookie(c, TOKEN_COOKIE, `${rotated.name}:${rotated.ingestToken}`, {
          path: "/sources",
          httpOnly: true,
          sameSite: "Strict",
          secure: cookieIsSecure(deps),
          maxAge: 300,
        });
        return back(c, "notice", `New push token for "${rotated.name}": the old one no longer works.`);
      })
      .post("/sources/:id/:action{pause|resume}", requirePermission("manageSources"), async (c) => {
        const paused = c.req.param("action") === "pause";
        const { source, changed } = await setSourcePaused(deps, c.get("user"), idOf(c), paused);
        const text = paused
          ? `Paused "${source.name}": it is not polled until you resume it.`
          : `Resumed "${source.name}": it is polled ${describeSchedule(source.schedule)} again.`;
        return back(
          c,
          "notice",
          changed ? text : `"${source.name}" was already ${paused ? "paused" : "running"}.`,
        );
      })
      .get("/sources/:id/remove", requirePermission("manageSources"), async (c) => {
        const user = c.get("user");
        const preview = await removalPreview(deps, user, idOf(c));
        const summary = (await listSources(deps, user)).find((s) => s.id === preview.source.id)!;
        return c.html(
          <RemoveSourcePage
            user={user}
            csrfToken={c.get("auth")?.csrfToken ?? null}
            source={summary}
            mentions={preview.mentions}
          />,
        );
      })
      .post("/sources/:id/remove", requirePermission("manageSources"), async (c) => {
        const id = idOf(c);
        // Only the confirm page's button removes: a bare POST (an old form, a stray script) goes to that page.
        if ((await c.req.parseBody()).confirm !== "1") return c.redirect(`/sources/${id}/remove`, 303);
        const removed = await removeSource(deps, c.get("user"), id);
        return back(
          c,
          "notice",
          `Removed "${removed.name}". Its ${removed.mentionsKept} mention(s) stay in the feed.`,
        );
      })
      .post(
        "/sources/:id/test",
        requirePermission("manageSources"),
        validate("param", idParam),
        async (c) => {
          const result = await testSourceConnection(deps, c.get("user"), c.req.valid("param").id);
          return result.ok
            ? back(c, "notice", `Connection works: ${result.message}`)
            : back(c, "error", result.message);
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
          return back(
            c,
            "notice",
            `Polling "${started.name}" started: its result appears in the list below (reload to see it).`,
          );
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
            {
              id: row.id,
              name: row.name,
              type: row.type,
              schedule: row.schedule,
              brandId: row.brandId,
              connectionTest: row.connectionTest.verdict,
              ...(row.ingestToken ? { ingestToken: row.ingestToken } : {}),
            },
            201,
          );
        },
      )
      .patch(
        "/api/sources/:id",
        requirePermission("manageSources"),
        validate("param", idParam),
        validate("json", editSourceSchema),
        async (c) => {
          const id = c.req.valid("param").id;
          const { paused, saveAnyway, ...changes } = c.req.valid("json");
          const user = c.get("user");
          const touched = Object.values(changes).some((v) => v !== undefined);
          let connectionTest: string | null = null;
          if (touched) {
            const outcome = await editSource(deps, user, id, { ...changes, anyway: saveAnyway });
            connectionTest = outcome.connectionTest?.verdict ?? null;
          }
          if (paused !== undefined) await setSourcePaused(deps, user, id, paused);
          const summary = (await listSources(deps, user)).find((s) => s.id === id);
          if (!summary) throw notFound("Source");
          return c.json({ ...summary, connectionTest });
        },
      )
      .delete("/api/sources/:id", requirePermission("manageSources"), validate("param", idParam), async (c) =>
        c.json({ removed: true, ...(await removeSource(deps, c.get("user"), c.req.valid("param").id)) }),
      )
      .post(
        "/api/sources/:id/credentials",
        requirePermission("manageSources"),
        validate("param", idParam),
        validate("json", rotateCredentialsSchema),
        async (c) => {
          const { credentials, saveAnyway } = c.req.valid("json");
          const outcome = await rotateCredentials(
            deps,
            c.get("user"),
            c.req.valid("param").id,
            credentials,
            saveAnyway === true,
          );
          return c.json({
            rotated: outcome.rotated,
            connectionTest: outcome.connectionTest?.verdict ?? null,
          });
        },
      )
      .post(
        "/api/sources/:id/token",
        requirePermission("manageSources"),
        validate("param", idParam),
        async (c) => c.json(await rotatePushToken(deps, c.get("user"), c.req.valid("param").id)),
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
    summary:
      "Sources with schedule (cron and in words), last run, next run, health and last error; removed sources are left out",
  },
  {
    method: "post",
    path: "/api/sources",
    summary:
      "Add a source (brand defaults to the company brand). Its connection is tested first: a failing test answers 409 with the test's message unless addAnyway is true",
    permission: "manageSources",
  },
  {
    method: "patch",
    path: "/api/sources/:id",
    summary:
      "Change a source's name, brand, schedule or settings, or pause/resume it. Changed settings are tested first (a failing test answers 409 unless saveAnyway); credentials are never returned",
    permission: "manageSources",
  },
  {
    method: "delete",
    path: "/api/sources/:id",
    summary:
      "Remove a source: it is no longer polled or listed, and pushes to it are refused; its mentions stay (audited)",
    permission: "manageSources",
  },
  {
    method: "post",
    path: "/api/sources/:id/credentials",
    summary:
      "Rotate a source's credentials: each given value replaces the stored one, sealed; tested first (409 on failure unless saveAnyway)",
    permission: "manageSources",
  },
  {
    method: "post",
    path: "/api/sources/:id/token",
    summary:
      "A new token for a push source's POST /api/ingest/<name> ({name, ingestToken}, shown once); the old one stops working",
    permission: "manageSources",
  },
  {
    method: "post",
    path: "/api/sources/test-config",
    summary:
      "Test a source configuration before adding it (nothing is stored): {ok, message, fieldErrors} with zod's issues per field",
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
