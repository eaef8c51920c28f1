// Builds data/demo/mentions.jsonl, the text the demo source replays, from the real complaint text in
// ../shared/data. Deterministic: the same inputs give the same file byte for byte, so a rebuild shows no diff.
// The only change to a text is truncation (long CFPB narratives become feed-sized posts); see data/demo/README.md.
//
// It also writes data/demo/platforms.json (the platform sources' recorded API payloads) and data/demo/accounts.csv.
//
//   npx tsx scripts/build-demo-data.ts [--data <dir>] [--out <file>] [--platforms-only]
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEED = "rapport-demo-v1";
const MAX_CHARS = 600;
/** A sentence boundary earlier than this would throw away too much of the story; cut at a word instead. */
const MIN_SENTENCE_CUT = 250;
const MIN_CHARS = 80;
/** A period after these ends no sentence ("U.S. Code", "Mr. Smith", "No. 5"). */
const ABBREVIATION =
  /(?:^|[\s(])(?:[A-Za-z]|[A-Z]\.[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs|etc|Inc|Co|Corp|Ltd|approx)\.$/;

/** How many rows each part of the demo feed takes (about 400 in all). */
const QUOTA = {
  medical: 50,
  auto: 30,
  collectionsLabelled: 80,
  collectionsUnlabelled: 110,
  otherProducts: 75,
  cdcp: 55,
} as const;

const MEDICAL =
  /\b(medical|hospital|doctor|ambulance|clinic|dental|dentist|surgery|urgent care|physician)\b/i;
const AUTO = /\b(car|vehicle|auto loan|auto finance|repossess\w*|dealership)\b/i;

export type DemoKind = "review" | "post" | "complaint";
/** Which demo brand a row is replayed for: the collecting company, or one of its two creditor clients. */
export type DemoSegment = "company" | "medical" | "auto";

export interface DemoRow {
  id: string;
  text: string;
  kind: DemoKind;
  segment: DemoSegment;
  author: string;
  rating: number | null;
  truncated: boolean;
  source_file: string;
  source_repo: string;
  source_commit: string;
  source_path: string;
  original_id: string;
}

const sourceRowSchema = z.object({
  id: z.string(),
  text: z.string(),
  sub_product: z.string().nullish(),
  source_repo: z.string(),
  source_commit: z.string(),
  source_path: z.string(),
});
type SourceRow = z.infer<typeof sourceRowSchema> & { file: string };

const hashOf = (value: string) => createHash("sha256").update(`${SEED}:${value}`).digest();
const rankOf = (value: string) => hashOf(value).toString("hex");

function readRows(dataDir: string, file: string): SourceRow[] {
  return readFileSync(join(dataDir, file), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => ({ ...sourceRowSchema.parse(JSON.parse(line)), file }));
}

/** Rows that read like a post: long enough to say something, not mostly CFPB `XXXX` masking. */
function readable(row: SourceRow): boolean {
  const text = row.text.trim();
  if (text.length < MIN_CHARS) return false;
  const words = text.split(/\s+/);
  const masked = words.filter((w) => /X{2,}/.test(w)).length;
  return masked / words.length < 0.08;
}

/** Cuts at the last sentence end within MAX_CHARS, else at the last word, marking the cut with an ellipsis. */
export function truncateForFeed(text: string, max = MAX_CHARS): { text: string; truncated: boolean } {
  const trimmed = text.trim();
  if (trimmed.length <= max) return { text: trimmed, truncated: false };
  const head = trimmed.slice(0, max + 1);
  let sentenceEnd = -1;
  for (const match of head.matchAll(/[.!?](?=\s)/g)) {
    if (!ABBREVIATION.test(head.slice(0, match.index + 1))) sentenceEnd = match.index;
  }
  if (sentenceEnd + 1 >= MIN_SENTENCE_CUT)
    return { text: trimmed.slice(0, sentenceEnd + 1), truncated: true };
  const wordEnd = head.slice(0, max).search(/\s+\S*$/);
  return { text: `${trimmed.slice(0, wordEnd > 0 ? wordEnd : max).trimEnd()}…`, truncated: true };
}

function segmentOf(row: SourceRow): DemoSegment {
  const medical = row.sub_product === "Medical debt" || MEDICAL.test(row.text);
  const auto = row.sub_product === "Auto debt" || AUTO.test(row.text);
  if (medical && !auto) return "medical";
  if (auto && !medical) return "auto";
  return "company";
}

function pick<T extends SourceRow>(rows: T[], count: number, taken: Set<string>): T[] {
  const chosen = rows
    .filter((r) => !taken.has(r.id) && readable(r))
    .sort((a, b) => rankOf(a.id).localeCompare(rankOf(b.id)))
    .slice(0, count);
  for (const r of chosen) taken.add(r.id);
  return chosen;
}

/** Regulator narratives read as complaints; a share of them is shown as 1–2 star reviews or plain posts. */
function presentation(row: SourceRow): { kind: DemoKind; rating: number | null } {
  if (row.file.startsWith("cdcp")) return { kind: "post", rating: null };
  const roll = hashOf(`kind:${row.id}`)[0]! / 256;
  if (roll < 0.3) return { kind: "review", rating: hashOf(`stars:${row.id}`)[0]! < 64 ? 2 : 1 };
  if (roll < 0.6) return { kind: "post", rating: null };
  return { kind: "complaint", rating: null };
}

export function buildDemoRows(dataDir: string): DemoRow[] {
  const labelled = readRows(dataDir, "cfpb_debt_collection_labelled.jsonl");
  const unlabelled = readRows(dataDir, "cfpb_debt_collection_unlabelled.jsonl");
  const other = readRows(dataDir, "cfpb_other_products.jsonl");
  const cdcp = readRows(dataDir, "cdcp_rulemaking_comments.jsonl");
  const collections = [...labelled, ...unlabelled];
  const taken = new Set<string>();

  const selected = [
    ...pick(
      collections.filter((r) => segmentOf(r) === "medical"),
      QUOTA.medical,
      taken,
    ),
    ...pick(
      collections.filter((r) => segmentOf(r) === "auto"),
      QUOTA.auto,
      taken,
    ),
    ...pick(
      labelled.filter((r) => segmentOf(r) === "company"),
      QUOTA.collectionsLabelled,
      taken,
    ),
    ...pick(
      unlabelled.filter((r) => segmentOf(r) === "company"),
      QUOTA.collectionsUnlabelled,
      taken,
    ),
    ...pick(other, QUOTA.otherProducts, taken),
    ...pick(cdcp, QUOTA.cdcp, taken),
  ];

  // Replay order mixes every part, so the backlog and each release look like one real feed.
  const ordered = selected.sort((a, b) => rankOf(`order:${a.id}`).localeCompare(rankOf(`order:${b.id}`)));
  const usedHandles = new Set<number>();
  return ordered.map((row, index) => {
    const isCollections = row.file.startsWith("cfpb_debt_collection");
    let handle = hashOf(`author:${row.id}`).readUInt16BE(0) % 10_000;
    while (usedHandles.has(handle)) handle = (handle + 1) % 10_000;
    usedHandles.add(handle);
    const { text, truncated } = truncateForFeed(row.text);
    return {
      id: String(index + 1).padStart(3, "0"),
      text,
      ...presentation(row),
      segment: isCollections ? segmentOf(row) : "company",
      author: `demo_user_${String(handle).padStart(4, "0")}`,
      truncated,
      source_file: row.file,
      source_repo: row.source_repo,
      source_commit: row.source_commit,
      source_path: row.source_path,
      original_id: row.id,
    };
  });
}

/**
 * The platform sources of the demo (X, Reddit, Google reviews, Trustpilot, CFPB): the recorded API payloads of the
 * connector tests (test/fixtures), pages as the platforms send them, so the demo runs them through each connector's
 * own validation and normalisation. The one change: the fixtures' made-up company ("Acme Recovery", "Example
 * Recovery Services", "Example Co.") becomes the demo company, so brand matching and replies read naturally.
 */
export const PLATFORM_FIXTURES = {
  x: ["x/search-page1.json", "x/search-page2.json"],
  reddit: ["reddit/search-page1.json", "reddit/search-page2.json"],
  google: ["google/reviews-page1.json", "google/reviews-page2.json"],
  trustpilot: ["trustpilot/reviews-page1.json", "trustpilot/reviews-page2.json"],
  cfpb: ["cfpb/search-page1.json", "cfpb/search-page2.json"],
} as const;

const COMPANY_RENAMES: [RegExp, string][] = [
  [/Example Recovery Services|Example Co\./g, "Summit Recovery Services"],
  [/ACME/g, "SUMMIT"],
  [/Acme/g, "Summit"],
  [/acme/g, "summit"],
];

export function renameCompany(text: string): string {
  return COMPANY_RENAMES.reduce((out, [pattern, name]) => out.replace(pattern, name), text);
}

export interface PlatformPayloads {
  type: keyof typeof PLATFORM_FIXTURES;
  /** The fixture files the pages come from, for provenance. */
  from: string[];
  pages: unknown[];
}

/**
 * One X page written for the demo (not recorded), in X's wire format: a customer posting their account reference in
 * public, which is what makes a link suggestion strong (see DEMO_ACCOUNTS_CSV). Every recorded post matches by
 * handle at most, which is never strong, so without it the demo could not show a one-step confirmation.
 */
export const DEMO_WRITTEN_X_PAGE = {
  data: [
    {
      id: "2123750000000000001",
      text: "@SummitRecovery I paid off account SRS-100231 in May and I'm STILL getting letters. Please fix this.",
      author_id: "1432178930448654337",
      created_at: "2026-11-20T12:10:00.000Z",
      edit_history_tweet_ids: ["2123750000000000001"],
      conversation_id: "2123750000000000001",
      lang: "en",
      public_metrics: {
        retweet_count: 0,
        reply_count: 0,
        like_count: 3,
        quote_count: 0,
        impression_count: 240,
      },
    },
  ],
  includes: {
    users: [
      {
        id: "1432178930448654337",
        name: "Dana R.",
        username: "danar_tx",
        verified: false,
        public_metrics: { followers_count: 412 },
      },
    ],
  },
  meta: { result_count: 1, newest_id: "2123750000000000001", oldest_id: "2123750000000000001" },
};

export function buildPlatformPayloads(fixturesDir: string): PlatformPayloads[] {
  return (Object.entries(PLATFORM_FIXTURES) as [keyof typeof PLATFORM_FIXTURES, readonly string[]][]).map(
    ([type, files]) => {
      const recorded = files.map((f) =>
        JSON.parse(renameCompany(readFileSync(join(fixturesDir, f), "utf8"))),
      );
      return type === "x"
        ? {
            type,
            from: [...files.map((f) => `test/fixtures/${f}`), "written for the demo (DEMO_WRITTEN_X_PAGE)"],
            pages: [...recorded, DEMO_WRITTEN_X_PAGE],
          }
        : { type, from: files.map((f) => `test/fixtures/${f}`), pages: recorded };
    },
  );
}

/**
 * A few accounts for the demo, in the CSV format `rapport accounts import` reads (README "Accounts CSV"), so linking
 * can be tried: each matches people in the recorded payloads by the evidence the matcher uses (a handle, a phone in
 * the post), some strongly and some not. Made up; the people in the payloads are made up too.
 */
export const DEMO_ACCOUNTS_CSV = `reference,display_name,phones,emails,handles,client,state,status
SRS-100231,Dana Reyes,+1 512 555 0143,dana.reyes@example.net,x:danar_tx,Northwind Medical Group,TX,
SRS-100872,Marcus Bell,,,x:mbell,Bluebird Auto Finance,CA,dispute_open
SRS-101455,Priya Shah,(415) 555-0199,,x:priyashah_cfp,Northwind Medical Group,CA,
SRS-102210,Quinn Ledger,,,reddit:quiet_ledger_88,Bluebird Auto Finance,OH,cease_contact
SRS-103007,Jane Doe,,jane.d@example.org,,Northwind Medical Group,NY,
`;

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dataDir = resolve(arg("--data") ?? join(REPO_ROOT, "../shared/data"));
  const out = resolve(arg("--out") ?? join(REPO_ROOT, "data/demo/mentions.jsonl"));
  const rows = buildDemoRows(dataDir);
  mkdirSync(dirname(out), { recursive: true });
  const platformsOut = join(dirname(out), "platforms.json");
  const platforms = buildPlatformPayloads(join(REPO_ROOT, "test/fixtures"));
  writeFileSync(platformsOut, `${JSON.stringify(platforms, null, 1)}\n`);
  writeFileSync(join(dirname(out), "accounts.csv"), DEMO_ACCOUNTS_CSV);
  console.log(`wrote ${platforms.length} platforms' recorded payloads to ${platformsOut}, and accounts.csv`);
  // The platform payloads come from this repository alone; the feed text needs ../shared/data.
  if (argv.includes("--platforms-only")) return;
  const body = `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
  writeFileSync(out, body);
  const count = (key: keyof DemoRow, value: string) => rows.filter((r) => r[key] === value).length;
  console.log(
    `wrote ${rows.length} rows (${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB) to ${out}\n` +
      `  segments: company ${count("segment", "company")}, medical ${count("segment", "medical")}, auto ${count("segment", "auto")}\n` +
      `  kinds: complaint ${count("kind", "complaint")}, post ${count("kind", "post")}, review ${count("kind", "review")}\n` +
      `  truncated: ${rows.filter((r) => r.truncated).length}`,
  );
  for (const file of new Set(rows.map((r) => r.source_file)))
    console.log(`  ${file}: ${count("source_file", file)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main(process.argv.slice(2));
