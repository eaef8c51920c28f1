// Who may do what. Routes and services ask `can(role, permission)`; the list lives here only.
import type { Role } from "../domain/taxonomy.js";

export const PERMISSIONS = {
  /** See mention text with personal data unmasked. */
  viewPii: ["admin", "manager", "responder"],
  /** Change status, assign, add notes, correct classifications. */
  triage: ["admin", "manager", "responder"],
  /** Add, test and change sources. */
  manageSources: ["admin", "manager"],
  /** Users, roles, invitations, the audit log. */
  manageUsers: ["admin"],
  viewAudit: ["admin"],
  /** Personal API tokens for integrations. */
  useApiTokens: ["admin", "manager", "responder", "viewer"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
