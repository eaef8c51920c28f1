// `rapport lint-reply`: the compliance linter over JSONL, for scripts and for checking a template library. Blocking
// hits (B1–B12) are `violations` and make `ok` false; house-style gaps (R_*) are `warnings` beside them.
// With --brand-name the flags say everything (no database needed); without it the database's first brand
// supplies the name, contacts and clients, and any --contact/--client flags are added to them.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import {
  type BrandContextLoader,
  type BrandLintContext,
  lintReply,
  type Violation,
} from "../domain/compliance/lint.js";
import { PLATFORMS, type Platform } from "../domain/taxonomy.js";
import { parseCliArgs } from "./args.js";
import { type CliContext, type Command, UsageError } from "./types.js";

export type { BrandContextLoader } from "../domain/compliance/lint.js";

/** The contract's hit: the rule, what is wrong, and where (the explanation stays in the dashboard). */
const contractHit = ({ rule, message, start, end }: Violation) => ({ rule, message, start, end });

export const NO_BRAND_MESSAGE = "no brand configured: pass --brand-name";

async function brandFromDatabase(ctx: CliContext): Promise<BrandLintContext> {
  const deps = (await ctx.deps()) as unknown as { brandContext?: BrandContextLoader };
  const loaded = typeof deps.brandContext === "function" ? await deps.brandContext() : null;
  if (!loaded) throw new UsageError(NO_BRAND_MESSAGE);
  return loaded;
}

export const lintReplyCommand: Command = {
  name: "lint-reply",
  usage:
    "lint-reply [--input <file>] [--platform x|google|facebook|trustpilot|reddit|generic] [--brand-name <name>] [--contact <own channel>]… [--client <creditor name>]…",
  summary:
    'Check public replies against the compliance rules: JSONL {"id","text"} in, {"id","ok","violations","warnings"} out (ok is false only for a blocking B rule)',
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      {
        input: { type: "string" },
        platform: { type: "string", default: "generic" },
        "brand-name": { type: "string" },
        contact: { type: "string", multiple: true },
        client: { type: "string", multiple: true },
      },
      false,
    );
    const platform = values.platform as Platform;
    if (!PLATFORMS.includes(platform)) {
      throw new UsageError(`--platform must be one of ${PLATFORMS.join(", ")} (got "${values.platform}")`);
    }
    if (values.input && !existsSync(values.input)) throw new UsageError(`file not found: ${values.input}`);
    const contacts = values.contact ?? [];
    const clients = values.client ?? [];
    const brand: BrandLintContext = values["brand-name"]
      ? { brandName: values["brand-name"], ownContacts: contacts, clients }
      : await brandFromDatabase(ctx).then((fromDb) => ({
          brandName: fromDb.brandName,
          ownContacts: [...fromDb.ownContacts, ...contacts],
          clients: [...fromDb.clients, ...clients],
        }));

    const input: Readable = values.input ? createReadStream(values.input) : ctx.stdin;
    let lineNumber = 0;
    let failures = 0;
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber++;
      if (!line.trim()) continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        failures++;
        ctx.stderr.write(`line ${lineNumber}: not valid JSON\n`);
        continue;
      }
      const { id, text } = (record ?? {}) as { id?: unknown; text?: unknown };
      if (typeof text !== "string" || (typeof id !== "string" && typeof id !== "number")) {
        failures++;
        ctx.stderr.write(`line ${lineNumber}: expected {"id","text"} with a string text\n`);
        continue;
      }
      const result = lintReply(text, { platform, ...brand });
      const verdict = {
        id,
        ok: result.ok,
        violations: result.violations.map(contractHit),
        warnings: result.warnings.map(contractHit),
      };
      ctx.stdout.write(`${JSON.stringify(verdict)}\n`);
    }
    return failures > 0 ? 1 : 0;
  },
};
