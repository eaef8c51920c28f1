// The digest preview in the dashboard: the exact HTML a director receives, for any brand of the viewer's
// workspace and any week, and "send me a test copy" (to the viewer's own address, through the outbox, audited).
import { asc, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { brands } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { addWeeks, formatIsoWeek, isoWeekOf, parseIsoWeek } from "../../domain/digest/week.js";
import { assertCan } from "../../domain/permissions.js";
import { badRequest, notFound } from "../../errors.js";
import { enqueueOutbox } from "../../platform/outbox/outbox.js";
import { recordAudit } from "../audit/record-audit.js";
import { type BuiltDigest, buildDigest, type DigestBrand } from "./digest-on-demand.js";

export interface DigestPreviewInput {
  /** Brand slug; default: the workspace's first company brand. */
  brand?: string;
  /** YYYY-Www; default: last full week (what Monday's digest reports). */
  week?: string;
}

export interface DigestPreview {
  brands: { slug: string; name: string }[];
  brand: DigestBrand;
  week: string;
  digest: BuiltDigest;
}

export async function previewDigest(
  deps: Deps,
  viewer: AuthUser,
  input: DigestPreviewInput,
): Promise<DigestPreview> {
  assertCan(viewer.role, "manageAlerts", "preview the weekly digest");
  const list = await deps.db
    .select()
    .from(brands)
    .where(eq(brands.workspaceId, viewer.workspaceId))
    .orderBy(asc(brands.kind), asc(brands.id));
  const brand = input.brand
    ? list.find((b) => b.slug === input.brand)
    : (list.find((b) => b.kind === "company") ?? list[0]);
  if (!brand) throw input.brand ? notFound(`Brand "${input.brand}"`) : notFound("Brand");
  let week = addWeeks(isoWeekOf(deps.now()), -1);
  if (input.week) {
    const parsed = parseIsoWeek(input.week);
    if (!parsed) throw badRequest(`week must look like 2026-W07 (got "${input.week}")`);
    week = parsed;
  }
  const digest = await buildDigest(deps, brand, week);
  return {
    brands: list.map((b) => ({ slug: b.slug, name: b.name })),
    brand,
    week: formatIsoWeek(week),
    digest,
  };
}

/** Queues the previewed digest to the viewer alone, and records who asked for which brand and week. */
export async function sendTestDigest(
  deps: Deps,
  viewer: AuthUser,
  input: DigestPreviewInput,
): Promise<{ to: string; week: string; brand: string }> {
  assertCan(viewer.role, "manageAlerts", "send a test copy of the weekly digest");
  const preview = await previewDigest(deps, viewer, input);
  const now = deps.now();
  await inTransaction(deps.db, "sending a test digest", async (tx) => {
    await enqueueOutbox(
      tx,
      {
        kind: "email",
        // Each request is its own message: a second test copy is a new e-mail, not a duplicate.
        idempotencyKey: `digest-test:${preview.brand.id}:${preview.week}:${viewer.id}:${now.getTime()}`,
        destination: viewer.email,
        payload: preview.digest.payloadFor(viewer.email),
        workspaceId: viewer.workspaceId,
      },
      now,
    );
    await recordAudit(tx, {
      actor: { id: viewer.id, email: viewer.email },
      action: "digest.test_copy",
      entityType: "brand",
      entityId: preview.brand.id,
      after: { week: preview.week, to: viewer.email },
      at: now,
    });
  });
  return { to: viewer.email, week: preview.week, brand: preview.brand.slug };
}
