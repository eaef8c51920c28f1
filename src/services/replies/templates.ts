// Reply templates, in one place: the built-in defaults (one safe public reply per category, with a short variant
// for X; the starting point and the offline fallback for Claude drafts), how the best one is chosen and filled in,
// and the library managers keep per brand, platform and category in the dashboard.
// Every default passes the linter on every platform (templates.test.ts): they confirm nothing, stay true if the
// poster is not a customer, and move the conversation to a private channel. A library template is linted as it
// would be posted ({brand} and {contact} filled in) and refused while it has any hit, so a library template can
// never be the reason a reply is held up.
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import type { Db } from "../../db/client.js";
import { brands, replyTemplates } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { classifyContact } from "../../domain/accounts/normalize.js";
import { type LintResult, lintReply } from "../../domain/compliance/lint.js";
import { assertCan } from "../../domain/permissions.js";
import { CATEGORIES, type Category, PLATFORMS, type Platform } from "../../domain/taxonomy.js";
import { AppError, badRequest, notFound } from "../../errors.js";
import { type DbOrTx, recordAudit } from "../audit/record-audit.js";
import { brandVoice, lintContextFor } from "./context.js";

export interface ReplyTemplate {
  id: string;
  /** "*" matches every category. */
  category: Category | "*";
  /** "*" matches every platform. */
  platform: Platform | "*";
  /** Placeholders: {brand} (the signature) and {contact} (our private channels). */
  body: string;
}

const INVITE = "Please reach our team privately at {contact} and mention this post.";

const LONG: Record<Category, string> = {
  debt_not_owed: `We're sorry for the confusion and frustration this has caused. We'd like to look into it with you. ${INVITE} — {brand}`,
  written_notice: `Thank you for raising this. Everyone should have clear information, and we'd like to help. ${INVITE} — {brand}`,
  communication_tactics: `We're sorry to hear about this experience. Everyone who contacts us should be treated with respect, and we'd like to look into it. ${INVITE} — {brand}`,
  false_statements: `We're sorry to hear this. We take concerns like this seriously and would like to look into it. ${INVITE} — {brand}`,
  legal_threats: `We're sorry this has been so stressful. Nobody should feel intimidated, and we'd like to look into what happened. ${INVITE} — {brand}`,
  privacy: `We're sorry to hear this and understand how concerning it is. Privacy matters to us, and we'd like to look into it right away. ${INVITE} — {brand}`,
  payment_service: `We're sorry for the trouble. We'd like to help sort this out. ${INVITE} — {brand}`,
  other_collections: `Thank you for sharing this. We're sorry to hear about your experience and would like to help. ${INVITE} — {brand}`,
  praise:
    "Thank you for the kind words! We're glad to hear our team treated you with respect, and we'll pass this along. If you ever need us, reach us privately at {contact}. — {brand}",
  not_collections:
    "Thanks for reaching out. If there's anything we can help with, please contact our team privately at {contact}. — {brand}",
};

const SHORT: Record<Category, string> = {
  debt_not_owed:
    "We're sorry for the confusion. We'd like to look into it: please reach us privately at {contact}. — {brand}",
  written_notice:
    "Thanks for raising this. We'd like to help: please reach us privately at {contact}. — {brand}",
  communication_tactics:
    "We're sorry to hear this. Everyone should be treated with respect; please reach us privately at {contact}. — {brand}",
  false_statements:
    "We're sorry to hear this and would like to look into it. Please reach us privately at {contact}. — {brand}",
  legal_threats:
    "We're sorry this has been stressful. We'd like to look into it: please reach us privately at {contact}. — {brand}",
  privacy:
    "We're sorry to hear this and would like to look into it. Please reach us privately at {contact}. — {brand}",
  payment_service:
    "Sorry for the trouble. We'd like to help: please reach us privately at {contact}. — {brand}",
  other_collections:
    "We're sorry to hear this and would like to help. Please reach us privately at {contact}. — {brand}",
  praise:
    "Thank you for the kind words! We'll pass them along. If you ever need us, reach us privately at {contact}. — {brand}",
  not_collections:
    "Thanks for reaching out. If we can help, please contact us privately at {contact}. — {brand}",
};

export const DEFAULT_TEMPLATES: ReplyTemplate[] = [
  ...(Object.entries(LONG) as [Category, string][]).map(([category, body]) => ({
    id: `default-${category}`,
    category,
    platform: "*" as const,
    body,
  })),
  ...(Object.entries(SHORT) as [Category, string][]).map(([category, body]) => ({
    id: `default-${category}-x`,
    category,
    platform: "x" as const,
    body,
  })),
  {
    id: "default-any",
    category: "*",
    platform: "*",
    body: `Thank you for sharing this. We're sorry to hear about your experience and would like to help. ${INVITE} — {brand}`,
  },
];

