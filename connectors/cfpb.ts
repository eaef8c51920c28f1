// CFPB Consumer Complaint Database: complaints naming the company. Public API, no key. Every complaint is a
// regulator matter, so each one is flagged `regulator` and keeps the CFPB's issue/sub-issue for reports.
import { z } from "zod";
import { ConnectorError } from "./errors.js";
import type { Connector, Cursor, NormalizedMention, PollContext, PollPage } from "./types.js";

const DEFAULT_BASE_URL = "https://www.consumerfinance.gov/data-research/consumer-complaints/search/api/v1/";
const DETAIL_URL = "https://www.consumerfinance.gov/data-research/consumer-complaints/search/detail/";
const DAY_MS = 86_400_000;

export const cfpbConfigSchema = z.object({
  /** Exact company name as the CFPB spells it (see `_suggest_company`), e.g. "ENCORE CAPITAL GROUP INC.". */
  company: z.string().trim().min(1, "the exact CFPB company name is required"),
  baseUrl: z.string().url().optional(),
  pageSize: z.number().int().min(1).max(100).default(100),
  /**
   * Complaints are published weeks after they are received (after the company answers), so each run looks back
   * this many days behind the newest date seen; already-stored complaints are dropped by dedup.
   */
  lookbackDays: z.number().int().min(0).max(365).default(45),
  /** How far back the very first run reaches when no backfill date is given. */
  initialDays: z.number().int().min(1).max(3650).default(90),
});
export type CfpbConfig = z.infer<typeof cfpbConfigSchema>;

const nullableString = z.string().nullish();

const complaintSchema = z.object({
  // Usually present; some hits carry the id only as the search index's `_id` (either one is used).
  complaint_id: z
    .union([z.string().min(1), z.number().int()])
    .transform(String)
    .optional(),
  date_received: z.string().min(10),
  /** The day the company got it in the CFPB portal: its 15- and 60-day response clock starts here. */
  date_sent_to_company: nullableString,
  company: z.string(),
  product: nullableString,
  sub_product: nullableString,
  issue: nullableString,
  sub_issue: nullableString,
  complaint_what_happened: nullableString,
  company_response: nullableString,
  company_public_response: nullableString,
  timely: nullableString,
  submitted_via: nullableString,
  tags: nullableString,
  state: nullableString,
});

/** A search page as the CFPB sends it (exported for the demo, which replays recorded pages through it). */
export const searchResultSchema = z.object({
  hits: z.object({
    total: z.union([z.object({ value: z.number() }), z.number()]),
    hits: z.array(
      z.object({
        _id: z
          .union([z.string().min(1), z.number().int()])
          .transform(String)
          .optional(),
        _source: complaintSchema,
        sort: z.tuple([z.union([z.number(), z.string()]), z.union([z.string(), z.number()])]),
      }),
    ),
  }),
});
type Hit = z.infer<typeof searchResultSchema>["hits"]["hits"][number];

