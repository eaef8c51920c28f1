// Local classifier throughput on one core, through the path `rapport classify` takes (JSONL read and validated,
// engine.classify in chunks, JSONL written), on real text cut to social length: CFPB narratives from ../shared/data
// cut at a word boundary to ≤ 280 characters (mean ≈ 150), mixed with the hand-written short posts.
// `npm run bench -- classifier` (via bench/index.ts) or `npx tsx bench/classifier.ts`.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { LocalEngine } from "../src/classifier/local.js";
import { seededRandom } from "../src/classifier/model.js";
import type { ClassifyInput } from "../src/classifier/types.js";
import { createClassifyCommand } from "../src/cli/classify.js";
import type { CliContext } from "../src/cli/types.js";

const DATA = fileURLToPath(new URL("../../shared/data/", import.meta.url));
const SOCIAL = fileURLToPath(new URL("../src/classifier/data/social_test.jsonl", import.meta.url));
const SEED = fileURLToPath(new URL("../src/classifier/data/social_seed.jsonl", import.meta.url));
const MENTIONS = 20_000;
const MAX_CHARS = 280;
const MIN_CUT = 80;

function texts(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

/** Cut at the last space before `length` (a post is whole words). */
function cut(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= length) return flat;
  const space = flat.lastIndexOf(" ", length);
  return flat.slice(0, space > 40 ? space : length);
}

/** Real text at social length: narratives cut to a length drawn uniformly from 80–280, deterministic (mean ≈ 150 with the short posts). */
export function socialLengthCorpus(count = MENTIONS): ClassifyInput[] {
  const narratives = [
    ...texts(join(DATA, "cfpb_debt_collection_labelled.jsonl")),
    ...texts(join(DATA, "cfpb_other_products.jsonl")),
  ];
  const posts = [...texts(SOCIAL), ...texts(SEED)];
  const random = seededRandom(150);
  const out: ClassifyInput[] = [];
  for (let i = 0; i < count; i++) {
    // One in five is a hand-written short post; the rest real narratives cut to post length.
    const source = narratives.length > 0 && i % 5 !== 0 ? narratives : posts;
    const text = source[Math.floor(random() * source.length)] as string;
    out.push({ id: `m${i}`, text: cut(text, MIN_CUT + Math.floor(random() * (MAX_CHARS - MIN_CUT + 1))) });
  }
  return out;
}

/** CPU time of this process, not wall time: "per core" stays meaningful on a busy machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

class Sink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.bytes += chunk.length;
    done();
  }
}

async function viaCli(file: string): Promise<{ ms: number; bytes: number }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const command = createClassifyCommand(() => ({ CLASSIFIER_ENGINE: "local" }) as never);
  const ctx = {
    stdin: process.stdin,
    stdout,
    stderr,
    deps: () => Promise.reject(new Error("classify needs no database")),
  } as unknown as CliContext;
  const start = cpuMs();
  const code = await command.run(["--input", file, "--engine", "local"], ctx);
  if (code !== 0) throw new Error(`classify exited ${code}`);
  return { ms: cpuMs() - start, bytes: stdout.bytes };
}

export async function runClassifierBench(): Promise<void> {
  const items = socialLengthCorpus();
  const mean = items.reduce((a, p) => a + p.text.length, 0) / items.length;
  const max = Math.max(...items.map((p) => p.text.length));
  const dir = mkdtempSync(join(tmpdir(), "rapport-bench-classify-"));
  const file = join(dir, "mentions.jsonl");
  writeFileSync(file, `${items.map((p) => JSON.stringify(p)).join("\n")}\n`);
  try {
    await viaCli(file); // warm-up: JIT, model load, regex compilation
    const runs = [await viaCli(file), await viaCli(file), await viaCli(file)];
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    console.log(
      `classifier local via \`rapport classify\`: ${Math.round((items.length / best.ms) * 1000).toLocaleString("en-US")} mentions per CPU-second on one core (best of 3; ${items.length.toLocaleString("en-US")} real texts cut to ≤ ${MAX_CHARS} chars, mean ${Math.round(mean)}, max ${max}; target ≥ 20,000/s)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // The engine alone, for comparison (no JSONL parsing or writing).
  const engine = new LocalEngine();
  for (const item of items.slice(0, 2000)) engine.classifyOne(item);
  const start = cpuMs();
  for (const item of items) engine.classifyOne(item);
  const ms = cpuMs() - start;
  console.log(
    `classifier local engine alone: ${Math.round((items.length / ms) * 1000).toLocaleString("en-US")} mentions per CPU-second (same texts)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runClassifierBench();
