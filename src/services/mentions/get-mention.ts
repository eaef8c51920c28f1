// One mention with everything the mention page shows: thread, the author's other mentions, near-duplicates,
// classification history, internal notes and the full audit history.
import { and, asc, desc, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { auditLog, classifications, mentions, notes, replies, users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { AuditEntryLike } from "../../domain/audit-sentences.js";
import { maskFor } from "../../domain/masking.js";
import { can } from "../../domain/permissions.js";
import { notFound } from "../../errors.js";
import { type MentionListItem, selectListPage } from "./list-mentions.js";

export interface MentionDetail {
  mention: MentionListItem & {
    language: string | null;
    threadId: string | null;
    classifiedBy: string | null;
    confidence: number | null;
  };
  thread: MentionListItem[];
  byAuthor: MentionListItem[];
  duplicates: MentionListItem[];
  classifications: {
    id: number;
    category: string;
    severity: string;
    flags: string[];
    engine: string;
    version: string;
    confidence: number;
    correctedBy: string | null;
    createdAt: string;
  }[];
  notes: { id: number; body: string; author: string; createdAt: string }[];
  /** The mention's audit entries and its replies' (entityType "reply"), oldest first. */
  history: (AuditEntryLike & { at: string })[];
  /** E-mails of the people the history's assignments name by id, so it can say "assigned it to sam@…". */
  people: Record<number, string>;
  /** The names of those people who have one, by e-mail: "Dana moved it from new to drafting". */
  names: Record<string, string>;
}

const RELATED_LIMIT = 20;

export async function getMention(deps: Deps, viewer: AuthUser, id: number): Promise<MentionDetail> {
  const showPii = can(viewer.role, "viewPii");
  const showAccounts = can(viewer.role, "manageAccounts");
  const [item] = await selectListPage(deps, viewer, {
    where: eq(mentions.id, id),
    orderBy: sql`${mentions.id}`,
    limit: 1,
    countDuplicates: true,
  });
  if (!item) throw notFound("Mention");
  const [extra] = await deps.db
    .select({
      language: mentions.language,
      threadId: mentions.threadId,
      authorKey: mentions.authorKey,
      classifiedBy: mentions.classifiedBy,
      confidence: mentions.confidence,
    })
    .from(mentions)
    .where(eq(mentions.id, id));

  const related = (condition: ReturnType<typeof sql>) =>
    selectListPage(deps, viewer, {
      where: and(condition, ne(mentions.id, id)),
      orderBy: sql`${mentions.createdAt} DESC`,
      limit: RELATED_LIMIT,
      countDuplicates: false,
    });
  const thread = extra?.threadId
    ? await related(
        sql`${mentions.threadId} = ${extra.threadId} AND ${mentions.sourceId} = ${item.source.id}`,
      )
    : [];
  const byAuthor = extra?.authorKey ? await related(sql`${mentions.authorKey} = ${extra.authorKey}`) : [];
  // The head, or the rows in the partial index `mentions_duplicates`.
  const duplicates = item.groupId
    ? await related(
        sql`((${mentions.groupId} = ${item.groupId} AND ${mentions.groupId} <> ${mentions.id}) OR ${mentions.id} = ${item.groupId})`,
      )
    : [];

  const correctors = deps.db
    .$with("correctors")
    .as(deps.db.select({ id: users.id, email: users.email }).from(users));
  const classificationRows = await deps.db
    .with(correctors)
    .select({
      id: classifications.id,
      category: classifications.category,
      severity: classifications.severity,
      flags: classifications.flags,
      engine: classifications.engine,
      version: classifications.version,
      confidence: classifications.confidence,
      correctedBy: correctors.email,
      createdAt: classifications.createdAt,
    })
    .from(classifications)
    .leftJoin(correctors, eq(correctors.id, classifications.correctedBy))
    .where(eq(classifications.mentionId, id))
    .orderBy(desc(classifications.id));
  const noteRows = await deps.db
    .select({ id: notes.id, body: notes.body, author: users.email, createdAt: notes.createdAt })
    .from(notes)
    .innerJoin(users, eq(users.id, notes.userId))
    .where(eq(notes.mentionId, id))
    .orderBy(asc(notes.id));
  // The history is the mention's own entries and its replies' (drafted, sent for approval, approved, posted…):
  // "who approved the reply" belongs on the mention's page.
  const replyIds = (
    await deps.db.select({ id: replies.id }).from(replies).where(eq(replies.mentionId, id))
  ).map((r) => String(r.id));
  const ownEntries = and(eq(auditLog.entityType, "mention"), eq(auditLog.entityId, String(id)))!;
  const historyRows = await deps.db
    .select()
    .from(auditLog)
    .where(
      replyIds.length === 0
        ? ownEntries
        : or(ownEntries, and(eq(auditLog.entityType, "reply"), inArray(auditLog.entityId, replyIds))),
    )
    .orderBy(asc(auditLog.id));
  // The people the history names: who acted, and whom assignments name by id.
  const personIds = [
    ...new Set([
      ...historyRows.map((h) => h.actorId).filter((v): v is number => typeof v === "number"),
      ...historyRows
        .filter((h) => h.action === "mention.assign")
        .flatMap((h) => [h.before, h.after])
        .map((v) => (v && typeof v === "object" ? (v as { assigneeId?: unknown }).assigneeId : null))
        .filter((v): v is number => typeof v === "number"),
    ]),
  ];
  const people =
    personIds.length === 0
      ? []
      : await deps.db
          .select({ id: users.id, email: users.email, name: users.name })
          .from(users)
          .where(and(inArray(users.id, personIds), eq(users.workspaceId, viewer.workspaceId)));

  return {
    mention: {
      ...item,
      language: extra?.language ?? null,
      threadId: extra?.threadId ?? null,
      classifiedBy: extra?.classifiedBy ?? null,
      confidence: extra?.confidence ?? null,
    },
    thread,
    byAuthor,
    duplicates,
    classifications: classificationRows.map((c) => ({
      ...c,
      flags: c.flags ?? [],
      createdAt: c.createdAt.toISOString(),
    })),
    // Notes are free text written while looking at the unmasked mention, so they often quote its personal data.
    notes: noteRows.map((n) => ({
      ...n,
      body: showPii ? n.body : maskFor("stored", n.body),
      createdAt: n.createdAt.toISOString(),
    })),
    history: historyRows
      .filter((h) => showAccounts || !isAccountEntry(h))
      .map((h) => ({
        at: h.at.toISOString(),
        actor: h.actorEmail,
        action: h.action,
        entityType: h.entityType,
        entityId: h.entityId,
        before: showPii ? h.before : maskHistoryValue(h.before),
        after: showPii ? h.after : maskHistoryValue(h.after),
      })),
    people: Object.fromEntries(people.map((p) => [p.id, p.email])),
    names: Object.fromEntries(people.filter((p) => p.name.trim()).map((p) => [p.email, p.name.trim()])),
  };
}

/** Even the existence of an account link is GLBA-protected, so its audit entries go with it. */
function isAccountEntry(entry: { action: string; entityType: string }): boolean {
  return (
    entry.action.startsWith("account_link") ||
    entry.entityType === "account" ||
    entry.entityType === "account_link"
  );
}

/** Audit values can hold note bodies or text; viewers see only which fields changed. */
function maskHistoryValue(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      k === "body" || k === "text" ? "[hidden]" : v,
    ]),
  );
}
