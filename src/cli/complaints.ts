// `npx rapport complaints [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--channel <type>] [--source <name>]
// [--category <code>] [--status open|answered|resolved] [--clock running] [--format csv|jsonl]`: the complaint register for an
// examiner, as the dashboard's CSV (src/services/compliance/list-complaints.ts). Mention text is masked: what
// leaves the database on a file carries no personal data.
import {
  complaintFiltersSchema,
  complaintsCsv,
  listComplaints,
} from "../services/compliance/list-complaints.js";
import { defaultWorkspaceId } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

export const complaintsCommand: Command = {
  name: "complaints",
  usage:
    "complaints [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--channel <type>] [--source <name>] [--category <code>] [--status open|answered|resolved] [--clock running] [--format csv|jsonl]",
  summary: "The complaint register (every complaint from every channel) as CSV or JSONL, for an examiner",
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      {
        from: { type: "string" },
        to: { type: "string" },
        channel: { type: "string" },
        source: { type: "string" },
        category: { type: "string" },
        status: { type: "string" },
        clock: { type: "string" },
        format: { type: "string" },
      },
      false,
    );
    const format = values.format ?? "csv";
    if (format !== "csv" && format !== "jsonl")
      throw new UsageError(`--format is csv or jsonl, not "${format}"`);
    const { format: _format, ...filterValues } = values;
    const parsed = complaintFiltersSchema.safeParse(filterValues);
    if (!parsed.success)
      throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; "));
    const deps = await ctx.deps();
    const workspaceId = await defaultWorkspaceId(deps);
    // The operator at the machine acts for the workspace, with the register's own permission.
    const operator = { id: 0, workspaceId, email: "cli", name: "cli", role: "admin" as const };
    const rows = await listComplaints(deps, operator, parsed.data, { masked: true });
    if (format === "csv") ctx.stdout.write(complaintsCsv(rows));
    else for (const row of rows) ctx.stdout.write(`${JSON.stringify(row)}\n`);
    ctx.stderr.write(`${rows.length} ${rows.length === 1 ? "complaint" : "complaints"}\n`);
    return 0;
  },
};
