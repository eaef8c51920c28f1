// `npx rapport <command>`: the registry of commands. Each command lives in src/cli/<name>.ts.

import { accountsCommand } from "./cli/accounts.js";
import { auditCommand } from "./cli/audit.js";
import { backfillCommand } from "./cli/backfill.js";
import { brandsCommand } from "./cli/brands.js";
import { classifyCommand } from "./cli/classify.js";
import { complaintsCommand } from "./cli/complaints.js";
import { digestCommand } from "./cli/digest.js";
import { exportLabelsCommand } from "./cli/export-labels.js";
import { holdsCommand } from "./cli/holds.js";
import { importCommand } from "./cli/import.js";
import { lintReplyCommand } from "./cli/lint-reply.js";
import { migrateCommand } from "./cli/migrate.js";
import { pollCommand } from "./cli/poll.js";
import { reclassifyCommand } from "./cli/reclassify.js";
import { sourcesCommand } from "./cli/sources.js";
import { spikesCommand } from "./cli/spikes.js";
import type { CliContext, CliIo, Command } from "./cli/types.js";
import { UsageError } from "./cli/types.js";
import { usersCommand } from "./cli/users.js";
import { buildDeps, type Deps } from "./deps.js";
import { EnvError, loadEnv, requirePublicUrl } from "./env.js";
import { ClassifierConfigError } from "./platform/classifier.js";
import { buildRuntime } from "./runtime.js";

export const commands: Command[] = [
  migrateCommand,
  importCommand,
  sourcesCommand,
  brandsCommand,
  pollCommand,
  backfillCommand,
  usersCommand,
  lintReplyCommand,
  classifyCommand,
  reclassifyCommand,
  exportLabelsCommand,
  digestCommand,
  accountsCommand,
  spikesCommand,
  auditCommand,
  holdsCommand,
  complaintsCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: rapport <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `rapport <command> --help` for a command's options.",
  ].join("\n");
}

export async function main(argv: string[], io: CliIo = process): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(`Usage: rapport ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  let deps: Deps | undefined;
  const ctx: CliContext = {
    ...io,
    async deps() {
      if (!deps) {
        const env = loadEnv();
        if (command.sendsLinks) requirePublicUrl(env);
        deps = await buildRuntime(await buildDeps(env));
      }
      return deps;
    },
  };
  try {
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nUsage: rapport ${command.usage}\n`);
      return 2;
    }
    if (error instanceof EnvError || error instanceof ClassifierConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof Error && error.name === "AppError") {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    deps?.database.close();
  }
}
