// Local classifier throughput on one core: short social posts and long complaint narratives.
// `npm run bench` (via bench/index.ts) or `npx tsx bench/classifier.ts`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LocalEngine } from "../src/classifier/local.js";
import type { ClassifyInput } from "../src/classifier/types.js";

const SOCIAL = fileURLToPath(new URL("../src/classifier/data/social_test.jsonl", import.meta.url));
const SEED = fileURLToPath(new URL("../src/classifier/data/social_seed.jsonl", import.meta.url));

function loadPosts(): ClassifyInput[] {
  return [SOCIAL, SEED].flatMap((path) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const row = JSON.parse(line) as { id: string; text: string };
        return { id: row.id, text: row.text };
      }),
  );
}

/** CPU time of this process, not wall time: "per core" stays meaningful on a busy machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function measure(
  engine: LocalEngine,
  items: ClassifyInput[],
  minMs: number,
): { perSecond: number; wallPerSecond: number; count: number } {
  for (const item of items.slice(0, 200)) engine.classifyOne(item); // warm-up: JIT, regex compilation
  let count = 0;
  const cpuStart = cpuMs();
  const wallStart = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const item of items) engine.classifyOne(item);
    count += items.length;
    elapsed = cpuMs() - cpuStart;
  }
  const wall = performance.now() - wallStart;
  return { perSecond: (count / elapsed) * 1000, wallPerSecond: (count / wall) * 1000, count };
}

export async function runClassifierBench(): Promise<void> {
  const engine = new LocalEngine();
  const posts = loadPosts();
  const avgLen = posts.reduce((a, p) => a + p.text.length, 0) / posts.length;
  const short = measure(engine, posts, 2_000);
  console.log(
    `classifier local: ${Math.round(short.perSecond).toLocaleString("en-US")} short posts/s per CPU-second on one core (wall clock ${Math.round(short.wallPerSecond).toLocaleString("en-US")}/s; ${posts.length} distinct posts, avg ${Math.round(avgLen)} chars, ${short.count.toLocaleString("en-US")} classified; target ≥ 20,000/s)`,
  );
  // A long narrative, repeated with variations, stands in for CFPB-style complaints.
  const narrative =
    "I have been contacted repeatedly by a debt collector about a medical bill that my insurance already paid. I asked them in writing to validate the debt and they never sent anything, but they keep calling me at work and told my supervisor about it. They also threatened to report it to the credit bureaus and to sue me if I don't pay by Friday. ";
  const longs = Array.from({ length: 50 }, (_, i) => ({
    id: `n${i}`,
    text: `${narrative.repeat(1 + (i % 3))} Case ${i}.`,
  }));
  const long = measure(engine, longs, 1_000);
  const longLen = longs.reduce((a, p) => a + p.text.length, 0) / longs.length;
  console.log(
    `classifier local: ${Math.round(long.perSecond).toLocaleString("en-US")} long narratives per CPU-second (avg ${Math.round(longLen)} chars)`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runClassifierBench();
