// `npx rapport accounts import <file.csv>` and `npx rapport accounts events [--since <date>]`.
// Import: every valid row is stored (phones, e-mails and handles only as keyed hashes); each bad row is reported
// with its line and field, and the exit code is 1 when any row was refused, so a script notices.
import { readFile } from "node:fs/promises";
import { parseAccountsCsv } from "../domain/accounts/import.js";
import { upsertAccounts } from "../services/accounts/accounts.js";
import { listRightsEvents, rightsEventsCsv } from "../services/accounts/rights.js";
import { SYSTEM_ACTOR } from "../services/audit/record-audit.js";
import { defaultWorkspaceId } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const USAGE = "accounts import <file.csv> | accounts events [--since <YYYY-MM-DD>]";

export const accountsCommand: Command = {
  name: "accounts",
  usage: USAGE,
  summary: "Import accounts from the collections system (CSV), or export rights events as CSV",
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === "import") {
      const { positionals } = parseCliArgs(rest, {});
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError("accounts import needs exactly one CSV file");
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        ctx.stderr.write(`Cannot read ${file}: ${(error as Error).message}\n`);
        return 1;
      }
      const parsed = parseAccountsCsv(text);
      for (const error of parsed.errors) {
        ctx.stderr.write(`${file}:${error.line}${error.field ? ` ${error.field}` : ""}: ${error.message}\n`);
      }
      const deps = await ctx.deps();
      const summary =
        parsed.rows.length > 0
          ? await upsertAccounts(
              deps,
              await defaultWorkspaceId(deps),
              parsed.rows,
              { ...SYSTEM_ACTOR, email: "cli" },
              "csv",
            )
          : { created: 0, updated: 0 };
      ctx.stdout.write(
        `${summary.created} account(s) created, ${summary.updated} updated, ${parsed.errors.length} problem(s). Phones, e-mails and handles are stored only as keyed hashes.\n`,
      );
      return parsed.errors.length > 0 ? 1 : 0;
    }
    if (sub === "events") {
      const { values } = parseCliArgs(rest, { since: { type: "string" } }, false);
      const since = values.since ? new Date(values.since) : undefined;
      if (since && Number.isNaN(since.getTime()))
        throw new UsageError(`--since "${values.since}" is not a date`);
      const deps = await ctx.deps();
      ctx.stdout.write(
        rightsEventsCsv(await listRightsEvents(deps.db, await defaultWorkspaceId(deps), since)),
      );
      return 0;
    }
    throw new UsageError(sub ? `Unknown accounts command "${sub}"` : "Say what to do: import or events");
  },
};
