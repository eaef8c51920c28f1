// `rapport digest`: the weekly digest on demand — printed (text), written (--html), or sent (--send) through
// the outbox, to the configured recipients or to --to addresses.
import { writeFile } from "node:fs/promises";
import { asc, eq, or, sql } from "drizzle-orm";
import { brands, digestRecipients, outbox } from "../db/schema/index.js";
import type { Deps } from "../deps.js";
import { assembleDigest } from "../domain/digest/assemble.js";
import { formatIsoWeek, isoWeekOf, parseIsoWeek } from "../domain/digest/week.js";
import { AppError } from "../errors.js";
import { deliverOutbox } from "../platform/outbox/deliver.js";
import { enqueueOutbox } from "../platform/outbox/outbox.js";
import { defaultSenders } from "../platform/outbox/senders.js";
import { loadDigestData } from "../services/digest/load-digest.js";
import { digestEmail, digestKey } from "../services/digest/send-digests.js";
import { parseCliArgs } from "./args.js";
import { type Command, UsageError } from "./types.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function findBrand(deps: Deps, wanted: string | undefined) {
  if (!wanted) {
    const [company] = await deps.db
      .select()
      .from(brands)
      .where(eq(brands.kind, "company"))
      .orderBy(asc(brands.id))
      .limit(1);
    if (!company)
      throw new AppError("not_found", "no brand yet: add one, or run `rapport migrate` and start the demo");
    return company;
  }
  const [brand] = await deps.db
    .select()
    .from(brands)
    .where(
      or(
        eq(brands.slug, wanted),
        sql`lower(${brands.name}) = lower(${wanted})`,
        /^\d+$/.test(wanted) ? eq(brands.id, Number(wanted)) : sql`0`,
      ),
    )
    .limit(1);
  if (!brand) throw new AppError("not_found", `no brand "${wanted}" (give its slug, name or id)`);
  return brand;
}

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
    const now = deps.now();
    const brand = await findBrand(deps, values.brand);
    const data = await loadDigestData(deps, brand.id, week ?? isoWeekOf(now), now);
    const rendered = assembleDigest(data);
    if (values.html) {
      await writeFile(values.html, rendered.html);
      ctx.stderr.write(`wrote ${values.html}\n`);
    }
    if (!values.send) {
      if (!values.html) ctx.stdout.write(`Subject: ${rendered.subject}\n\n${rendered.text}`);
      return 0;
    }

    const recipients = values.to?.length
      ? values.to
      : (
          await deps.db
            .select({ email: digestRecipients.email })
            .from(digestRecipients)
            .where(
              or(
                eq(digestRecipients.brandId, brand.id),
                brand.kind === "company" ? sql`${digestRecipients.brandId} IS NULL` : sql`0`,
              ),
            )
        ).map((r) => r.email);
    if (recipients.length === 0) {
      throw new AppError(
        "bad_request",
        `no digest recipients for ${brand.name}: add some on /alerts, or pass --to <address>`,
      );
    }
    // On-demand sends are their own messages (a later Monday send of the same week must still go out).
    const keys = [];
    for (const to of new Set(recipients)) {
      const key = `${digestKey(brand.id, data.week, to)}:on-demand:${now.getTime()}`;
      await enqueueOutbox(
        deps.db,
        { kind: "email", idempotencyKey: key, destination: to, payload: digestEmail(data, to) },
        now,
      );
      keys.push(key);
    }
    await deliverOutbox({ db: deps.db, log: deps.log, senders: defaultSenders(deps.env, deps.now) }, now);
    let undelivered = 0;
    for (const key of keys) {
      const [row] = await deps.db.select().from(outbox).where(eq(outbox.idempotencyKey, key));
      if (row?.status === "sent") ctx.stdout.write(`sent to ${row.destination}\n`);
      else {
        undelivered++;
        ctx.stdout.write(
          row?.status === "failed"
            ? `NOT sent to ${row.destination}: ${row.lastError} — ${row.fix}\n`
            : `queued for ${row?.destination} (${row?.lastError ?? "will retry"}); the scheduler retries it\n`,
        );
      }
    }
    ctx.stderr.write(
      `${formatIsoWeek(week ?? isoWeekOf(now))}: ${keys.length - undelivered} of ${keys.length} sent\n`,
    );
    return undelivered > 0 ? 1 : 0;
  },
};
