// A push source's credential is its token for `POST /api/ingest/<name>`: rotating it issues a new one, shown once,
// and the old one stops working at once (only its SHA-256 is stored, as on the add).
import { eq } from "drizzle-orm";
import { randomToken, sha256 } from "../../auth/tokens.js";
import { inTransaction } from "../../db/atomic.js";
import { sources } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { badRequest } from "../../errors.js";
import { recordAudit } from "../audit/record-audit.js";
import { type SourceActor, sourceInWorkspace } from "./find-source.js";

export async function rotatePushToken(
  deps: Deps,
  user: SourceActor,
  id: number,
): Promise<{ name: string; ingestToken: string }> {
  const source = await sourceInWorkspace(deps, user, id);
  if (source.type !== "webhook")
    throw badRequest(`"${source.name}" is not a push source: rotate its credentials with Edit instead`);
  const ingestToken = randomToken();
  await inTransaction(deps.db, "rotating a push token", async (tx) => {
    await tx
      .update(sources)
      .set({ ingestTokenHash: sha256(ingestToken) })
      .where(eq(sources.id, source.id));
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      workspaceId: user.workspaceId,
      action: "source.rotate_token",
      entityType: "source",
      entityId: source.id,
      after: { name: source.name },
      at: deps.now(),
    });
  });
  return { name: source.name, ingestToken };
}