const cursorSchema = z.object({
  /** Newest `date_received` (YYYY-MM-DD) among everything stored by finished runs. */
  receivedMax: z.string().optional(),
  /** A run in progress: its fixed lower date bound and where the next page starts. */
  run: z
    .object({ floor: z.string(), searchAfter: z.string().optional(), newest: z.string().optional() })
    .optional(),
});
type CfpbCursor = z.infer<typeof cursorSchema>;

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function laterDay(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function readCursor(cursor: Cursor | null): CfpbCursor {
  if (!cursor) return {};
  const parsed = cursorSchema.safeParse(cursor);
  // A cursor from an older version is not worth failing over: the lookback re-reads and dedup absorbs it.
  return parsed.success ? parsed.data : {};
}

/** CFPB dates are pinned to noon US Eastern; only the day is meaningful. */
function receivedAt(value: string): Date {
  const parsed = new Date(value);
  if (!Number.isNaN(parsed.getTime())) return parsed;
  return new Date(`${value.slice(0, 10)}T17:00:00Z`);
}

/** The complaint's id: `_source.complaint_id`, else the index's `_id`; null when the hit has neither. */
export function complaintId(hit: Hit): string | null {
  return hit._source.complaint_id ?? hit._id ?? null;
}

export function normalizeComplaint(hit: Hit & { id: string }): NormalizedMention {
  const c = { ...hit._source, complaint_id: hit.id };
  const narrative = c.complaint_what_happened?.trim();
  // Most complaints have no published narrative (the consumer did not consent); the issue is then all we have.
  const text =
    narrative || [c.issue, c.sub_issue].filter(Boolean).join(": ") || `CFPB complaint ${c.complaint_id}`;
  return {
    externalId: c.complaint_id,
    url: `${DETAIL_URL}${encodeURIComponent(c.complaint_id)}`,
    text,
    createdAt: receivedAt(c.date_received),
    language: "en",
    flags: ["regulator"],
    meta: {
      dateReceived: c.date_received,
      dateSentToCompany: c.date_sent_to_company ?? null,
      issue: c.issue ?? null,
      subIssue: c.sub_issue ?? null,
      product: c.product ?? null,
      subProduct: c.sub_product ?? null,
      state: c.state ?? null,
      companyResponse: c.company_response ?? null,
      companyPublicResponse: c.company_public_response ?? null,
      timely: c.timely ?? null,
      submittedVia: c.submitted_via ?? null,
      tags: c.tags ?? null,
      hasNarrative: Boolean(narrative),
    },
    raw: c,
  };
}

function searchUrl(config: CfpbConfig, floor: string, searchAfter: string | undefined, size: number): URL {
  const base = config.baseUrl ?? DEFAULT_BASE_URL;
  const url = new URL(base.endsWith("/") ? base : `${base}/`);
  url.searchParams.append("company", config.company);
  url.searchParams.set("date_received_min", floor);
  url.searchParams.set("sort", "created_date_desc");
  url.searchParams.set("size", String(size));
  url.searchParams.set("no_aggs", "true");
  url.searchParams.set("no_highlight", "true");
  if (searchAfter) url.searchParams.set("search_after", searchAfter);
  return url;
}

async function poll(ctx: PollContext<CfpbConfig>): Promise<PollPage> {
  const config = ctx.config;
  const state = readCursor(ctx.cursor);
  const floor =
    state.run?.floor ??
    (ctx.since
      ? day(ctx.since)
      : state.receivedMax
        ? day(new Date(Date.parse(state.receivedMax) - config.lookbackDays * DAY_MS))
        : day(new Date(ctx.now.getTime() - config.initialDays * DAY_MS)));

  const body = await ctx.http.json(
    searchUrl(config, floor, state.run?.searchAfter, config.pageSize),
    searchResultSchema,
    {
      signal: ctx.signal,
      headers: { accept: "application/json" },
    },
  );
  const hits = body.hits.hits;
  for (const hit of hits) {
    if (hit._source.company !== config.company) {
      throw new ConnectorError(
        "payload",
        `CFPB returned a complaint for "${hit._source.company}" although the search asked for "${config.company}" (field \`hits.hits._source.company\`)`,
      );
    }
  }
  // A hit without any id cannot be deduplicated or linked: skip it and say so, rather than fail the page.
  const mentions: NormalizedMention[] = [];
  const skipped: string[] = [];
  hits.forEach((hit, index) => {
    const id = complaintId(hit);
    if (id) mentions.push(normalizeComplaint({ ...hit, id }));
    else
      skipped.push(
        `CFPB hit ${index + 1} of the page (received ${hit._source.date_received.slice(0, 10)}) has neither _id nor _source.complaint_id: skipped`,
      );
  });
  const report = skipped.length > 0 ? { skipped } : {};
  const newest = laterDay(
    state.run?.newest,
    hits.reduce<string | undefined>(
      (max, hit) => laterDay(max, hit._source.date_received.slice(0, 10)),
      undefined,
    ),
  );
  const last = hits.at(-1);
  // A short page is the last one; a full page may be followed by more (an empty page then ends the run).
  if (last && hits.length >= config.pageSize) {
    return {
      mentions,
      cursor: { ...pick(state), run: { floor, searchAfter: `${last.sort[0]}_${last.sort[1]}`, newest } },
      hasMore: true,
      ...report,
    };
  }
  return {
    mentions,
    cursor: { receivedMax: laterDay(state.receivedMax, newest) } as Cursor,
    hasMore: false,
    ...report,
  };
}

function pick(state: CfpbCursor): Cursor {
  return state.receivedMax ? { receivedMax: state.receivedMax } : {};
}

export const cfpbConnector: Connector<CfpbConfig> = {
  type: "cfpb",
  label: "CFPB complaint database",
  configSchema: cfpbConfigSchema as z.ZodType<CfpbConfig>,
  notice:
    "Complaints appear in the public database only after the company responds (or 15 days), so each poll looks back over recent weeks.",
  poll,
  async testConnection(ctx) {
    const body = await ctx.http.json(
      searchUrl(ctx.config, day(new Date(ctx.now.getTime() - 365 * DAY_MS)), undefined, 1),
      searchResultSchema,
      {
        signal: ctx.signal,
      },
    );
    const total = typeof body.hits.total === "number" ? body.hits.total : body.hits.total.value;
    return `CFPB answered: ${total} complaints naming ${ctx.config.company} in the last year`;
  },
};
