// One label from the "needs a label" queue: the reviewer picks the code (or "not collections"); severity and flags
// stay as they are (the mention page corrects those). Stored through correctClassification, so it is a `human`
// classification like any other correction: audited, it wins over the engines and `export-labels` exports it.
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { mentions, sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import type { Category, Flag, Severity } from "../../domain/taxonomy.js";
import { notFound } from "../../errors.js";
import { correctClassification } from "../mentions/correct-classification.js";

export async function labelMention(deps: Deps, actor: AuthUser, mentionId: number, category: Category) {
  assertCan(actor.role, "triage", "label mentions");
  const [current] = await deps.db
    .select({ severity: mentions.severity, flags: mentions.flags })
    .from(mentions)
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(eq(mentions.id, mentionId), eq(sources.workspaceId, actor.workspaceId)));
  if (!current) throw notFound("Mention");
  return correctClassification(deps, actor, {
    mentionId,
    category,
    severity: (current.severity ?? "low") as Severity,
    flags: current.flags as Flag[],
  });
}
