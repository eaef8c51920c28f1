import { eq } from "drizzle-orm";
import type { SlaMinutes } from "../db/schema/brands.js";
import { brands } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { compileBrandMatcher } from "../domain/brands.js";
import type { SourceRow } from "./poll.js";
import type { PrepareContext } from "./prepare.js";

export interface IngestContext {
  prepare: PrepareContext;
  brandSla: Map<number, SlaMinutes>;
}

/** What storing a source's mentions needs from the database, loaded once per poll or import. */
export async function loadIngestContext(deps: Deps, source: SourceRow): Promise<IngestContext> {
  const brandRows = await deps.db.select().from(brands).where(eq(brands.workspaceId, source.workspaceId));
  return {
    prepare: {
      sourceType: source.type,
      sourceBrandId: source.brandId,
      matchBrands: compileBrandMatcher(brandRows),
      secret: deps.env.RAPPORT_SECRET,
      clientNames: brandRows.filter((b) => b.kind === "client").map((b) => b.name),
      ...(deps.classifier ? { classifier: deps.classifier } : {}),
    },
    brandSla: new Map(brandRows.map((b) => [b.id, b.slaMinutes])),
  };
}
