// /alerts (managers and admins): the outbox with retry, recent spikes, Slack webhooks, digest recipients,
// spike sensitivity (workspace and per brand), per-key mute and snooze, and "was this useful?" on each spike.
// Forms post here with the CSRF token and redirect back (POST-redirect-GET); every change is audited by the
// service it calls.
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { outboxSummary } from "../../platform/outbox/outbox.js";
import {
  addRecipient,
  displayDestination,
  listRecipients,
  recentSpikes,
  redactWebhook,
  removeRecipient,
  retryOutboxRow,
  sendTestAlert,
  setBrandWebhook,
  setSensitivity,
  workspaceBrands,
  workspaceSensitivity,
} from "../../services/alerts/settings.js";
import { feedbackForSpikes, recordSpikeFeedback } from "../../services/alerts/spike-feedback.js";
import { listSpikeMutes, muteSpikeKey, unmuteSpikeKey } from "../../services/alerts/spike-mutes.js";
import { brandSensitivities, setBrandSensitivity } from "../../services/alerts/spike-sensitivity.js";
import { listSources } from "../../services/sources/list-sources.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import type { ApiOperation } from "../openapi.js";
import { validate } from "../validate.js";
import { AlertsPage } from "../views/alerts-page.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });
const webhookForm = z.object({ url: z.string().max(2000).default("") });
const recipientForm = z.object({
  email: z.string().max(320),
  timeZone: z.string().max(100),
  brandId: z.union([z.literal(""), z.coerce.number().int().positive()]).default(""),
});
const sensitivityForm = z.object({ sensitivity: z.enum(["fewer", "balanced", "more"]) });
/** "" on a brand: follow the workspace's sensitivity. */
const brandSensitivityForm = z.object({ sensitivity: z.enum(["", "fewer", "balanced", "more"]) });
const feedbackForm = z.object({ useful: z.enum(["yes", "no"]) });
const SPIKE_KEY = z.string().min(1).max(200);
/** A snooze for a while, or a mute until unmuted. */
const SNOOZE_HOURS = { "1h": 1, "4h": 4, "24h": 24, "7d": 168 } as const;
const muteForm = z.object({ key: SPIKE_KEY, for: z.enum(["1h", "4h", "24h", "7d", "forever"]) });
const unmuteForm = z.object({ key: SPIKE_KEY });
const muteBody = z.object({
  key: SPIKE_KEY.describe(
    "brand:<id> (covers its category×source keys) or brand:<id>|cat:<category>|src:<id>",
  ),
  until: z.string().datetime().nullable().describe("ISO instant the snooze ends; null mutes until unmuted"),
});
const feedbackBody = z.object({ useful: z.boolean() });
const brandSensitivityBody = z.object({ sensitivity: z.enum(["fewer", "balanced", "more"]).nullable() });
const HOUR_MS = 3_600_000;
const webhookBody = z.object({
  url: z.string().max(2000).describe('the incoming webhook URL; "" removes it'),
});
const recipientBody = z.object({
  email: z.string().max(320),
  timeZone: z.string().max(100).describe("IANA zone, e.g. America/New_York"),
  brandId: z.number().int().positive().nullable().default(null).describe("null: the company brand"),
});

const DONE: Record<string, string> = {
  retry: "Queued again: it goes out within a minute.",
  webhook: "Slack webhook saved.",
  test: "Test message queued: it goes out within a minute (see Delivery).",
  "no-webhook": "No webhook for this brand and no SLACK_WEBHOOK_URL: nothing to test.",
  "recipient-added": "Recipient added.",
  "recipient-removed": "Recipient removed.",
  sensitivity: "Spike sensitivity saved.",
  "brand-sensitivity": "Brand sensitivity saved.",
  feedback: "Thanks: your answer is counted in the weekly digest.",
  muted: "Muted: spikes on this key are still listed here, but not sent to Slack.",
  unmuted: "Unmuted: spikes on this key are sent to Slack again.",
};

const timeZones = (() => {
  let cached: string[] | null = null;
  return () => {
    cached ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((tz) => tz.includes("/"))];
    return cached;
  };
})();

