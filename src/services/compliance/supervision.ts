// Supervision figures: each stop (blocked submit, approval stopped, warnings accepted) read from the workspace's
// audit log, attributed to the person to coach (src/domain/compliance/supervision.ts), and summed per person, rule
// and ISO week (UTC). Optionally only replies on one brand's mentions (the brand's digest).
import { sql } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import type { Db } from "../../db/client.js";
import { users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import {
  STOP_ACTIONS,
  type StopEvent,
  type StopKind,
  type SupervisionSummary,
  summarizeStops,
  supervisionWeeks,
} from "../../domain/compliance/supervision.js";
import type { IsoWeek } from "../../domain/digest/week.js";
import { assertCan } from "../../domain/permissions.js";

const KIND_OF_ACTION = new Map(
  Object.entries(STOP_ACTIONS).map(([kind, action]) => [action, kind as StopKind]),
);

export async function loadStopEvents(
  db: Db,
  workspaceId: number,
  span: { from: Date; until: Date },
  options: { brandId?: number } = {},
): Promise<StopEvent[]> {
  const actions = sql.join(
    Object.values(STOP_ACTIONS).map((a) => sql`${a}`),
    sql`, `,
  );
  const brand =
    options.brandId === undefined
      ? sql``
      : sql`AND EXISTS (SELECT 1 FROM mention_brands mb WHERE mb.mention_id = r.mention_id AND mb.brand_id = ${options.brandId})`;
  const rows = await db.all<{
    at: number;
    action: string;
    actor_id: number | null;
    reply_id: number;
    author_id: number;
    after: string | null;
  }>(sql`
    SELECT a.at, a.action, a.actor_id, r.id AS reply_id, r.author_id, a.after
    FROM audit_log a
    JOIN replies r ON r.id = CAST(a.entity_id AS INTEGER)
    JOIN mentions m ON m.id = r.mention_id
    JOIN sources s ON s.id = m.source_id
    WHERE a.workspace_id = ${workspaceId} AND s.workspace_id = ${workspaceId}
      AND a.entity_type = 'reply' AND a.action IN (${actions})
      AND a.at >= ${span.from.getTime()} AND a.at < ${span.until.getTime()}
      ${brand}
    ORDER BY a.id`);
  const events: StopEvent[] = [];
  for (const row of rows) {
    const kind = KIND_OF_ACTION.get(row.action);
    if (!kind) continue;
    // A blocked submit coaches whoever submitted; a stopped approval or an accepted warning, the reply's author.
    const personId = kind === "blocked_submit" ? row.actor_id : row.author_id;
    if (personId === null) continue;
    let rules: string[] = [];
    try {
      const after = JSON.parse(row.after ?? "{}") as { rules?: unknown };
      if (Array.isArray(after.rules)) rules = after.rules.filter((r): r is string => typeof r === "string");
    } catch {
      // An unreadable entry still counts as a stop, with no rule.
    }
    events.push({ at: new Date(Number(row.at)), kind, personId, replyId: Number(row.reply_id), rules });
  }
  return events;
}

export interface Supervision extends SupervisionSummary {
  names: Record<number, string>;
  from: Date;
  until: Date;
}

async function namesOf(db: Db, workspaceId: number): Promise<Record<number, string>> {
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(sql`${users.workspaceId} = ${workspaceId}`);
  return Object.fromEntries(rows.map((u) => [u.id, u.name || u.email]));
}

/** Stops over ISO weeks (UTC); a brand narrows it to replies on that brand's mentions. */
export async function supervisionOver(
  db: Db,
  workspaceId: number,
  weeks: IsoWeek[],
  span: { from: Date; until: Date },
  options: { brandId?: number; personId?: number | undefined } = {},
): Promise<Supervision> {
  const all = await loadStopEvents(db, workspaceId, span, options);
  const events = options.personId === undefined ? all : all.filter((e) => e.personId === options.personId);
  return { ...summarizeStops(events, weeks), names: await namesOf(db, workspaceId), ...span };
}

/** The supervision page and API: the last `weeks` ISO weeks up to now. */
export async function loadSupervision(
  deps: Deps,
  viewer: AuthUser,
  options: { weeks: number; person?: number | undefined },
): Promise<Supervision> {
  assertCan(viewer.role, "superviseResponders", "see how often each person's drafts were stopped");
  const { weeks, from, until } = supervisionWeeks(deps.now(), options.weeks);
  return supervisionOver(deps.db, viewer.workspaceId, weeks, { from, until }, { personId: options.person });
}
