// `rapport digest` as a service: find the brand, build the week's digest, and send it now through the outbox to
// the brand's recipients (or given addresses). The CLI only parses flags and prints (src/cli/digest.ts).
import { asc, eq, or, sql } from "drizzle-orm";
import { brands, digestRecipients, outbox } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { type IsoWeek, isoWeekOf } from "../../domain/digest/week.js";
import { AppError } from "../../errors.js";
import { deliverOutbox } from "../../platform/outbox/deliver.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";
import { type DigestMessage, renderDigest } from "./email/digest-email.js";
import { loadDigestData } from "./load-digest.js";
import { digestEmail, digestKey } from "./send-digests.js";

export type DigestBrand = typeof brands.$inferSelect;

/** By slug, name or id; none given: the first company brand. */
export async function findDigestBrand(deps: Deps, wanted: string | undefined): Promise<DigestBrand> {
  if (!wanted) {
    const [company] = await deps.db
      .select()
      .from(brands)
      .where(eq(brands.kind, "company"))
      .orderBy(asc(brands.id))
      .limit(1);
    if (!company)
      throw new AppError("not_found", "no brand yet: add one, or run `rapport migrate` and start the demo");
    return company;
  }
  const [brand] = await deps.db
    .select()
    .from(brands)
    .where(
      or(
        eq(brands.slug, wanted),
        sql`lower(${brands.name}) = lower(${wanted})`,
        /^\d+$/.test(wanted) ? eq(brands.id, Number(wanted)) : sql`0`,
      ),
    )
    .limit(1);
  if (!brand) throw new AppError("not_found", `no brand "${wanted}" (give its slug, name or id)`);
  return brand;
}

export interface BuiltDigest {
  brand: DigestBrand;
  week: string;
  message: DigestMessage;
  payloadFor(to: string): ReturnType<typeof digestEmail>;
}

/** The digest of `week` (default: the week so far) exactly as a director receives it. */
export async function buildDigest(deps: Deps, brand: DigestBrand, week?: IsoWeek): Promise<BuiltDigest> {
  const now = deps.now();
  const data = await loadDigestData(deps, brand.id, week ?? isoWeekOf(now), now);
  return { brand, week: data.week, message: renderDigest(data), payloadFor: (to) => digestEmail(data, to) };
}

export interface SendOutcome {
  to: string;
  status: "sent" | "queued" | "failed";
  error?: string | null;
  fix?: string | null;
}

/** Recipients of a brand's digest: its own, and for a company brand its workspace's brand-less ones. */
export async function digestRecipientsOf(deps: Deps, brand: DigestBrand): Promise<string[]> {
  const rows = await deps.db
    .select({ email: digestRecipients.email })
    .from(digestRecipients)
    .where(
      or(
        eq(digestRecipients.brandId, brand.id),
        brand.kind === "company"
          ? sql`${digestRecipients.brandId} IS NULL AND ${digestRecipients.workspaceId} = ${brand.workspaceId}`
          : sql`0`,
      ),
    );
  return rows.map((r) => r.email);
}

/**
 * Sends now: one outbox row per address (on-demand sends are their own messages, so the Monday send of the same
 * week still goes out), then one delivery run; what did not go yet stays queued for the scheduler.
 */
export async function sendDigestNow(deps: Deps, digest: BuiltDigest, to?: string[]): Promise<SendOutcome[]> {
  const recipients = to?.length ? to : await digestRecipientsOf(deps, digest.brand);
  if (recipients.length === 0)
    throw new AppError(
      "bad_request",
      `no digest recipients for ${digest.brand.name}: add some on /alerts, or pass --to <address>`,
    );
  const now = deps.now();
  const keys: string[] = [];
  for (const address of new Set(recipients)) {
    const key = `${digestKey(digest.brand.id, digest.week, address)}:on-demand:${now.getTime()}`;
    await enqueueOutbox(
      deps.db,
      {
        kind: "email",
        idempotencyKey: key,
        destination: address,
        payload: digest.payloadFor(address),
        workspaceId: digest.brand.workspaceId,
      },
      now,
    );
    keys.push(key);
  }
  await deliverOutbox({ db: deps.db, log: deps.log, senders: deps.senders }, now);
  const outcomes: SendOutcome[] = [];
  for (const key of keys) {
    const [row] = await deps.db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
    if (!row) continue;
    outcomes.push({
      to: row.destination,
      status: row.status === "sent" ? "sent" : row.status === "failed" ? "failed" : "queued",
      error: row.lastError,
      fix: row.fix,
    });
  }
  return outcomes;
}
