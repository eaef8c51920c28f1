// `npx rapport holds place (--mention <id> | --account <reference> | --brand <slug>) --reason "<why>"`,
// `holds lift <id>`, `holds list`: legal holds that stop the retention purge (src/services/audit/legal-holds.ts).
import { and, eq } from "drizzle-orm";
import { accounts, brands } from "../db/schema/index.js";
import { liftHold, listHolds, placeHold, placeHoldSchema } from "../services/audit/legal-holds.js";
import { defaultWorkspaceId } from "../services/sources/find-source.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const USAGE =
  'holds place (--mention <id> | --account <reference> | --brand <slug>) --reason "<why>" | holds lift <id> | holds list';

export const holdsCommand: Command = {
  name: "holds",
  usage: USAGE,
  summary: "Place, lift or list legal holds (a held mention, account or brand is never purged)",
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const deps = await ctx.deps();
    const workspaceId = await defaultWorkspaceId(deps);
    const actor = { id: null, email: "cli", workspaceId };
    if (sub === "place") {
      const { values } = parseCliArgs(
        rest,
        {
          mention: { type: "string" },
          account: { type: "string" },
          brand: { type: "string" },
          reason: { type: "string" },
        },
        false,
      );
      const given = [values.mention, values.account, values.brand].filter((v) => v !== undefined);
      if (given.length !== 1) throw new UsageError("Name one thing to hold: --mention, --account or --brand");
      let entityType: "mention" | "account" | "brand" = "mention";
      let entityId = Number(values.mention);
      if (values.account !== undefined) {
        entityType = "account";
        const [row] = await deps.db
          .select({ id: accounts.id })
          .from(accounts)
          .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.reference, values.account)));
        if (!row) throw new UsageError(`No account with reference "${values.account}"`);
        entityId = row.id;
      } else if (values.brand !== undefined) {
        entityType = "brand";
        const [row] = await deps.db
          .select({ id: brands.id })
          .from(brands)
          .where(and(eq(brands.workspaceId, workspaceId), eq(brands.slug, values.brand)));
        if (!row) throw new UsageError(`No brand "${values.brand}" (see npx rapport brands list)`);
        entityId = row.id;
      }
      const parsed = placeHoldSchema.safeParse({ entityType, entityId, reason: values.reason ?? "" });
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
      const hold = await placeHold(deps.db, actor, parsed.data);
      ctx.stdout.write(
        `Hold ${hold.id} placed on ${entityType} ${entityId}: nothing about it will be purged until it is lifted.\n`,
      );
      return 0;
    }
    if (sub === "lift") {
      const { positionals } = parseCliArgs(rest, {});
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id <= 0 || positionals.length !== 1)
        throw new UsageError("holds lift needs one hold id");
      const hold = await liftHold(deps.db, actor, id, deps.now());
      ctx.stdout.write(`Hold ${hold.id} on ${hold.entityType} ${hold.entityId} lifted.\n`);
      return 0;
    }
    if (sub === "list") {
      parseCliArgs(rest, {}, false);
      for (const h of await listHolds(deps.db, workspaceId)) {
        const state = h.liftedAt
          ? `lifted ${h.liftedAt.toISOString().slice(0, 10)} by ${h.liftedBy}`
          : "in force";
        ctx.stdout.write(
          `${h.id}\t${h.entityType} ${h.entityId}\t${state}\tplaced ${h.placedAt.toISOString().slice(0, 10)} by ${h.placedBy}: ${h.reason}\n`,
        );
      }
      return 0;
    }
    throw new UsageError(sub ? `Unknown holds command "${sub}"` : "Say what to do: place, lift or list");
  },
};
