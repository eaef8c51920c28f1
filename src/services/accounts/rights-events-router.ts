// A new mention by an author whose earlier mention a person already linked to an account carries that link:
// the keyed author identity is the same platform account, not a guess. Its rights flags then become dated
// events (and signed webhooks) in the same transaction that stores it, so a cease-contact said in public is
// never lost between the poll and the next time someone opens the dashboard.
import { and, desc, eq, inArray } from "drizzle-orm";
import { accountLinks, accounts, mentions, sources } from "../../db/schema/index.js";
import { isRightsFlag } from "../../domain/accounts/rights.js";
import type { Router } from "../../pipeline/route.js";
import { recordAudit, SYSTEM_ACTOR } from "../audit/record-audit.js";
import { emitRightsEvents, type WebhookConfig } from "./rights.js";

export function rightsEventsRouter(webhook: WebhookConfig): Router {
  return async (tx, stored, ctx) => {
    const withKey = stored.filter((s) => s.prepared.authorKey);
    if (withKey.length === 0) return;
    const authorKeys = [...new Set(withKey.map((s) => s.prepared.authorKey!))];
    // Only this workspace's links: the same author posting about another tenant's brand is none of its business.
    const [source] = await tx
      .select({ workspaceId: sources.workspaceId })
      .from(sources)
      .where(eq(sources.id, ctx.sourceId));
    if (!source) return;
    const known = await tx
      .select({
        authorKey: mentions.authorKey,
        accountId: accountLinks.accountId,
        mentionId: accountLinks.mentionId,
      })
      .from(accountLinks)
      .innerJoin(mentions, eq(mentions.id, accountLinks.mentionId))
      .innerJoin(accounts, eq(accounts.id, accountLinks.accountId))
      .where(
        and(
          eq(accountLinks.status, "confirmed"),
          inArray(mentions.authorKey, authorKeys),
          eq(accounts.workspaceId, source.workspaceId),
        ),
      )
      .orderBy(desc(accountLinks.decidedAt));
    if (known.length === 0) return;
    for (const item of withKey) {
      const links = known.filter((k) => k.authorKey === item.prepared.authorKey && k.mentionId !== item.id);
      const accountIds = [...new Set(links.map((l) => l.accountId))];
      // Two different accounts behind one author is exactly the doubt in which we do not link.
      if (accountIds.length !== 1) continue;
      const [accountId] = accountIds as [number];
      const from = links[0]!.mentionId;
      const [link] = await tx
        .insert(accountLinks)
        .values({
          mentionId: item.id,
          accountId,
          score: 100,
          evidence: [
            { kind: "same_author", detail: `same platform author as mention ${from}, which a person linked` },
          ],
          status: "confirmed",
          decidedAt: ctx.now,
          createdAt: ctx.now,
        })
        .onConflictDoNothing()
        .returning({ id: accountLinks.id });
      // On D1 routers may run again after a crash: the link and the events are both idempotent.
      if (link) {
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          workspaceId: source.workspaceId,
          action: "account_link.carry",
          entityType: "account_link",
          entityId: link.id,
          after: { mentionId: item.id, accountId, from },
          at: ctx.now,
        });
      }
      const flags = item.prepared.classification?.flags ?? [];
      if (flags.some(isRightsFlag)) {
        await emitRightsEvents(tx, { accountId, mentionId: item.id, webhook, now: ctx.now });
      }
    }
  };
}
