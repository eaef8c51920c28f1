import { eq } from "drizzle-orm";
import { sources } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { pollSourceLeased } from "../pipeline/poll.js";
import { findSourceByName } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import type { Command } from "./types.js";

export const pollCommand: Command = {
  name: "poll",
  sendsLinks: true,
  usage: "poll [--source <name>]",
  summary: "Run connectors now (every enabled source, or one)",
  async run(args, ctx) {
    const { values } = parseCliArgs(args, { source: { type: "string" } }, false);
    const deps = await ctx.deps();
    let targets: (typeof sources.$inferSelect)[];
    if (values.source) {
      const source = await findSourceByName(deps, values.source);
      if (!source)
        throw new AppError("not_found", `no source named "${values.source}" (see \`rapport sources list\`)`);
      targets = [source];
    } else {
      targets = await deps.db.select().from(sources).where(eq(sources.enabled, true));
    }
    let failed = 0;
    for (const source of targets) {
      // Under the source's lease, like the scheduler and "Poll now": never two polls of one source at once.
      const run = await pollSourceLeased(deps, source, deps.now(), `cli:${process.pid}`, { force: true });
      if (!run.ran) {
        ctx.stdout.write(`${source.name}: skipped — another process is polling it right now\n`);
        continue;
      }
      const outcome = run.value;
      if (outcome.status === "error") failed++;
      const skipped = outcome.skipped > 0 ? `, ${outcome.skipped} skipped (see the log)` : "";
      ctx.stdout.write(
        outcome.status === "error"
          ? `${source.name}: failed — ${outcome.error}\n`
          : `${source.name}: ${outcome.inserted} new, ${outcome.duplicates} already stored${skipped}\n`,
      );
    }
    return failed > 0 ? 1 : 0;
  },
};
