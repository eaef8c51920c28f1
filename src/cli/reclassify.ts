// `rapport reclassify [--since <date>] [--source <name>] [--engine local|claude|hybrid] [--all]`: classify stored
// mentions again (after a retrain, a prompt change, or to move to Claude). By default only mentions not yet
// classified by the chosen engine's current version; --all takes every one. Reviewer corrections are never
// touched. Interrupted (Ctrl-C, an API outage), the same command continues after the last finished batch.
import { Presets, SingleBar } from "cli-progress";
import type { EngineName } from "../classifier/index.js";
import { type ReclassifyMode, reclassifyMentions } from "../services/classification/reclassify.js";
import { parseCliArgs } from "./args.js";
import { parseSince } from "./backfill.js";
import { type Command, UsageError } from "./types.js";

const ENGINES: readonly EngineName[] = ["local", "claude", "hybrid"];

export const reclassifyCommand: Command = {
  name: "reclassify",
  sendsLinks: true,
  usage:
    "reclassify [--since <YYYY-MM-DD>] [--source <name>] [--engine local|claude|hybrid] [--all | --unclassified] [--batch-size <n>] [--restart]",
  summary: "Classify stored mentions again (resumable; reviewer corrections are kept)",
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      {
        since: { type: "string" },
        source: { type: "string" },
        engine: { type: "string" },
        all: { type: "boolean", default: false },
        unclassified: { type: "boolean", default: false },
        "batch-size": { type: "string" },
        restart: { type: "boolean", default: false },
      },
      false,
    );
    const engine = (values.engine ?? "local") as EngineName;
    if (!ENGINES.includes(engine)) {
      throw new UsageError(`--engine must be one of ${ENGINES.join(", ")} (got "${values.engine}")`);
    }
    if (values.all && values.unclassified)
      throw new UsageError("--all and --unclassified exclude each other");
    const batchSize = values["batch-size"] !== undefined ? Number(values["batch-size"]) : undefined;
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new UsageError("--batch-size must be a positive whole number");
    }
    const mode: ReclassifyMode = values.all ? "all" : values.unclassified ? "unclassified" : "stale";

    const deps = await ctx.deps();
    const since = values.since !== undefined ? parseSince(values.since, deps.now()) : undefined;

    const tty = Boolean(ctx.stderr.isTTY);
    const bar = tty
      ? new SingleBar(
          {
            format: "reclassify |{bar}| {value}/{total} · {changed} changed",
            stream: ctx.stderr,
            hideCursor: true,
          },
          Presets.shades_classic,
        )
      : null;
    // Ctrl-C finishes the batch in hand, so the next run resumes exactly after it.
    const controller = new AbortController();
    const onInterrupt = () => {
      controller.abort();
      ctx.stderr.write("\nStopping after the current batch…\n");
    };
    process.once("SIGINT", onInterrupt);
    let started = false;
    let lastDecile = -1;
    try {
      const result = await reclassifyMentions(deps, {
        engine,
        mode,
        ...(since ? { since } : {}),
        ...(values.source !== undefined ? { sourceName: values.source } : {}),
        ...(batchSize ? { batchSize } : {}),
        restart: values.restart,
        signal: controller.signal,
        onProgress(p) {
          if (!started) {
            started = true;
            if (p.processed > 0) {
              ctx.stderr.write(`Resuming an unfinished run: ${p.processed} of ${p.total} already done.\n`);
            }
            bar?.start(p.total, p.processed, { changed: p.changed });
            return;
          }
          if (bar) bar.update(p.processed, { changed: p.changed });
          else {
            const decile = p.total > 0 ? Math.floor((p.processed / p.total) * 10) : 10;
            if (decile !== lastDecile) {
              lastDecile = decile;
              ctx.stderr.write(`reclassify: ${p.processed}/${p.total}, ${p.changed} changed\n`);
            }
          }
        },
      });
      bar?.stop();
      const kept = result.corrected + result.skipped;
      const summary =
        `${result.processed} mentions classified with ${result.engine}: ${result.changed} changed, ` +
        `${kept} reviewer corrections kept, ${result.failed} without an answer` +
        (result.resumedAfter !== null ? ` (resumed after mention ${result.resumedAfter})` : "");
      if (result.status === "done") {
        ctx.stdout.write(`${summary}\n`);
        return 0;
      }
      ctx.stderr.write(
        `${summary}\nStopped: ${result.error ?? "unknown error"}. Run the same command again to continue where it stopped.\n`,
      );
      return 1;
    } finally {
      bar?.stop();
      process.removeListener("SIGINT", onInterrupt);
    }
  },
};
