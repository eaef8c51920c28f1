import type { Readable, Writable } from "node:stream";
import type { Deps } from "../deps.js";

export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
}

export interface CliContext extends CliIo {
  /** Builds (once) the database and services; commands that need no database never call it. */
  deps(): Promise<Deps>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /**
   * It may send Slack alerts (anything that stores or reclassifies mentions) or e-mail, whose links lead back
   * to the dashboard: it then needs PUBLIC_URL, as the server does (see requirePublicUrl).
   */
  sendsLinks?: boolean;
  /** Returns the process exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

export class UsageError extends Error {}
