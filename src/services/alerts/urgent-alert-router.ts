// Urgent mentions raise a Slack alert in the store transaction itself: the outbox row commits with the mention,
// so the alert goes out on the next delivery run after the poll that found it, and a rolled-back page alerts nobody.
import { eq, inArray } from "drizzle-orm";
import { brands, sources } from "../../db/schema/index.js";
import { criticalReasons, isCritical } from "../../domain/criticality.js";
import type { Flag } from "../../domain/taxonomy.js";
import { buildUrgentMentionMessage } from "../../notify/slack.js";
import type { Router, StoredMention } from "../../pipeline/route.js";
import { mentionLink } from "../../platform/links.js";
import { slackDestination } from "../../platform/outbox/destinations.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";

export function isUrgent(stored: StoredMention): boolean {
  const classification = stored.prepared.classification;
  return isCritical(classification?.severity, classification?.flags ?? stored.prepared.mention.flags ?? []);
}

export interface UrgentAlertConfig {
  /** Absolute base for links back into Rapport (see publicBaseUrl). */
  publicUrl: string;
  /** SLACK_WEBHOOK_URL: used for brands without their own webhook. */
  fallbackWebhookUrl?: string;
}

/**
 * One alert per urgent mention and Slack destination. The first brand with a webhook gets the key `urgent:<mentionId>`;
 * a second brand with a different webhook gets `urgent:<mentionId>:brand:<brandId>`. No webhook, no alert.
 */
export function urgentAlertRouter(config: UrgentAlertConfig): Router {
  return async (tx, stored, ctx) => {
    const urgent = stored.filter(isUrgent);
    if (urgent.length === 0) return;
    const brandIds = [...new Set(urgent.flatMap((m) => m.prepared.brandIds))];
    if (brandIds.length === 0) return;
    const brandRows = await tx
      .select({
        id: brands.id,
        name: brands.name,
        slackWebhookUrl: brands.slackWebhookUrl,
        workspaceId: brands.workspaceId,
      })
      .from(brands)
      .where(inArray(brands.id, brandIds));
    const brandById = new Map(brandRows.map((b) => [b.id, b]));
    const [source] = await tx
      .select({ name: sources.name })
      .from(sources)
      .where(eq(sources.id, ctx.sourceId));
    for (const m of urgent) {
      const sent = new Set<string>();
      for (const brandId of m.prepared.brandIds) {
        const brand = brandById.get(brandId);
        if (!brand) continue;
        const destination = slackDestination(brand.slackWebhookUrl, config.fallbackWebhookUrl);
        if (!destination || sent.has(destination)) continue;
        sent.add(destination);
        const c = m.prepared.classification;
        const flags = [...(c?.flags ?? m.prepared.mention.flags ?? [])].filter((f) => f !== "pii") as Flag[];
        const reach = m.prepared.mention.reach ?? null;
        // Flags explain themselves in the message; without one, severity came from reach or a lawsuit threat.
        const reasons = criticalReasons(flags, reach);
        const payload = buildUrgentMentionMessage({
          brand: brand.name,
          source: source?.name ?? "unknown source",
          text: m.prepared.textMasked,
          category: c?.category ?? "unclassified",
          flags,
          reasons,
          reach,
          createdAt: m.prepared.mention.createdAt.toISOString(),
          postUrl: m.prepared.mention.url ?? null,
          mentionUrl: mentionLink(config.publicUrl, m.id),
        });
        await enqueueOutbox(
          tx,
          {
            kind: "slack",
            idempotencyKey: sent.size === 1 ? `urgent:${m.id}` : `urgent:${m.id}:brand:${brandId}`,
            destination,
            payload,
            workspaceId: brand.workspaceId,
          },
          ctx.now,
        );
      }
    }
  };
}
