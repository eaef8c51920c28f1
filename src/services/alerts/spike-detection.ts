// The hourly spike run: judge the last complete hour of every counted key against its own past (only hours before
// it), and turn a new spike into a spike row plus a Slack alert in ONE transaction.
//
// Cooldown (one episode = one alert): while a key's spike is open (a spike hour within the detector's cooldown),
// a further spike hour UPDATES the spike row — latest hour, hours so far, peak — and sends nothing; Slack
// incoming webhooks cannot edit a message, and a second message per hour is exactly the noise the cooldown is
// for. The dashboard (/alerts) and the digest show the updated spike. The one exception is the detector's second,
// bigger wave (2.5× the open episode's peak after a calm hour): it ends that episode and is alerted as its own.
// A category×source key that spikes in the same hour as its whole brand is recorded but not alerted separately:
// the brand alert's explanation already names the category and source.
// A muted or snoozed key (spike-mutes.ts) is recorded and shown, never sent. An episode's end (the hour after its
// last elevated hour) is written to `ended_at` once the cooldown has passed without a new elevated hour.
import { and, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { atomicBatch } from "../../db/atomic.js";
import {
  brands,
  hourlyCounts,
  mentionBrands,
  mentions,
  sources,
  spikes,
  workspaces,
} from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import {
  evaluateHour,
  HOUR_MS,
  lookbackHours,
  resolveSpikeOptions,
  type SpikeEpisode,
  type SpikeOptions,
} from "../../domain/spikes/detect.js";
import { type ExplainMention, explainSpike, type SpikeExplanation } from "../../domain/spikes/explain.js";
import { type ParsedKey, parseCountKey } from "../../domain/spikes/keys.js";
import { buildSpikeMessage } from "../../notify/slack.js";
import { feedLink, mentionLink, publicBaseUrl } from "../../platform/links.js";
import { slackDestination } from "../../platform/outbox/destinations.js";
import { outboxInsert } from "../../platform/outbox/outbox.js";
import { activeMutesByWorkspace, muteCovering } from "./spike-mutes.js";
import { effectiveSensitivity } from "./spike-sensitivity.js";
import { extractiveSummary } from "./spike-summary.js";

/** What the spikes table's `explanation` column holds: the explanation, and the episode the detector carries. */
export interface StoredSpikeDetails {
  explanation: SpikeExplanation;
  episode: SpikeEpisode;
  subject: string;
  feedUrl: string;
  /** Set when this key's spike was folded into its brand's alert. */
  partOfSpikeId?: number;
  alerted: boolean;
  /** Set when a mute or snooze held the alert back: until when (null: until unmuted). */
  muted?: { until: string | null };
  /** Two sentences from the explanation (extractive; see spike-summary.ts). */
  summary?: string;
}

export interface SpikeRunReport {
  hour: Date;
  judged: number;
  newSpikes: number;
  updated: number;
  alerts: number;
}

/** The explanation's baseline: the same hours (±3) of the past four weeks, the rhythm the detector judged by. */
const BASELINE_WEEKS = 4;
const BASELINE_HALF_WINDOW_HOURS = 3;
const BASELINE_LIMIT_PER_WEEK = 1000;
const BASELINE_HOURS = BASELINE_WEEKS * (2 * BASELINE_HALF_WINDOW_HOURS + 1);

export async function runSpikeDetection(
  deps: Deps,
  now: Date,
  options: { detector?: Omit<SpikeOptions, "sensitivity"> } = {},
): Promise<SpikeRunReport> {
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
  const report: SpikeRunReport = { hour, judged: 0, newSpikes: 0, updated: 0, alerts: 0 };
  // Episodes quiet for longer than the cooldown are over, whether or not their key was counted this hour.
  const { cooldownHours } = resolveSpikeOptions(options.detector ?? {});
  await deps.db
    .update(spikes)
    .set({ endedAt: sql`${spikes.lastHourAt} + ${HOUR_MS}` })
    .where(
      and(isNull(spikes.endedAt), lt(spikes.lastHourAt, new Date(hour.getTime() - cooldownHours * HOUR_MS))),
    );
  const current = await deps.db
    .select({ key: hourlyCounts.key, count: hourlyCounts.count })
    .from(hourlyCounts)
    .where(eq(hourlyCounts.hour, hour));
  // A quiet hour cannot be a spike hour, and an open spike simply cools down: only keys counted this hour matter.
  const candidates = current
    .map((c) => ({ ...c, parsed: parseCountKey(c.key) }))
    .filter((c): c is typeof c & { parsed: ParsedKey } => c.parsed !== null && c.count > 0)
    // Brand-wide keys first, so their categories' spikes in the same hour can fold into them.
    .sort(
      (a, b) =>
        Number(a.parsed.category !== undefined) - Number(b.parsed.category !== undefined) ||
        a.key.localeCompare(b.key),
    );
  if (candidates.length === 0) return report;

  const keys = candidates.map((c) => c.key);
  const lookback = lookbackHours(options.detector ?? {});
  const historyRows = await deps.db
    .select({ key: hourlyCounts.key, hour: hourlyCounts.hour, count: hourlyCounts.count })
    .from(hourlyCounts)
    .where(
      and(
        inArray(hourlyCounts.key, keys),
        gte(hourlyCounts.hour, new Date(hour.getTime() - lookback * HOUR_MS)),
        lt(hourlyCounts.hour, hour),
      ),
    );
  const history = new Map<string, { ts: Date; count: number }[]>();
  for (const row of historyRows) {
    const list = history.get(row.key) ?? [];
    list.push({ ts: row.hour, count: row.count });
    history.set(row.key, list);
  }
  const firstSeen = new Map(
    (
      await deps.db
        .select({ key: hourlyCounts.key, first: sql<number>`min(${hourlyCounts.hour})` })
        .from(hourlyCounts)
        .where(inArray(hourlyCounts.key, keys))
        .groupBy(hourlyCounts.key)
    ).map((r) => [r.key, new Date(Number(r.first))]),
  );

  const brandRows = await deps.db
    .select({
      id: brands.id,
      name: brands.name,
      slug: brands.slug,
      slackWebhookUrl: brands.slackWebhookUrl,
      spikeSensitivity: brands.spikeSensitivity,
      settings: workspaces.settings,
      workspaceId: brands.workspaceId,
    })
    .from(brands)
    .innerJoin(workspaces, eq(workspaces.id, brands.workspaceId));
  const brandById = new Map(brandRows.map((b) => [b.id, b]));
  const sourceNames = new Map(
    (await deps.db.select({ id: sources.id, name: sources.name }).from(sources)).map((s) => [s.id, s.name]),
  );
  const base = publicBaseUrl(deps.env);
  const mutes = await activeMutesByWorkspace(deps.db, hour);
  /** Brand id → the brand-wide spike row open in this hour. */
  const brandSpikeThisHour = new Map<number, number>();

  for (const candidate of candidates) {
    const brand = brandById.get(candidate.parsed.brandId);
    if (!brand) continue;
    const detector: SpikeOptions = {
      ...options.detector,
      sensitivity: effectiveSensitivity(brand, brand.settings),
    };
    const [open] = await deps.db
      .select()
      .from(spikes)
      .where(eq(spikes.key, candidate.key))
      .orderBy(desc(spikes.lastHourAt))
      .limit(1);
    const openDetails = open?.explanation as StoredSpikeDetails | null | undefined;
    // Already judged (a re-run of the same hour): nothing to add.
    if (open && open.lastHourAt.getTime() >= hour.getTime()) {
      if (!candidate.parsed.category && open.startedAt.getTime() === hour.getTime())
        brandSpikeThisHour.set(brand.id, open.id);
      continue;
    }
    report.judged++;
    const evaluation = evaluateHour(
      {
        key: candidate.key,
        counts: history.get(candidate.key) ?? [],
        since: firstSeen.get(candidate.key) ?? hour,
        openSpike: open && !open.endedAt ? (openDetails?.episode ?? null) : null,
      },
      hour,
      candidate.count,
      detector,
    );
    const endOpen =
      evaluation.ended && open && !open.endedAt
        ? deps.db
            .update(spikes)
            .set({ endedAt: new Date(evaluation.ended.endTs!) })
            .where(eq(spikes.id, open.id))
        : null;
    // An episode that ends as a new one opens (a second, bigger wave) ends in the new one's batch below: a crash
    // between the two writes would leave the old one ended and the re-run would no longer see the wave it broke.
    if (endOpen && evaluation.action !== "new") await endOpen;
    if (evaluation.action === "update" && open && openDetails && evaluation.spike) {
      const details: StoredSpikeDetails = {
        ...openDetails,
        episode: evaluation.spike,
        feedUrl: feedFor(
          base,
          brand.slug,
          candidate.parsed,
          sourceNames,
          new Date(evaluation.spike.ts),
          hour,
        ),
      };
      await deps.db
        .update(spikes)
        .set({ lastHourAt: hour, explanation: details })
        .where(eq(spikes.id, open.id));
      // A brand episode that began earlier explains its own start, not a category surge that begins now: only a
      // brand spike that starts this hour takes this hour's category spikes in.
      report.updated++;
      continue;
    }
    if (evaluation.action !== "new" || !evaluation.spike) continue;

    const episode = evaluation.spike;
    const spikeMentions = await loadKeyMentions(
      deps,
      base,
      candidate.parsed,
      hour,
      new Date(hour.getTime() + HOUR_MS),
      500,
    );
    const baselineMentions: ExplainMention[] = [];
    for (let week = 1; week <= BASELINE_WEEKS; week++) {
      const centre = hour.getTime() - week * 168 * HOUR_MS;
      baselineMentions.push(
        ...(await loadKeyMentions(
          deps,
          base,
          candidate.parsed,
          new Date(centre - BASELINE_HALF_WINDOW_HOURS * HOUR_MS),
          new Date(centre + (BASELINE_HALF_WINDOW_HOURS + 1) * HOUR_MS),
          BASELINE_LIMIT_PER_WEEK,
        )),
      );
    }
    const explanation = explainSpike(spikeMentions, baselineMentions, { baselineHours: BASELINE_HOURS });
    const summary = extractiveSummary(explanation, episode.count, episode.expected);
    const mute = muteCovering(mutes.get(brand.workspaceId) ?? [], candidate.key, hour);
    const subject = candidate.parsed.category
      ? `${brand.name} · ${subjectFor(candidate.parsed, sourceNames)}`
      : brand.name;
    const feedUrl = feedFor(base, brand.slug, candidate.parsed, sourceNames, hour, hour);
    const foldedInto = candidate.parsed.category ? brandSpikeThisHour.get(brand.id) : undefined;
    const destination = slackDestination(brand.slackWebhookUrl, deps.env.SLACK_WEBHOOK_URL);
    const alerted = foldedInto === undefined && destination !== null && mute === null;
    const details: StoredSpikeDetails = {
      explanation,
      episode,
      subject,
      feedUrl,
      alerted,
      summary,
      ...(foldedInto !== undefined ? { partOfSpikeId: foldedInto } : {}),
      ...(mute ? { muted: { until: mute.until?.toISOString() ?? null } } : {}),
    };
    // The spike and its Slack message commit together in one atomic batch (src/db/atomic.ts), on D1 as on libSQL:
    // the message's key names the spike row the batch's first statement inserted.
    const insertSpike = deps.db
      .insert(spikes)
      .values({
        key: candidate.key,
        brandId: brand.id,
        startedAt: hour,
        lastHourAt: hour,
        count: episode.count,
        expected: episode.expected,
        score: episode.score,
        explanation: details,
        createdAt: now,
      })
      .returning({ id: spikes.id });
    const [inserted] =
      alerted && destination
        ? await atomicBatch(deps.db, [
            insertSpike,
            outboxInsert(
              deps.db,
              {
                kind: "slack",
                idempotencyKey: sql`'spike:' || last_insert_rowid()`,
                destination,
                workspaceId: brand.workspaceId,
                payload: buildSpikeMessage({
                  brand: brand.name,
                  subject: subjectFor(candidate.parsed, sourceNames),
                  ts: hour.toISOString(),
                  count: episode.count,
                  expected: episode.expected,
                  score: episode.score,
                  explanation,
                  feedUrl,
                  summary,
                  ...(episode.grewFrom !== undefined ? { grewFrom: episode.grewFrom } : {}),
                }),
              },
              now,
            ),
            ...(endOpen ? [endOpen] : []),
          ])
        : endOpen
          ? await atomicBatch(deps.db, [insertSpike, endOpen])
          : [await insertSpike];
    const spikeId = inserted[0]!.id;
    if (!candidate.parsed.category) brandSpikeThisHour.set(brand.id, spikeId);
    report.newSpikes++;
    if (alerted) report.alerts++;
  }
  return report;
}

/** What spiked, in words: "mention volume", "complaints about legal threats on reddit-main". */
function subjectFor(key: ParsedKey, sourceNames: Map<number, string>): string {
  if (!key.category) return "mention volume";
  const source =
    key.sourceId !== undefined ? (sourceNames.get(key.sourceId) ?? `source ${key.sourceId}`) : "";
  return `complaints about ${key.category.replace(/_/g, " ")} on ${source}`;
}

function feedFor(
  base: string,
  brandSlug: string,
  key: ParsedKey,
  sourceNames: Map<number, string>,
  from: Date,
  lastHour: Date,
): string {
  const source = key.sourceId !== undefined ? sourceNames.get(key.sourceId) : undefined;
  return feedLink(base, {
    brand: brandSlug,
    ...(key.category && key.category !== "unclassified" ? { category: key.category } : {}),
    ...(source ? { source } : {}),
    since: from,
    until: new Date(lastHour.getTime() + HOUR_MS),
  });
}

/** The mentions a key counted between two instants (by created_at, as hourly_counts does), newest first. */
async function loadKeyMentions(
  deps: Deps,
  base: string,
  key: ParsedKey,
  from: Date,
  until: Date,
  limit: number,
): Promise<ExplainMention[]> {
  const conditions = [
    eq(mentionBrands.brandId, key.brandId),
    gte(mentions.createdAt, from),
    lt(mentions.createdAt, until),
  ];
  if (key.sourceId !== undefined) conditions.push(eq(mentions.sourceId, key.sourceId));
  if (key.category === "unclassified") conditions.push(sql`${mentions.category} IS NULL`);
  else if (key.category) conditions.push(eq(mentions.category, key.category));
  const rows = await deps.db
    .select({
      id: mentions.id,
      text: mentions.textMasked,
      source: sources.name,
      author: mentions.authorHandle,
      authorKey: mentions.authorKey,
      contentHash: mentions.contentHash,
      category: mentions.category,
    })
    .from(mentions)
    .innerJoin(mentionBrands, eq(mentionBrands.mentionId, mentions.id))
    .innerJoin(sources, eq(sources.id, mentions.sourceId))
    .where(and(...conditions))
    .orderBy(desc(mentions.createdAt))
    .limit(limit);
  // Examples link to the mention in Rapport (masked, with its triage), not to the platform.
  return rows.map((r) => ({ ...r, url: mentionLink(base, r.id) }));
}