/** The most specific template: exact category and platform, then category, then platform, then any. */
export function chooseTemplate(
  category: Category,
  platform: Platform,
  templates: readonly ReplyTemplate[] = DEFAULT_TEMPLATES,
): ReplyTemplate | null {
  const ranked: [Category | "*", Platform | "*"][] = [
    [category, platform],
    [category, "*"],
    ["*", platform],
    ["*", "*"],
  ];
  for (const [wantCategory, wantPlatform] of ranked) {
    const found = templates.find((t) => t.category === wantCategory && t.platform === wantPlatform);
    if (found) return found;
  }
  return null;
}

/** "1-800-555-0100 or example.com/contact": a phone and a web address, the two channels anyone can use. */
export function formatContact(ownContacts: readonly string[]): string {
  const classified = ownContacts.map((raw) => ({ raw: raw.trim(), kind: classifyContact(raw)?.kind }));
  const phone = classified.find((c) => c.kind === "phone")?.raw;
  const web =
    classified.find((c) => c.kind === "url")?.raw ?? classified.find((c) => c.kind === "email")?.raw;
  const handle = classified.find((c) => c.kind === "handle")?.raw;
  const picked = [phone, web].filter((c): c is string => Boolean(c));
  if (picked.length === 0 && handle) return handle;
  return picked.join(" or ");
}

/** Fills {brand} and {contact}; without any own contact the invitation becomes a direct-message one. */
export function renderTemplate(
  body: string,
  values: { brand: string; ownContacts: readonly string[] },
): string {
  const contact = formatContact(values.ownContacts);
  let text = body;
  if (!contact) {
    text = text
      .replace(/\s(?:at|on|via)\s\{contact\}/g, " by direct message")
      .replace(/\{contact\}/g, "a direct message");
  }
  return text.replace(/\{brand\}/g, values.brand.trim()).replace(/\{contact\}/g, contact);
}

/** The brand's templates from the library (most specific wins), then the built-in defaults. */
export async function libraryTemplates(db: Db, brandId: number): Promise<ReplyTemplate[]> {
  const rows = await db
    .select()
    .from(replyTemplates)
    .where(
      or(
        eq(replyTemplates.brandId, brandId),
        // Workspace-wide templates of this brand's workspace only.
        and(
          isNull(replyTemplates.brandId),
          eq(replyTemplates.workspaceId, sql`(SELECT workspace_id FROM brands WHERE id = ${brandId})`),
        ),
      ),
    )
    .orderBy(asc(replyTemplates.id));
  // A brand's own template beats a workspace-wide one at the same specificity.
  rows.sort((a, b) => Number(b.brandId !== null) - Number(a.brandId !== null));
  return rows.map((row) => ({
    id: `library-${row.id}`,
    category: (row.category ?? "*") as Category | "*",
    platform: (row.platform ?? "*") as Platform | "*",
    body: row.body,
  }));
}

/** The choices the Reply panel offers: the brand's library, then the defaults that fit the platform. */
export function templateChoices(
  library: readonly ReplyTemplate[],
  platform: Platform,
): { id: string; label: string }[] {
  return [
    ...library.map((t) => ({
      id: t.id,
      label: `Library: ${t.id.replace("library-", "#")} (${t.category}, ${t.platform})`,
    })),
    ...DEFAULT_TEMPLATES.filter((t) => t.platform === "*" || t.platform === platform).map((t) => ({
      id: t.id,
      label: `Default: ${t.category.replace(/_/g, " ")}${t.platform === "*" ? "" : ` (${t.platform})`}`,
    })),
  ];
}

/** The workspace's company brands, which a library template may be tied to. */
export async function templateBrands(deps: Deps, actor: AuthUser): Promise<{ id: number; name: string }[]> {
  return deps.db
    .select({ id: brands.id, name: brands.name })
    .from(brands)
    .where(and(eq(brands.workspaceId, actor.workspaceId), eq(brands.kind, "company")));
}

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
  assertCan(actor.role, "manageTemplates", "manage the template library");
}

/** A template tied to another workspace's brand is not there for this person. */
async function assertInWorkspace(
  db: DbOrTx,
  actor: AuthUser,
  template: TemplateRow | undefined,
): Promise<TemplateRow> {
  if (!template || template.workspaceId !== actor.workspaceId) throw notFound("Template");
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
    .where(eq(replyTemplates.workspaceId, actor.workspaceId))
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
  // Warnings too: every reply drafted from a library template would otherwise need an approver to accept them.
  if (!lint.ok || lint.warnings.length > 0)
    throw new AppError("bad_request", "The template does not pass the linter", {
      violations: lint.violations,
      warnings: lint.warnings,
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
  return inTransaction(deps.db, "saving a reply template", async (tx) => {
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
        .values({ ...values, workspaceId: actor.workspaceId, createdAt: now })
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
  await inTransaction(deps.db, "deleting a reply template", async (tx) => {
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
