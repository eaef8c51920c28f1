import { createReadStream, existsSync } from "node:fs";
import { resolve } from "node:path";
import cliProgress from "cli-progress";
import { fileFormat } from "../../connectors/file.js";
import { importFile } from "../pipeline/import-file.js";
import { addSource } from "../services/sources/add-source.js";
import { defaultWorkspaceId, findSourceByName } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    for (const byte of chunk as Buffer) if (byte === 10) lines++;
  }
  return lines;
}

export const importCommand: Command = {
  name: "import",
  sendsLinks: true,
  usage: "import <file> --source <name>",
  summary:
    "Import mentions from a JSONL or CSV file (id,text required; author,url,created_at,rating optional)",
  async run(args, ctx) {
    const { values, positionals } = parseCliArgs(args, { source: { type: "string" } });
    const file = positionals[0];
    if (!file) throw new UsageError("missing the file to import");
    if (!values.source) throw new UsageError("missing --source <name> (created as a file source if new)");
    const path = resolve(file);
    if (!existsSync(path)) throw new UsageError(`file not found: ${file}`);
    try {
      fileFormat(path);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const deps = await ctx.deps();
    let source = await findSourceByName(deps, values.source);
    if (!source) {
      source = await addSource(deps, {
        workspaceId: await defaultWorkspaceId(deps),
        type: "file",
        name: values.source,
        config: { path },
        enabled: false, // an import-only source: nothing to poll
      });
      ctx.stdout.write(`Created file source "${source.name}".\n`);
    }

    const bar = ctx.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format: "Importing [{bar}] {percentage}% | {value}/{total} lines | {imported} new",
            stream: ctx.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    if (bar) bar.start(await countLines(path), 0, { imported: 0 });
    const result = await importFile(deps, source, path, {
      onProgress: (line, r) => bar?.update(line, { imported: r.imported }),
    });
    bar?.stop();

    for (const note of result.warnings.slice(0, 100))
      ctx.stderr.write(`line ${note.line}: warning: ${note.warning}\n`);
    if (result.warnings.length > 100)
      ctx.stderr.write(`… and ${result.warnings.length - 100} more warnings\n`);
    for (const bad of result.rejected.slice(0, 100)) ctx.stderr.write(`line ${bad.line}: ${bad.error}\n`);
    if (result.rejected.length > 100)
      ctx.stderr.write(`… and ${result.rejected.length - 100} more bad rows\n`);
    ctx.stdout.write(
      `Imported ${result.imported} new mentions into "${source.name}" (${result.duplicates} already stored, ${result.rejected.length} rejected).\n`,
    );
    return result.rejected.length > 0 ? 1 : 0;
  },
};
