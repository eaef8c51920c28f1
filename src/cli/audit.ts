// `npx rapport audit verify` — is every workspace's chain of audit entries intact? Exit 1, naming the entries, if
// anything sealed was changed, removed or moved.
// `npx rapport audit export [--from <date>] [--to <date>] [--mention <id>] [--html <file>]` — evidence bundles
// for an examiner: JSON on stdout, and a readable page with --html.
import { writeFile } from "node:fs/promises";
import { verifyAuditLog } from "../services/audit/audit-chain.js";
import { evidenceBundles } from "../services/audit/evidence.js";
import { evidenceHtml } from "../services/audit/evidence-html.js";
import { defaultWorkspaceId } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const USAGE =
  "audit verify | audit export [--from <YYYY-MM-DD>] [--to <YYYY-MM-DD>] [--mention <id>] [--html <file>]";

function dateOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} "${value}" is not a date (YYYY-MM-DD)`);
  return date;
}

export const auditCommand: Command = {
  name: "audit",
  usage: USAGE,
  summary: "Check the audit log's hash chain, or export evidence bundles of public replies for an examiner",
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === "verify") {
      parseCliArgs(rest, {}, false);
      const deps = await ctx.deps();
      const reports = await verifyAuditLog(deps.db, deps.env.RAPPORT_SECRET);
      let broken = 0;
      for (const r of reports) {
        const pending =
          r.unsealed > 0 ? ` (${r.unsealed} newer entr${r.unsealed === 1 ? "y" : "ies"} not sealed yet)` : "";
        if (r.problems.length === 0) {
          ctx.stdout.write(`${r.workspace}: ${r.sealed} entries intact${pending}; head ${r.head}\n`);
          continue;
        }
        broken += r.problems.length;
        ctx.stdout.write(
          `${r.workspace}: ${r.problems.length} problem(s) in ${r.sealed} sealed entries${pending}\n`,
        );
        for (const problem of r.problems) ctx.stdout.write(`  ${problem.detail}\n`);
      }
      if (reports.length === 0) ctx.stdout.write("The audit log is empty.\n");
      if (broken > 0) {
        ctx.stderr.write(
          "The audit log was altered after it was sealed. Keep this database as it is and compare it with a backup.\n",
        );
        return 1;
      }
      return 0;
    }
    if (sub === "export") {
      const { values } = parseCliArgs(
        rest,
        {
          from: { type: "string" },
          to: { type: "string" },
          mention: { type: "string" },
          html: { type: "string" },
        },
        false,
      );
      const from = dateOption("from", values.from);
      const to = dateOption("to", values.to);
      const mentionId = values.mention === undefined ? undefined : Number(values.mention);
      if (mentionId !== undefined && !(Number.isInteger(mentionId) && mentionId > 0))
        throw new UsageError(`--mention "${values.mention}" is not a mention id`);
      const deps = await ctx.deps();
      const bundles = await evidenceBundles(deps.db, {
        workspaceId: await defaultWorkspaceId(deps),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(mentionId !== undefined ? { mentionId } : {}),
      });
      ctx.stdout.write(`${JSON.stringify(bundles, null, 2)}\n`);
      if (values.html) {
        await writeFile(values.html, await evidenceHtml(bundles, deps.now()));
        ctx.stderr.write(`Wrote ${bundles.length} bundle(s) to ${values.html}\n`);
      }
      return 0;
    }
    throw new UsageError(sub ? `Unknown audit command "${sub}"` : "Say what to do: verify or export");
  },
};
