import { isNull } from "drizzle-orm";
import { SOURCE_TYPES } from "../../connectors/types.js";
import { sources } from "../db/schema/index.js";
import { addSource } from "../services/sources/add-source.js";
import { defaultWorkspaceId } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const usage = `sources add <type> --name <name> [--brand <b>] [--every "<cron>"] [--url <feed url>] [--config '<json>']
       rapport sources list`;

export const sourcesCommand: Command = {
  name: "sources",
  usage,
  summary: `Add or list sources (types: ${SOURCE_TYPES.join(", ")})`,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === "list") {
      const deps = await ctx.deps();
      // Removed sources are gone from every list; their mentions keep the name.
      const rows = await deps.db.select().from(sources).where(isNull(sources.removedAt));
      for (const s of rows) {
        ctx.stdout.write(`${s.name}\t${s.type}\t${s.schedule}\t${s.health}\t${s.lastError ?? ""}\n`);
      }
      return 0;
    }
    if (sub !== "add") throw new UsageError(`unknown subcommand "${sub ?? ""}"`);
    const { values, positionals } = parseCliArgs(rest, {
      name: { type: "string" },
      brand: { type: "string" },
      every: { type: "string" },
      url: { type: "string" },
      config: { type: "string" },
    });
    const type = positionals[0];
    if (!type) throw new UsageError("missing the source type");
    if (!values.name) throw new UsageError("missing --name");
    let config: Record<string, unknown> = {};
    if (values.config) {
      try {
        config = JSON.parse(values.config) as Record<string, unknown>;
      } catch (error) {
        throw new UsageError(`--config is not valid JSON: ${(error as Error).message}`);
      }
      if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new UsageError('--config must be a JSON object, e.g. \'{"baseUrl":"https://…"}\'');
      }
    }
    if (values.url) config = { ...config, url: values.url };
    const deps = await ctx.deps();
    const row = await addSource(deps, {
      workspaceId: await defaultWorkspaceId(deps),
      type,
      name: values.name,
      brand: values.brand,
      every: values.every,
      config,
    });
    ctx.stdout.write(`Added ${row.type} source "${row.name}" (schedule "${row.schedule}").\n`);
    if (row.ingestToken) {
      ctx.stdout.write(
        `Push mentions with: POST /api/ingest/${row.name}  Authorization: Bearer ${row.ingestToken}\n(the token is shown once; it is stored hashed)\n`,
      );
    }
    return 0;
  },
};
