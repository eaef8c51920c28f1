// The one way mentions enter the database, whoever brings them (a poll, a file import, a push): links cleaned,
// then prepare (mask, hash, brand-match, classify) and store with the cursor in one transaction.
import type { NormalizedMention } from "../../connectors/types.js";
import type { Deps } from "../deps.js";
import { httpUrlOrNull } from "../domain/urls.js";
import type { IngestContext } from "./context.js";
import { prepareMentions } from "./prepare.js";
import { type StoreResult, storePage } from "./store.js";

export interface IngestPageOptions {
  sourceId: number;
  now: Date;
  /** Written in the same transaction as the mentions; undefined leaves the stored cursor as it is. */
  cursor?: { value: Record<string, unknown> | null };
}

export async function ingestPage(
  deps: Pick<Deps, "database" | "routers">,
  ingest: IngestContext,
  mentions: NormalizedMention[],
  options: IngestPageOptions,
): Promise<StoreResult> {
  const cleaned = mentions.map((mention) =>
    mention.url === undefined || mention.url === null
      ? mention
      : { ...mention, url: httpUrlOrNull(mention.url) },
  );
  const prepared = await prepareMentions(cleaned, ingest.prepare);
  return storePage(deps.database, prepared, {
    sourceId: options.sourceId,
    now: options.now,
    brandSla: ingest.brandSla,
    ...(options.cursor ? { cursor: options.cursor } : {}),
    routers: deps.routers,
  });
}
