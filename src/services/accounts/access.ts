// Who may see account links (GLBA: the link from a public post to an account is nonpublic personal information).
// Kept beside the account services rather than in src/auth/roles.ts, which another module owns; the list lives here only.
import type { Role } from "../../domain/taxonomy.js";
import { forbidden } from "../../errors.js";

export const ACCOUNT_ROLES: readonly Role[] = ["admin", "manager"];

export function canSeeAccounts(role: Role): boolean {
  return ACCOUNT_ROLES.includes(role);
}

export function assertCanSeeAccounts(role: Role): void {
  if (!canSeeAccounts(role)) throw forbidden("Only managers and admins may see account links");
}
