import { isNull } from "drizzle-orm";
import { SOURCE_TYPES } from "../../connectors/types.js";
import { sources } from "../db/schema/index.js";
import { addSource } from "../services/sources/add-source.js";
import { defaultWorkspaceId, findSourceByName } from "../services/sources/find-source.js";
import { setSourcePaused } from "../services/sources/pause-source.js";
import { removalPreview, removeSource } from "../services/sources/remove-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const usage = `sources add <type> --name <name> [--brand <b>] [--every "<cron>"] [--url <feed url>] [--config '<json>']
       rapport sources list
       rapport sources pause|resume <name>
       rapport sources remove <name> --yes   (soft: its mentions stay; without --yes it only says what would happen)`;

export const sourcesCommand: Command = {
  name: "sources",
  usage,
  summary: `Add, list, pause, resume or remove sources (types: ${SOURCE_TYPES.join(", ")})`,
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
    if (sub === "pause" || sub === "resume" || sub === "remove") {
      const { values, positionals } = parseCliArgs(rest, { yes: { type: "boolean" } });
      const name = positionals[0];
      if (!name || positionals.length > 1)
        throw new UsageError(`sources ${sub} needs exactly one source name`);
      const deps = await ctx.deps();
      const workspaceId = await defaultWorkspaceId(deps);
      const source = await findSourceByName(deps, name, workspaceId);
      if (!source) throw new UsageError(`no source named "${name}" (see \`rapport sources list\`)`);
      // Audited like the dashboard's, with "cli" as the actor.
      const actor = { id: null, email: "cli", workspaceId };
      if (sub === "remove") {
        const preview = await removalPreview(deps, actor, source.id);
        if (!values.yes) {
          ctx.stdout.write(
            `Removing "${name}" stops it for good and hides it; its ${preview.mentions} mention(s) stay. Run again with --yes to remove it.\n`,
          );
          return 1;
        }
        const removed = await removeSource(deps, actor, source.id);
        ctx.stdout.write(`Removed "${removed.name}"; its ${removed.mentionsKept} mention(s) stay.\n`);
        return 0;
      }
      const { changed } = await setSourcePaused(deps, actor, source.id, sub === "pause");
      ctx.stdout.write(
        changed
          ? `${sub === "pause" ? "Paused" : "Resumed"} "${name}".\n`
          : `"${name}" was already ${sub === "pause" ? "paused" : "running"}.\n`,
      );
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
