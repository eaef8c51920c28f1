// Linking a CFPB complaint to its account. The public complaint database has no author and masks the narrative,
// so the matcher rarely has anything to suggest; the CFPB company portal, though, shows the company the consumer
// and their account. A manager who may see accounts types the account reference from the portal: that is the
// evidence, stored on the link like a matcher's, and the link is confirmed through the one path every link takes
// (accounts.ts decideLink: one confirmed account per mention, audited, rights events emitted).
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "../../auth/types.js";
import { accountLinks, accounts } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { assertCan } from "../../domain/permissions.js";
import { badRequest, conflict } from "../../errors.js";
import { decideLink } from "../accounts/accounts.js";
import { cfpbComplaintOf } from "./cfpb-complaint-of.js";

export async function linkCfpbComplaint(
  deps: Deps,
  actor: AuthUser,
  mentionId: number,
  reference: string,
): Promise<{ linkId: number; accountId: number; rightsEvents: number[] }> {
  assertCan(actor.role, "manageAccounts", "link a complaint to an account");
  const ref = reference.trim();
  if (!ref) throw badRequest("Type the account reference shown in the CFPB company portal");
  const complaint = await cfpbComplaintOf(deps.db, actor.workspaceId, mentionId, deps.now());
  if (!complaint)
    throw badRequest(
      "Only a CFPB complaint can be linked by reference; other mentions are linked from the matcher's suggestions",
    );
  if (complaint.origin !== "portal")
    throw badRequest(
      "This post only says a CFPB complaint was filed: link the portal's own complaint, or confirm a suggestion",
    );
  const [account] = await deps.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, actor.workspaceId), eq(accounts.reference, ref)));
  // When in doubt, no link: an unknown reference is refused, never guessed at.
  if (!account)
    throw badRequest(
      `No account has the reference "${ref.slice(0, 60)}": check it in the CFPB company portal, or import the account first`,
    );
  const [existing] = await deps.db
    .select({ id: accountLinks.id, status: accountLinks.status })
    .from(accountLinks)
    .where(and(eq(accountLinks.mentionId, mentionId), eq(accountLinks.accountId, account.id)));
  if (existing?.status === "rejected")
    throw conflict(
      "This account was rejected for this complaint before: ask who rejected it (see its history)",
    );
  const linkId =
    existing?.id ??
    (
      await deps.db
        .insert(accountLinks)
        .values({
          mentionId,
          accountId: account.id,
          score: 100,
          evidence: [
            {
              kind: "cfpb_portal",
              detail: `account reference entered by ${actor.email} from the CFPB company portal`,
            },
          ],
          status: "suggested",
          createdAt: deps.now(),
        })
        .onConflictDoNothing()
        .returning({ id: accountLinks.id })
    )[0]?.id;
  if (linkId === undefined) throw conflict("The link was changed meanwhile: reload the page");
  const { rightsEvents } = await decideLink(deps, actor, linkId, "confirm");
  return { linkId, accountId: account.id, rightsEvents };
}
