// `rapport classify [--input <file>] [--engine local|claude|hybrid]`: JSONL {"id","text"} in, one JSONL
// classification per input out, in order. No database: it runs anywhere the committed weights are.
import { createReadStream, existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { z } from "zod";
import type { ClassifierEngine, ClassifyInput } from "../classifier/types.js";
import { loadEnv } from "../env.js";
import { buildClassifier, type ClassifierConfig } from "../platform/classifier.js";
import { parseCliArgs } from "./args.js";
import { readJsonl } from "./jsonl.js";
import { type Command, UsageError } from "./types.js";

const ENGINES = ["local", "claude", "hybrid"] as const;
const CHUNK = 256;

const inputLine = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  text: z.string(),
  reach: z.number().nonnegative().optional(),
});

export type ClassifyConfig = ClassifierConfig;

async function readInputs(stream: Readable): Promise<{ items: ClassifyInput[]; errors: string[] }> {
  const { rows, errors } = await readJsonl(stream, inputLine, '{"id","text"}');
  return { items: rows, errors };
}

export function createClassifyCommand(
  loadConfig: () => ClassifyConfig = loadEnv,
  engineOverride?: ClassifierEngine,
): Command {
  return {
    name: "classify",
    usage: "classify [--input <file>] [--engine local|claude|hybrid]",
    summary: 'Classify JSONL {"id","text"} from a file or stdin; one JSONL classification per line, in order',
    async run(args, ctx) {
      const { values } = parseCliArgs(args, { input: { type: "string" }, engine: { type: "string" } }, false);
      if (values.engine !== undefined && !(ENGINES as readonly string[]).includes(values.engine)) {
        throw new UsageError(`--engine must be one of ${ENGINES.join(", ")} (got "${values.engine}")`);
      }
      if (values.input !== undefined && !existsSync(values.input))
        throw new UsageError(`file not found: ${values.input}`);

      const { items, errors } = await readInputs(values.input ? createReadStream(values.input) : ctx.stdin);
      if (errors.length > 0) {
        for (const error of errors.slice(0, 50)) ctx.stderr.write(`${error}\n`);
        if (errors.length > 50) ctx.stderr.write(`… and ${errors.length - 50} more bad lines\n`);
        ctx.stderr.write("Nothing was classified: fix the lines above.\n");
        return 1;
      }

      let engine = engineOverride;
      if (!engine) {
        const config = loadConfig();
        engine = buildClassifier(config, {
          engine: values.engine as (typeof ENGINES)[number] | undefined,
          onClaudeError: (id, error) =>
            ctx.stderr.write(`${id}: Claude failed, kept the local result (${(error as Error).message})\n`),
        }).engine;
      }

      for (let i = 0; i < items.length; i += CHUNK) {
        const results = await engine.classify(items.slice(i, i + CHUNK));
        let out = "";
        for (const r of results) {
          out += `${JSON.stringify({
            id: r.id,
            category: r.category,
            relevant: r.relevant,
            severity: r.severity,
            flags: r.flags,
            sentiment: r.sentiment,
            confidence: r.confidence,
          })}\n`;
        }
        if (!ctx.stdout.write(out)) await new Promise((resolve) => ctx.stdout.once("drain", resolve));
      }
      return 0;
    },
  };
}

export const classifyCommand: Command = createClassifyCommand();
