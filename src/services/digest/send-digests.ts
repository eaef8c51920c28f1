// Digest e-mails go through the outbox like Slack alerts: one row per recipient and week, keyed
// `digest:<brandId>:<week>:<email>`, so a re-run (or two schedulers) never mails a director twice.
import { eq, inArray } from "drizzle-orm";
import { brands, digestRecipients, outbox } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { DigestData } from "../../domain/digest/digest-data.js";
import {
  addWeeks,
  formatIsoWeek,
  type IsoWeek,
  isoWeekOf,
  mondayAt,
  weekBounds,
} from "../../domain/digest/week.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";
import type { EmailPayload } from "../../platform/outbox/senders.js";
import { renderDigest } from "./email/digest-email.js";
import { loadDigestData } from "./load-digest.js";

export const digestKey = (brandId: number, week: string, email: string) =>
  `digest:${brandId}:${week}:${email.toLowerCase()}`;

export function digestEmail(data: DigestData, to: string): EmailPayload {
  const rendered = renderDigest(data);
  return { to: [to], subject: rendered.subject, html: rendered.html, text: rendered.text };
}

export interface DigestRunReport {
  /** Recipients whose Monday 08:00 has passed and whose digest was queued now. */
  queued: string[];
  /** Already queued or sent earlier this week. */
  alreadyQueued: number;
  /** Recipients whose local Monday 08:00 has not come yet. */
  notDue: number;
  /** Why nothing was queued at all (no mail server configured). */
  skipped?: string;
}

/** Recipients without a brand receive their own workspace's company brand digest (never another's). */
async function recipientsByBrand(deps: Deps) {
  const rows = await deps.db.select().from(digestRecipients);
  const companyBrands = await deps.db
    .select({ id: brands.id, workspaceId: brands.workspaceId })
    .from(brands)
    .where(eq(brands.kind, "company"));
  return rows.flatMap((r) =>
    r.brandId !== null
      ? [{ ...r, brandId: r.brandId }]
      : companyBrands
          .filter((b) => b.workspaceId === r.workspaceId)
          .map((b) => ({ ...r, brandId: b.id, workspaceId: b.workspaceId })),
  );
}

/**
 * Every 15 minutes: each recipient whose local Monday 08:00 of this week has passed (and the UTC week with it)
 * gets last week's digest, once. Data are loaded once per brand and week however many directors read it.
 */
export async function runSendDigests(deps: Deps, now: Date): Promise<DigestRunReport> {
  const report: DigestRunReport = { queued: [], alreadyQueued: 0, notDue: 0 };
  // Without a mail server every digest would only pile up as failed rows; the CLI can still print or write them.
  if (!deps.env.SMTP_URL) return { ...report, skipped: "SMTP_URL is not set" };
  const due: { brandId: number; email: string; week: IsoWeek; key: string; workspaceId: number | null }[] =
    [];
  for (const r of await recipientsByBrand(deps)) {
    const thisWeek = isoWeekOf(now, r.timeZone);
    const week = addWeeks(thisWeek, -1);
    // Monday 08:00 where the director is, and never before the week's data are complete: east of UTC+8, Monday
    // morning comes before the UTC week ends, and a digest sent then would miss Sunday's last hours for good.
    const dueAt = Math.max(mondayAt(thisWeek, r.timeZone, 8).getTime(), weekBounds(week).end.getTime());
    if (now.getTime() < dueAt) {
      report.notDue++;
      continue;
    }
    due.push({
      brandId: r.brandId,
      email: r.email,
      workspaceId: r.workspaceId,
      week,
      key: digestKey(r.brandId, formatIsoWeek(week), r.email),
    });
  }
  if (due.length === 0) return report;
  const existing = new Set(
    (
      await deps.db
        .select({ key: outbox.idempotencyKey })
        .from(outbox)
        .where(
          inArray(
            outbox.idempotencyKey,
            due.map((d) => d.key),
          ),
        )
    ).map((r) => r.key),
  );
  const loaded = new Map<string, DigestData>();
  for (const d of due) {
    if (existing.has(d.key)) {
      report.alreadyQueued++;
      continue;
    }
    const cacheKey = `${d.brandId}:${formatIsoWeek(d.week)}`;
    let data = loaded.get(cacheKey);
    if (!data) {
      data = await loadDigestData(deps, d.brandId, d.week, now);
      loaded.set(cacheKey, data);
    }
    const queued = await enqueueOutbox(
      deps.db,
      {
        kind: "email",
        idempotencyKey: d.key,
        destination: d.email,
        payload: digestEmail(data, d.email),
        workspaceId: d.workspaceId,
      },
      now,
    );
    if (queued) {
      existing.add(d.key);
      report.queued.push(d.email);
    } else report.alreadyQueued++;
  }
  return report;
}
