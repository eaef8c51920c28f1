// Does the compiled-statement cache (src/db/statement-cache.ts, a patch of the libsql driver) still pay for its
// fragility? The same demo database is served to the same requests by two processes, one with the cache and one
// without; each prints its mean time per request after a warm-up. Run alone: `npm run bench -- statement-cache`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./statement-cache-child.ts", import.meta.url));

export async function runStatementCacheBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rapport-bench-stmt-"));
  try {
    const db = join(dir, "demo.db");
    const run = (mode: string) =>
      execFileSync(process.execPath, ["--import", "tsx", CHILD, db, mode], { encoding: "utf8" }).trim();
    run("seed");
    const results: Record<string, Record<string, number>> = {};
    // Alternate the two, twice, so a busy moment on the machine does not fall on one side only.
    for (const mode of ["plain", "cached", "plain", "cached"]) {
      const figures = JSON.parse(run(mode)) as Record<string, number>;
      for (const [page, ms] of Object.entries(figures)) {
        results[page] ??= {};
        results[page]![mode] = Math.min(results[page]![mode] ?? Number.POSITIVE_INFINITY, ms);
      }
    }
    console.log("request (demo workspace)     without cache   with cache   saved");
    for (const [page, byMode] of Object.entries(results)) {
      const plain = byMode.plain!;
      const cached = byMode.cached!;
      console.log(
        `${page.padEnd(28)} ${plain.toFixed(3).padStart(10)} ms ${cached.toFixed(3).padStart(9)} ms ${(((plain - cached) / plain) * 100).toFixed(0).padStart(5)} %`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
