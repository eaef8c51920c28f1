// Everything a request, job or command needs, built once per process (Node) or per event (Workers) and
// passed down. Nothing else creates clients.

import { type Database, type Db, migrateDatabase, openDatabase } from "./db/client.js";
import type { BrandContextLoader } from "./domain/compliance/lint.js";
import type { AppEnv } from "./env.js";
import { createLogger, type Logger } from "./log.js";
import type { Router } from "./pipeline/route.js";
import type { MentionClassifier } from "./pipeline/types.js";
import { type HttpClient, httpClientFromEnv } from "./platform/http/index.js";
import { defaultSenders, type OutboxSenders } from "./platform/outbox/senders.js";
import { loadBrandContext } from "./services/brands/brand-context.js";

export interface Deps {
  env: AppEnv;
  db: Db;
  database: Database;
  log: Logger;
  /** The clock every job and handler reads, so tests pass a fixed time. */
  now: () => Date;
  /** Classifies at ingest; absent only in tests that store raw mentions. */
  classifier?: MentionClassifier;
  /** Decisions taken in the store transaction (alerts, rights events, follow-ups); see src/pipeline/route.ts. */
  routers: Router[];
  /** The default brand's name, own channels and client roster, for the reply linter (CLI default). */
  brandContext: BrandContextLoader;
  /** The one outbound HTTP client behind the egress policy (EGRESS_ALLOW); absent in bare test deps. */
  http?: HttpClient;
  /**
   * How each outbox kind is delivered (Slack, e-mail, account webhooks), through `http`. A kind that is not
   * configured (no SMTP_URL, no webhook secret) answers every row with what to set, instead of sending.
   */
  senders: OutboxSenders;
}

export interface BuildDepsOptions {
  log?: Logger;
  now?: () => Date;
  migrate?: boolean;
}

/** Node: opens (and migrates) the libSQL database named by DATABASE_URL. */
export async function buildDeps(env: AppEnv, options: BuildDepsOptions = {}): Promise<Deps> {
  const database = openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  if (options.migrate !== false) await migrateDatabase(database);
  return createDeps(env, database, options);
}

/** Any runtime: Deps around an already opened database (Workers pass D1 or Turso; migrations are applied by wrangler). */
export function createDeps(
  env: AppEnv,
  database: Database,
  options: Omit<BuildDepsOptions, "migrate"> = {},
): Deps {
  const now = options.now ?? (() => new Date());
  const http = httpClientFromEnv(env);
  return {
    env,
    db: database.db,
    database,
    log: options.log ?? createLogger(env.LOG_LEVEL),
    now,
    routers: [],
    brandContext: () => loadBrandContext(database.db),
    http,
    senders: defaultSenders(env, now, http),
  };
}
