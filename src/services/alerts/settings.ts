// What managers configure for alerts and digests: each brand's Slack webhook, digest recipients, the workspace's
// spike sensitivity; plus the outbox retry. Every change is audited in the same transaction. Webhook URLs are
// secrets (whoever has one can post to the channel): they are never shown or audited in full.
import { and, desc, eq, inArray, isNotNull, notLike } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { brands, digestRecipients, outbox, spikes, workspaces } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { slackWebhookProblem } from "../../domain/slack-webhook.js";
import type { Sensitivity } from "../../domain/spikes/detect.js";
import { badRequest, notFound } from "../../errors.js";
import { isSealed } from "../../platform/credentials.js";
import { openWebhook, sealWebhook, slackDestination } from "../../platform/outbox/destinations.js";
import { enqueueOutbox, outboxVisibleTo, requeueOutbox } from "../../platform/outbox/outbox.js";
import { recordAudit } from "../audit/record-audit.js";
import type { StoredSpikeDetails } from "./spike-detection.js";

const actor = (user: AuthUser) => ({ id: user.id, email: user.email });

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

/** `https://hooks.slack.com/…/abcd`: enough to recognise a webhook, not enough to use it. */
export function redactWebhook(url: string | null | undefined): string | null {
  if (!url) return null;
  // A sealed value (an outbox row's destination) shows nothing of the URL; open it first to show more.
  if (isSealed(url as unknown)) return "Slack webhook (sealed)";
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…${url.slice(-4)}`;
  } catch {
    return `…${url.slice(-4)}`;
  }
}

/** A destination as the dashboard may show it: e-mail addresses in full, URLs redacted. */
export function displayDestination(kind: string, destination: string): string {
  return kind === "email" ? destination : (redactWebhook(destination) ?? "");
}

/** The dashboard's check of a webhook URL: the same rule as SLACK_WEBHOOK_URL's (src/domain/slack-webhook.ts). */
export function validateWebhookUrl(raw: string): string {
  const problem = slackWebhookProblem(raw);
  if (problem) throw badRequest(problem);
  return raw.trim();
}

/** The workspace's brands, webhooks opened (callers show them redacted, never in full). */
export async function workspaceBrands(deps: Deps, user: AuthUser) {
  const rows = await deps.db
    .select({
      id: brands.id,
      name: brands.name,
      slug: brands.slug,
      kind: brands.kind,
      slackWebhookUrl: brands.slackWebhookUrl,
    })
    .from(brands)
    .where(eq(brands.workspaceId, user.workspaceId))
    .orderBy(brands.kind, brands.name);
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      slackWebhookUrl: row.slackWebhookUrl ? await openStoredWebhook(deps, row.slackWebhookUrl) : null,
    })),
  );
}

/** A webhook that no longer opens (another RAPPORT_SECRET) shows as missing rather than breaking the page. */
async function openStoredWebhook(deps: Deps, stored: string): Promise<string | null> {
  try {
    return await openWebhook(stored, deps.env.RAPPORT_SECRET);
  } catch {
    return null;
  }
}

/** `npm start` and `rapport migrate`: brand webhooks stored before sealing existed are sealed. Idempotent. */
export async function sealStoredWebhooks(deps: Pick<Deps, "db" | "env">): Promise<number> {
  const rows = await deps.db
    .select({ id: brands.id, url: brands.slackWebhookUrl })
    .from(brands)
    .where(and(isNotNull(brands.slackWebhookUrl), notLike(brands.slackWebhookUrl, "sealed:%")));
  for (const row of rows) {
    await deps.db
      .update(brands)
      .set({ slackWebhookUrl: await sealWebhook(row.url!, deps.env.RAPPORT_SECRET) })
      .where(eq(brands.id, row.id));
  }
  return rows.length;
}

async function brandInWorkspace(deps: Deps, user: AuthUser, brandId: number) {
  const [brand] = await deps.db
    .select()
    .from(brands)
    .where(and(eq(brands.id, brandId), eq(brands.workspaceId, user.workspaceId)));
  if (!brand) throw notFound("Brand");
  return brand;
}

export async function setBrandWebhook(
  deps: Deps,
  user: AuthUser,
  brandId: number,
  rawUrl: string,
): Promise<void> {
  const brand = await brandInWorkspace(deps, user, brandId);
  const url = rawUrl.trim() === "" ? null : validateWebhookUrl(rawUrl);
  // Alerts link back to the dashboard; outside the demo those links need its real address (as env.ts requires
  // for SLACK_WEBHOOK_URL at start).
  if (url && !deps.env.RAPPORT_DEMO && !deps.env.PUBLIC_URL) {
    throw badRequest(
      "Set PUBLIC_URL to the dashboard's address (e.g. PUBLIC_URL=https://rapport.example.com) and restart first: links in Slack alerts would point at http://localhost.",
    );
  }
  await inTransaction(deps.db, "changing a brand's Slack webhook", async (tx) => {
    const stored = url ? await sealWebhook(url, deps.env.RAPPORT_SECRET) : null;
    await tx.update(brands).set({ slackWebhookUrl: stored }).where(eq(brands.id, brand.id));
    await recordAudit(tx, {
      actor: actor(user),
      action: "alerts.slack_webhook",
      entityType: "brand",
      entityId: brand.id,
      before: {
        slackWebhook: redactWebhook(
          brand.slackWebhookUrl ? await openStoredWebhook(deps, brand.slackWebhookUrl) : null,
        ),
      },
      after: { slackWebhook: redactWebhook(url) },
      at: deps.now(),
    });
  });
}

/** Queues a test message to the brand's destination: the quickest way to see a webhook work (or its fix). */
export async function sendTestAlert(deps: Deps, user: AuthUser, brandId: number): Promise<boolean> {
  const brand = await brandInWorkspace(deps, user, brandId);
  const destination = slackDestination(brand.slackWebhookUrl, deps.env.SLACK_WEBHOOK_URL);
  if (!destination) return false;
  const now = deps.now();
  await inTransaction(deps.db, "sending a test alert", async (tx) => {
    await enqueueOutbox(
      tx,
      {
        kind: "slack",
        idempotencyKey: `test:${brand.id}:${now.getTime()}`,
        destination,
        workspaceId: brand.workspaceId,
        payload: {
          text: `Rapport test message for ${brand.name}: alerts for this brand will arrive here.`,
          blocks: [
            {
              type: "section",
              text: {
                type: "mrkdwn",
                text: `:white_check_mark: Rapport test message for *${brand.name}*: alerts for this brand will arrive here.`,
              },
            },
          ],
        },
      },
      now,
    );
    await recordAudit(tx, {
      actor: actor(user),
      action: "alerts.test_message",
      entityType: "brand",
      entityId: brand.id,
      at: now,
    });
  });
  return true;
}

export async function listRecipients(deps: Deps, user: AuthUser) {
  return deps.db
    .select()
    .from(digestRecipients)
    .where(eq(digestRecipients.workspaceId, user.workspaceId))
    .orderBy(digestRecipients.email);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function addRecipient(
  deps: Deps,
  user: AuthUser,
  input: { brandId: number | null; email: string; timeZone: string },
): Promise<number> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw badRequest(`"${input.email}" is not an e-mail address`);
  const timeZone = input.timeZone.trim();
  // Abbreviations like "EST" are accepted by Intl but ignore daylight saving: require a Region/City name.
  if (!isValidTimeZone(timeZone) || (!timeZone.includes("/") && timeZone !== "UTC")) {
    throw badRequest(
      `"${input.timeZone}" is not an IANA time zone (e.g. America/New_York, Europe/London, UTC)`,
    );
  }
  if (input.brandId !== null) await brandInWorkspace(deps, user, input.brandId);
  return inTransaction(deps.db, "adding an alert recipient", async (tx) => {
    const [row] = await tx
      .insert(digestRecipients)
      .values({
        workspaceId: user.workspaceId,
        brandId: input.brandId,
        email,
        timeZone,
        createdAt: deps.now(),
      })
      .returning({ id: digestRecipients.id });
    await recordAudit(tx, {
      actor: actor(user),
      action: "digest.recipient_add",
      entityType: "digest_recipient",
      entityId: row!.id,
      after: { brandId: input.brandId, email, timeZone },
      at: deps.now(),
    });
    return row!.id;
  });
}

export async function removeRecipient(deps: Deps, user: AuthUser, id: number): Promise<void> {
  const visible = await listRecipients(deps, user);
  const recipient = visible.find((r) => r.id === id);
  if (!recipient) throw notFound("Recipient");
  await inTransaction(deps.db, "removing an alert recipient", async (tx) => {
    await tx.delete(digestRecipients).where(eq(digestRecipients.id, id));
    await recordAudit(tx, {
      actor: actor(user),
      action: "digest.recipient_remove",
      entityType: "digest_recipient",
      entityId: id,
      before: { brandId: recipient.brandId, email: recipient.email, timeZone: recipient.timeZone },
      at: deps.now(),
    });
  });
}

export async function workspaceSensitivity(deps: Deps, user: AuthUser): Promise<Sensitivity> {
  const [ws] = await deps.db
    .select({ settings: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, user.workspaceId));
  return ws?.settings.spikeSensitivity ?? "balanced";
}

export async function setSensitivity(deps: Deps, user: AuthUser, sensitivity: Sensitivity): Promise<void> {
  await inTransaction(deps.db, "changing alert sensitivity", async (tx) => {
    const [ws] = await tx
      .select({ settings: workspaces.settings })
      .from(workspaces)
      .where(eq(workspaces.id, user.workspaceId));
    if (!ws) throw notFound("Workspace");
    await tx
      .update(workspaces)
      .set({ settings: { ...ws.settings, spikeSensitivity: sensitivity } })
      .where(eq(workspaces.id, user.workspaceId));
    await recordAudit(tx, {
      actor: actor(user),
      action: "alerts.spike_sensitivity",
      entityType: "workspace",
      entityId: user.workspaceId,
      before: { spikeSensitivity: ws.settings.spikeSensitivity ?? "balanced" },
      after: { spikeSensitivity: sensitivity },
      at: deps.now(),
    });
  });
}

export async function retryOutboxRow(deps: Deps, user: AuthUser, id: number): Promise<void> {
  await inTransaction(deps.db, "retrying an outbox message", async (tx) => {
    const [before] = await tx
      .select()
      .from(outbox)
      .where(and(eq(outbox.id, id), outboxVisibleTo(user.workspaceId)));
    if (!before) throw notFound("Message");
    if (before.status === "sent")
      throw badRequest("This message was delivered already; it is not sent twice.");
    await requeueOutbox(tx, id, deps.now());
    await recordAudit(tx, {
      actor: actor(user),
      action: "outbox.retry",
      entityType: "outbox",
      entityId: id,
      before: { status: before.status, lastError: before.lastError },
      after: { status: "pending" },
      at: deps.now(),
    });
  });
}

export async function recentSpikes(deps: Deps, user: AuthUser, limit = 20) {
  const brandIds = (await workspaceBrands(deps, user)).map((b) => b.id);
  if (brandIds.length === 0) return [];
  const rows = await deps.db
    .select()
    .from(spikes)
    .where(inArray(spikes.brandId, brandIds))
    .orderBy(desc(spikes.startedAt), desc(spikes.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, details: row.explanation as StoredSpikeDetails | null }));
}
