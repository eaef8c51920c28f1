import { brands } from "../db/schema/index.js";
import { addBrand } from "../services/brands/add-brand.js";
import { ensureWorkspace } from "../services/workspace/ensure-workspace.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const list = (values: string[] | undefined) =>
  (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

export const brandsCommand: Command = {
  name: "brands",
  usage: `brands add --name <name> [--client] [--keyword <phrase>]… [--exclude <phrase>]… [--contact <own channel>]…
       rapport brands list`,
  summary:
    "Add or list brands: the company (keywords, exclusions, own contact channels) and its creditor clients",
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const deps = await ctx.deps();
    if (sub === "list") {
      for (const b of await deps.db.select().from(brands)) {
        ctx.stdout.write(`${b.slug}\t${b.kind}\t${b.name}\tkeywords: ${b.keywords.join(", ")}\n`);
      }
      return 0;
    }
    if (sub !== "add") throw new UsageError(`unknown subcommand "${sub ?? ""}"`);
    const { values } = parseCliArgs(
      rest,
      {
        name: { type: "string" },
        client: { type: "boolean" },
        keyword: { type: "string", multiple: true },
        exclude: { type: "string", multiple: true },
        contact: { type: "string", multiple: true },
      },
      false,
    );
    if (!values.name) throw new UsageError("missing --name");
    const brand = await addBrand(deps, {
      workspaceId: await ensureWorkspace(deps),
      name: values.name,
      kind: values.client ? "client" : "company",
      keywords: list(values.keyword),
      exclusions: list(values.exclude),
      contacts: list(values.contact),
    });
    ctx.stdout.write(`Added ${brand.kind} brand "${brand.name}" (${brand.slug}).\n`);
    return 0;
  },
};
