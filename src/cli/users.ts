// `npx rapport users add --email <e> --role <admin|manager|responder|viewer> [--name <n>] [--password-stdin | --invite]`
import { createOneTimeToken, oneTimeLinkUrl } from "../auth/one-time-links.js";
import { ROLES, type Role } from "../domain/taxonomy.js";
import { requirePublicUrl } from "../env.js";
import { AppError } from "../errors.js";
import { publicBaseUrl } from "../platform/links.js";
import { createUser } from "../services/users/create-user.js";
import { type CliContext, type Command, UsageError } from "./types.js";

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`);
  return value;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(ctx: CliContext, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = ctx.stdin as NodeJS.ReadStream;
    ctx.stdout.write(question);
    let value = "";
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          done();
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          done();
          reject(new UsageError("cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      ctx.stdout.write("\n");
    };
    stdin.on("data", onData);
  });
}

export const usersCommand: Command = {
  name: "users",
  usage:
    "users add --email <e> --role <admin|manager|responder|viewer> [--name <n>] [--password-stdin | --invite]",
  summary:
    "add a person who can sign in (password prompted on a terminal, or read from stdin; --invite prints a one-time link)",
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub !== "add") throw new UsageError(`usage: rapport ${this.usage}`);
    const email = option(rest, "--email");
    const role = option(rest, "--role");
    if (!email || !role) throw new UsageError(`usage: rapport ${this.usage}`);
    if (!(ROLES as readonly string[]).includes(role))
      throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    const invite = rest.includes("--invite");
    let password: string | undefined;
    if (rest.includes("--password-stdin")) {
      password = (await readAll(ctx.stdin)).replace(/\r?\n$/, "");
    } else if (!invite) {
      if (!ctx.stdin.isTTY) {
        throw new UsageError(
          "no terminal to prompt for the password: pipe it with --password-stdin, or use --invite",
        );
      }
      password = await promptHidden(ctx, "Password: ");
      const again = await promptHidden(ctx, "Again: ");
      if (password !== again) throw new UsageError("the passwords differ");
    }
    const deps = await ctx.deps();
    // The link goes to the person by Slack or e-mail: it must name the dashboard's real address. Checked before
    // the user is added, so a refusal leaves nothing half made.
    if (invite) requirePublicUrl(deps.env);
    try {
      const name = option(rest, "--name");
      const user = await createUser(deps, {
        email,
        role: role as Role,
        ...(name ? { name } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      ctx.stdout.write(`Added ${user.email} (${user.role}).\n`);
      if (invite) {
        const token = await createOneTimeToken(deps, user.id, "invite");
        const base = publicBaseUrl(deps.env);
        ctx.stdout.write(`Invitation link (valid 7 days, single use): ${oneTimeLinkUrl(base, token)}\n`);
      }
      return 0;
    } catch (err) {
      if (err instanceof AppError) {
        ctx.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
