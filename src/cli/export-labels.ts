// `rapport export-labels [--output <file>] [--masked]`: reviewer corrections as JSONL training data
// {"id","text","category","relevant","flags","source":"reviewer","corrected_at"} — the row shape the training
// loader reads (id, text, category, relevant), so the file can join the labelled data of the next `npm run train`.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { AppError } from "../errors.js";
import { reviewerLabels } from "../services/classification/export-labels.js";
import { parseCliArgs } from "./args.js";
import type { Command } from "./types.js";

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(line)) await once(out, "drain");
}

export const exportLabelsCommand: Command = {
  name: "export-labels",
  usage: "export-labels [--output <file>] [--masked]",
  summary: "Write reviewer corrections as JSONL training data (stdout or a file)",
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      { output: { type: "string" }, masked: { type: "boolean", default: false } },
      false,
    );
    const deps = await ctx.deps();
    const file = values.output ? createWriteStream(values.output, { encoding: "utf8" }) : null;
    if (file) {
      try {
        await once(file, "open");
      } catch (error) {
        throw new AppError("bad_request", `cannot write ${values.output}: ${(error as Error).message}`);
      }
    }
    const out = file ?? ctx.stdout;
    let count = 0;
    try {
      for await (const row of reviewerLabels(deps.db, { masked: values.masked })) {
        await writeLine(out, `${JSON.stringify(row)}\n`);
        count++;
      }
    } finally {
      if (file) {
        file.end();
        await once(file, "close");
      }
    }
    const where = values.output ? ` to ${values.output}` : "";
    ctx.stderr.write(`Exported ${count} reviewer correction${count === 1 ? "" : "s"}${where}.\n`);
    return 0;
  },
};