export function alertsRoutes(deps: Deps) {
  // biome-ignore lint/suspicious/noExplicitAny: any route's context (their path and input types differ)
  type AnyContext = Context<WebEnv, any, any>;
  const page = async (c: AnyContext, message?: { ok: boolean; text: string }, status = 200) => {
    const user = c.get("user");
    const spikes = await recentSpikes(deps, user);
    const mutes = await listSpikeMutes(deps, user);
    // A muted key names its source by id; the page shows the source's name.
    const sourceNames = mutes.some((m) => m.key.includes("|src:"))
      ? new Map((await listSources(deps, user)).map((s) => [s.id, s.name]))
      : new Map<number, string>();
    return c.html(
      <AlertsPage
        user={user}
        csrfToken={c.get("auth")?.csrfToken ?? null}
        outbox={await outboxSummary(deps.db, user.workspaceId)}
        spikes={spikes}
        feedback={
          await feedbackForSpikes(
            deps,
            user,
            spikes.map((s) => s.id),
          )
        }
        mutes={mutes}
        sourceNames={sourceNames}
        brandSensitivity={await brandSensitivities(deps, user)}
        now={deps.now()}
        brands={await workspaceBrands(deps, user)}
        recipients={await listRecipients(deps, user)}
        sensitivity={await workspaceSensitivity(deps, user)}
        sharedWebhook={Boolean(deps.env.SLACK_WEBHOOK_URL)}
        smtpConfigured={Boolean(deps.env.SMTP_URL)}
        timeZones={timeZones()}
        message={message}
      />,
      status as 200,
    );
  };
  /** A refused form shows the page again with the reason, not an error page. */
  const orShowError = async (c: AnyContext, action: () => Promise<string>) => {
    try {
      const [done, anchor] = (await action()).split("#");
      return c.redirect(`/alerts?done=${done}${anchor ? `#${anchor}` : ""}`, 303);
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === "bad_request" || error.code === "not_found" || error.code === "forbidden")
      ) {
        const status = { bad_request: 400, not_found: 404, forbidden: 403 }[error.code];
        return page(c, { ok: false, text: error.message }, status);
      }
      throw error;
    }
  };

  return (
    new Hono<WebEnv>()
      .use("/alerts", requirePermission("manageAlerts"))
      .use("/alerts/*", requirePermission("manageAlerts"))
      .get("/alerts", async (c) => {
        const done = c.req.query("done");
        return page(c, done && DONE[done] ? { ok: true, text: DONE[done] } : undefined);
      })
      .post("/alerts/outbox/:id/retry", validate("param", idParam), (c) =>
        orShowError(c, async () => {
          await retryOutboxRow(deps, c.get("user"), c.req.valid("param").id);
          return "retry";
        }),
      )
      .post("/alerts/brands/:id/webhook", validate("param", idParam), validate("form", webhookForm), (c) =>
        orShowError(c, async () => {
          await setBrandWebhook(deps, c.get("user"), c.req.valid("param").id, c.req.valid("form").url);
          return "webhook";
        }),
      )
      .post("/alerts/brands/:id/test", validate("param", idParam), (c) =>
        orShowError(c, async () =>
          (await sendTestAlert(deps, c.get("user"), c.req.valid("param").id)) ? "test" : "no-webhook",
        ),
      )
      .post("/alerts/recipients", validate("form", recipientForm), (c) =>
        orShowError(c, async () => {
          const form = c.req.valid("form");
          await addRecipient(deps, c.get("user"), {
            email: form.email,
            timeZone: form.timeZone,
            brandId: form.brandId === "" ? null : form.brandId,
          });
          return "recipient-added";
        }),
      )
      .post("/alerts/recipients/:id/delete", validate("param", idParam), (c) =>
        orShowError(c, async () => {
          await removeRecipient(deps, c.get("user"), c.req.valid("param").id);
          return "recipient-removed";
        }),
      )
      .post("/alerts/sensitivity", validate("form", sensitivityForm), (c) =>
        orShowError(c, async () => {
          await setSensitivity(deps, c.get("user"), c.req.valid("form").sensitivity);
          return "sensitivity";
        }),
      )
      .post(
        "/alerts/brands/:id/sensitivity",
        validate("param", idParam),
        validate("form", brandSensitivityForm),
        (c) =>
          orShowError(c, async () => {
            const { sensitivity } = c.req.valid("form");
            await setBrandSensitivity(
              deps,
              c.get("user"),
              c.req.valid("param").id,
              sensitivity === "" ? null : sensitivity,
            );
            return "brand-sensitivity#sensitivity";
          }),
      )
      .post("/alerts/spikes/:id/feedback", validate("param", idParam), validate("form", feedbackForm), (c) =>
        orShowError(c, async () => {
          const id = c.req.valid("param").id;
          await recordSpikeFeedback(deps, c.get("user"), id, c.req.valid("form").useful === "yes");
          return `feedback#spike-${id}`;
        }),
      )
      .post("/alerts/mutes", validate("form", muteForm), (c) =>
        orShowError(c, async () => {
          const form = c.req.valid("form");
          const until =
            form.for === "forever" ? null : new Date(deps.now().getTime() + SNOOZE_HOURS[form.for] * HOUR_MS);
          await muteSpikeKey(deps, c.get("user"), form.key, until);
          return "muted#mutes";
        }),
      )
      .post("/alerts/mutes/delete", validate("form", unmuteForm), (c) =>
        orShowError(c, async () => {
          await unmuteSpikeKey(deps, c.get("user"), c.req.valid("form").key);
          return "unmuted#mutes";
        }),
      )
      // The same powers as JSON (see alertsApiDocs).
      .use("/api/alerts", requirePermission("manageAlerts"))
      .use("/api/alerts/*", requirePermission("manageAlerts"))
      .get("/api/alerts", async (c) => {
        const user = c.get("user");
        const summary = await outboxSummary(deps.db, user.workspaceId);
        return c.json({
          outbox: {
            pending: summary.pending,
            failed: summary.failed,
            unknown: summary.unknown,
            sent: summary.sent,
            items: summary.rows.map(({ payload: _payload, destination, ...row }) => ({
              ...row,
              destination: displayDestination(row.kind, destination),
            })),
          },
          spikes: (await recentSpikes(deps, user)).map(({ explanation: _raw, details, ...spike }) => ({
            ...spike,
            ...details,
          })),
          sensitivity: await workspaceSensitivity(deps, user),
          brands: (await workspaceBrands(deps, user)).map(({ slackWebhookUrl, ...b }) => ({
            ...b,
            slackWebhook: redactWebhook(slackWebhookUrl),
          })),
          recipients: await listRecipients(deps, user),
          mutes: (await listSpikeMutes(deps, user)).map((m) => ({
            key: m.key,
            until: m.until?.toISOString() ?? null,
          })),
        });
      })
      .put("/api/alerts/mutes", validate("json", muteBody), async (c) => {
        const { key, until } = c.req.valid("json");
        await muteSpikeKey(deps, c.get("user"), key, until === null ? null : new Date(until));
        return c.json({ ok: true });
      })
      .delete("/api/alerts/mutes", validate("json", unmuteForm), async (c) => {
        await unmuteSpikeKey(deps, c.get("user"), c.req.valid("json").key);
        return c.json({ ok: true });
      })
      .post(
        "/api/alerts/spikes/:id/feedback",
        validate("param", idParam),
        validate("json", feedbackBody),
        async (c) => {
          await recordSpikeFeedback(deps, c.get("user"), c.req.valid("param").id, c.req.valid("json").useful);
          return c.json({ ok: true });
        },
      )
      .put(
        "/api/alerts/brands/:id/spike-sensitivity",
        validate("param", idParam),
        validate("json", brandSensitivityBody),
        async (c) => {
          await setBrandSensitivity(
            deps,
            c.get("user"),
            c.req.valid("param").id,
            c.req.valid("json").sensitivity,
          );
          return c.json({ ok: true });
        },
      )
      .post("/api/alerts/outbox/:id/retry", validate("param", idParam), async (c) => {
        await retryOutboxRow(deps, c.get("user"), c.req.valid("param").id);
        return c.json({ ok: true });
      })
      .put(
        "/api/alerts/brands/:id/slack-webhook",
        validate("param", idParam),
        validate("json", webhookBody),
        async (c) => {
          await setBrandWebhook(deps, c.get("user"), c.req.valid("param").id, c.req.valid("json").url);
          return c.json({ ok: true });
        },
      )
      .post("/api/alerts/recipients", validate("json", recipientBody), async (c) => {
        const id = await addRecipient(deps, c.get("user"), c.req.valid("json"));
        return c.json({ id }, 201);
      })
      .delete("/api/alerts/recipients/:id", validate("param", idParam), async (c) => {
        await removeRecipient(deps, c.get("user"), c.req.valid("param").id);
        return c.json({ ok: true });
      })
      .put("/api/alerts/sensitivity", validate("json", sensitivityForm), async (c) => {
        await setSensitivity(deps, c.get("user"), c.req.valid("json").sensitivity);
        return c.json({ ok: true });
      })
  );
}

