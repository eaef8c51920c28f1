import { sealStoredWebhooks } from "../services/alerts/settings.js";
import { sealStoredCredentials } from "../services/sources/seal-stored-credentials.js";
import { ensureWorkspace } from "../services/workspace/ensure-workspace.js";
import type { Command } from "./types.js";

export const migrateCommand: Command = {
  name: "migrate",
  usage: "migrate",
  summary: "Apply database migrations (also done by `npm start`)",
  async run(_args, ctx) {
    const deps = await ctx.deps(); // building deps migrates
    if (!deps.env.RAPPORT_DEMO) await ensureWorkspace(deps);
    const sealed = await sealStoredCredentials(deps);
    if (sealed > 0) ctx.stdout.write(`Sealed the stored credentials of ${sealed} source(s).\n`);
    const webhooks = await sealStoredWebhooks(deps);
    if (webhooks > 0) ctx.stdout.write(`Sealed the stored Slack webhooks of ${webhooks} brand(s).\n`);
    ctx.stdout.write("Database is up to date.\n");
    return 0;
  },
};
