// The reply template library (per brand, platform and category), managed in the dashboard by managers. A template
// is linted as it would be posted ({brand} and {contact} filled in) and refused while it has any hit, so a
// library template can never be the reason a reply is blocked.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import { brands, replyTemplates } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { type LintResult, lintReply } from "../../domain/compliance/lint.js";
import { CATEGORIES, PLATFORMS } from "../../domain/taxonomy.js";
import { AppError, badRequest, forbidden, notFound } from "../../errors.js";
import { renderTemplate } from "../../replies/templates.js";
import { type DbOrTx, recordAudit } from "../audit/record-audit.js";
import { brandVoice, lintContextFor } from "./context.js";
import { isApproverRole } from "./replies.js";

export const templateInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(4000),
  /** Brand id; empty for every company brand of the workspace. */
  brandId: z.coerce.number().int().positive().nullable().optional(),
  platform: z.enum(PLATFORMS).nullable().optional(),
  category: z.enum(CATEGORIES).nullable().optional(),
});
export type TemplateInput = z.infer<typeof templateInputSchema>;

export type TemplateRow = typeof replyTemplates.$inferSelect;

function assertManager(actor: AuthUser) {
  if (!isApproverRole(actor.role)) throw forbidden("Only managers manage the template library");
}

/** A template tied to another workspace's brand is not there for this person. */
async function assertInWorkspace(
  db: DbOrTx,
  actor: AuthUser,
  template: TemplateRow | undefined,
): Promise<TemplateRow> {
  if (!template) throw notFound("Template");
  if (template.brandId !== null) {
    const [brand] = await db
      .select({ workspaceId: brands.workspaceId })
      .from(brands)
      .where(eq(brands.id, template.brandId));
    if (brand?.workspaceId !== actor.workspaceId) throw notFound("Template");
  }
  return template;
}

export async function listTemplates(
  deps: Deps,
  actor: AuthUser,
): Promise<(TemplateRow & { brandName: string | null })[]> {
  const rows = await deps.db
    .select({ template: replyTemplates, brandName: brands.name, workspaceId: brands.workspaceId })
    .from(replyTemplates)
    .leftJoin(brands, eq(brands.id, replyTemplates.brandId))
    .orderBy(asc(replyTemplates.id));
  // Workspace-wide templates have no brand; scope them through the brand when there is one.
  return rows
    .filter((r) => r.workspaceId === null || r.workspaceId === actor.workspaceId)
    .map((r) => ({ ...r.template, brandName: r.brandName }));
}

async function lintTemplate(deps: Deps, actor: AuthUser, input: TemplateInput): Promise<LintResult> {
  const voice = await brandVoice(deps.db, actor.workspaceId, { brandRef: input.brandId ?? null });
  const text = renderTemplate(input.body, { brand: voice.brandName, ownContacts: voice.ownContacts });
  return lintReply(text, lintContextFor(voice, input.platform ?? "generic"));
}

export async function saveTemplate(
  deps: Deps,
  actor: AuthUser,
  input: TemplateInput,
  templateId?: number,
): Promise<{ template: TemplateRow; lint: LintResult }> {
  assertManager(actor);
  if (input.brandId) {
    const [brand] = await deps.db
      .select({ id: brands.id, kind: brands.kind })
      .from(brands)
      .where(and(eq(brands.id, input.brandId), eq(brands.workspaceId, actor.workspaceId)));
    if (!brand) throw badRequest(`No brand ${input.brandId}`);
  }
  const lint = await lintTemplate(deps, actor, input);
  if (!lint.ok)
    throw new AppError("bad_request", "The template does not pass the linter", {
      violations: lint.violations,
    });
  const now = deps.now();
  const values = {
    name: input.name,
    body: input.body,
    brandId: input.brandId ?? null,
    platform: input.platform ?? null,
    category: input.category ?? null,
    updatedAt: now,
  };
  return deps.db.transaction(async (tx) => {
    let before: TemplateRow | undefined;
    let row: TemplateRow | undefined;
    if (templateId) {
      [before] = await tx.select().from(replyTemplates).where(eq(replyTemplates.id, templateId));
      before = await assertInWorkspace(tx, actor, before);
      [row] = await tx
        .update(replyTemplates)
        .set(values)
        .where(eq(replyTemplates.id, templateId))
        .returning();
    } else {
      [row] = await tx
        .insert(replyTemplates)
        .values({ ...values, createdAt: now })
        .returning();
    }
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: templateId ? "template.update" : "template.create",
      entityType: "reply_template",
      entityId: row!.id,
      before: before ?? null,
      after: values,
      at: now,
    });
    return { template: row!, lint };
  });
}

export async function deleteTemplate(deps: Deps, actor: AuthUser, templateId: number): Promise<void> {
  assertManager(actor);
  await deps.db.transaction(async (tx) => {
    const [found] = await tx.select().from(replyTemplates).where(eq(replyTemplates.id, templateId));
    const before = await assertInWorkspace(tx, actor, found);
    await tx.delete(replyTemplates).where(eq(replyTemplates.id, templateId));
    await recordAudit(tx, {
      actor: { id: actor.id, email: actor.email },
      action: "template.delete",
      entityType: "reply_template",
      entityId: templateId,
      before,
      at: deps.now(),
    });
  });
}
