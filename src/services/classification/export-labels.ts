// Reviewer corrections as training data: one JSONL row per corrected mention, its latest correction, in the
// row shape the training loader reads (src/classifier/training.ts loadJsonlRows: id, text, category, relevant).
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { classifications, mentions } from "../../db/schema/index.js";
import { HUMAN_ENGINE } from "../mentions/correct-classification.js";

export interface LabelRow {
  id: string;
  text: string;
  category: string;
  relevant: boolean;
  flags: string[];
  source: "reviewer";
  corrected_at: string;
}

export interface ExportLabelsOptions {
  /** The masked text instead of the text as stored, for a file that leaves the building. */
  masked?: boolean;
  pageSize?: number;
}

/** Pages through corrections by mention id, so an export of any size holds one page in memory. */
export async function* reviewerLabels(db: Db, options: ExportLabelsOptions = {}): AsyncGenerator<LabelRow> {
  const pageSize = options.pageSize ?? 1000;
  let after = 0;
  for (;;) {
    const rows = await db
      .select({
        mentionId: classifications.mentionId,
        text: options.masked ? mentions.textMasked : mentions.text,
        category: classifications.category,
        relevant: classifications.relevant,
        flags: classifications.flags,
        createdAt: classifications.createdAt,
      })
      .from(classifications)
      .innerJoin(mentions, eq(mentions.id, classifications.mentionId))
      .where(
        and(
          eq(classifications.engine, HUMAN_ENGINE),
          gt(classifications.mentionId, after),
          // A mention corrected twice is exported once, with its latest correction.
          sql`${classifications.id} = (SELECT max(c2.id) FROM classifications c2 WHERE c2.mention_id = ${classifications.mentionId} AND c2.engine = ${HUMAN_ENGINE})`,
        ),
      )
      .orderBy(asc(classifications.mentionId))
      .limit(pageSize);
    for (const row of rows) {
      yield {
        id: `mention-${row.mentionId}`,
        text: row.text,
        category: row.category,
        relevant: row.relevant,
        flags: row.flags,
        source: "reviewer",
        corrected_at: row.createdAt.toISOString(),
      };
    }
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.mentionId;
  }
}
