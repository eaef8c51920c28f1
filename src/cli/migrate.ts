import type { Command } from "./types.js";

export const migrateCommand: Command = {
  name: "migrate",
  usage: "migrate",
  summary: "Apply database migrations (also done by `npm start`)",
  async run(_args, ctx) {
    await ctx.deps(); // building deps migrates
    ctx.stdout.write("Database is up to date.\n");
    return 0;
  },
};