export const alertsApiDocs: ApiOperation[] = [
  {
    method: "get",
    path: "/api/alerts",
    summary:
      "Outbox (pending, failed with the fix, latest sent), recent spikes with explanations, webhooks (redacted), digest recipients, sensitivity",
    permission: "manageAlerts",
  },
  {
    method: "post",
    path: "/api/alerts/outbox/:id/retry",
    summary: "Send a failed or waiting message again (never one already sent)",
    permission: "manageAlerts",
  },
  {
    method: "put",
    path: "/api/alerts/brands/:id/slack-webhook",
    summary: "Set or remove a brand's Slack incoming webhook",
    permission: "manageAlerts",
  },
  {
    method: "post",
    path: "/api/alerts/recipients",
    summary: "Add a weekly digest recipient (e-mail and IANA time zone)",
    permission: "manageAlerts",
  },
  {
    method: "delete",
    path: "/api/alerts/recipients/:id",
    summary: "Remove a digest recipient",
    permission: "manageAlerts",
  },
  {
    method: "put",
    path: "/api/alerts/mutes",
    summary: "Mute a spike key (until null) or snooze it until an instant: its spikes are listed, not sent",
    permission: "manageAlerts",
  },
  {
    method: "delete",
    path: "/api/alerts/mutes",
    summary: "Unmute a spike key",
    permission: "manageAlerts",
  },
  {
    method: "post",
    path: "/api/alerts/spikes/:id/feedback",
    summary: "Was this spike alert useful? One answer per person (a second replaces the first)",
    permission: "manageAlerts",
  },
  {
    method: "put",
    path: "/api/alerts/brands/:id/spike-sensitivity",
    summary: "A brand's own spike sensitivity; null follows the workspace's",
    permission: "manageAlerts",
  },
  {
    method: "put",
    path: "/api/alerts/sensitivity",
    summary: "Spike sensitivity: fewer, balanced or more",
    permission: "manageAlerts",
  },
];
