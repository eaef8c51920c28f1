// `rapport digest`: the weekly digest on demand — printed (text), written (--html), or sent (--send) through
// the outbox, to the configured recipients or to --to addresses. The work is src/services/digest/digest-on-demand.ts.
import { writeFile } from "node:fs/promises";
import { parseIsoWeek } from "../domain/digest/week.js";
import { buildDigest, findDigestBrand, sendDigestNow } from "../services/digest/digest-on-demand.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const digestCommand: Command = {
  name: "digest",
  sendsLinks: true,
  usage: "digest [--brand <b>] [--week <YYYY-Www>] [--html <file>] [--send] [--to <address>]…",
  summary: "The weekly digest: print it, write its HTML, or send it (no --week: the current week so far)",
  async run(args, ctx) {
    const { values } = parseCliArgs(
      args,
      {
        brand: { type: "string" },
        week: { type: "string" },
        html: { type: "string" },
        send: { type: "boolean" },
        to: { type: "string", multiple: true },
      },
      false,
    );
    const week = values.week ? parseIsoWeek(values.week) : null;
    if (values.week && !week) throw new UsageError(`--week must look like 2026-W07 (got "${values.week}")`);
    for (const address of values.to ?? []) {
      if (!EMAIL.test(address)) throw new UsageError(`--to "${address}" is not an e-mail address`);
    }
    const deps = await ctx.deps();
    const digest = await buildDigest(deps, await findDigestBrand(deps, values.brand), week ?? undefined);
    if (values.html) {
      await writeFile(values.html, digest.message.html);
      ctx.stderr.write(`wrote ${values.html}\n`);
    }
    if (!values.send) {
      if (!values.html) ctx.stdout.write(`Subject: ${digest.message.subject}\n\n${digest.message.text}`);
      return 0;
    }
    const outcomes = await sendDigestNow(deps, digest, values.to);
    for (const o of outcomes) {
      ctx.stdout.write(
        o.status === "sent"
          ? `sent to ${o.to}\n`
          : o.status === "failed"
            ? `NOT sent to ${o.to}: ${o.error} — ${o.fix}\n`
            : `queued for ${o.to} (${o.error ?? "will retry"}); the scheduler retries it\n`,
      );
    }
    const sent = outcomes.filter((o) => o.status === "sent").length;
    ctx.stderr.write(`${digest.week}: ${sent} of ${outcomes.length} sent\n`);
    return sent < outcomes.length ? 1 : 0;
  },
};
