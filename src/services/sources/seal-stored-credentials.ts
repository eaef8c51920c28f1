// `rapport migrate` and `npm start`: seal credentials stored before sealing existed (or written straight into
// the table), so no source keeps a live token in plain text. Idempotent: sealed values are left as they are.
import { eq } from "drizzle-orm";
import { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { isSealed, isSecretField, sealCredentials } from "../../platform/credentials.js";

/** Returns how many sources had credentials sealed. */
export async function sealStoredCredentials(deps: Pick<Deps, "db" | "env">): Promise<number> {
  const rows = await deps.db.select({ id: sources.id, config: sources.config }).from(sources);
  let sealed = 0;
  for (const row of rows) {
    const config = (row.config ?? {}) as Record<string, unknown>;
    const plain = Object.entries(config).some(
      ([name, value]) => isSecretField(name) && typeof value === "string" && !isSealed(value),
    );
    if (!plain) continue;
    await deps.db
      .update(sources)
      .set({ config: await sealCredentials(config, deps.env.RAPPORT_SECRET) })
      .where(eq(sources.id, row.id));
    sealed++;
  }
  return sealed;
}
