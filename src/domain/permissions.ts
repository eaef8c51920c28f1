// Who may do what: the one table of roles × actions. Routes (`requirePermission`), services (`assertCan`), views
// (`can`) and the OpenAPI document (`rolesWith`) all read it; nothing else lists roles.
import { forbidden } from "../errors.js";
import type { Role } from "./taxonomy.js";

const EVERYONE = ["admin", "manager", "responder", "viewer"] as const satisfies readonly Role[];
const RESPONDERS = ["admin", "manager", "responder"] as const satisfies readonly Role[];
const MANAGERS = ["admin", "manager"] as const satisfies readonly Role[];
const ADMINS = ["admin"] as const satisfies readonly Role[];

export const PERMISSIONS = {
  /** See mention text with personal data unmasked. */
  viewPii: RESPONDERS,
  /** Change status, assign, add notes, correct classifications. */
  triage: RESPONDERS,
  /** Be the person a mention is assigned to. */
  beAssigned: RESPONDERS,
  /** Draft, edit, submit and post public replies. */
  draftReplies: RESPONDERS,
  /** Approve or send back another person's reply (four eyes), take over a draft. */
  approveReplies: MANAGERS,
  /** The template library. */
  manageTemplates: MANAGERS,
  /** See and change links from posts to accounts, import accounts, export rights events (GLBA: nonpublic data). */
  manageAccounts: MANAGERS,
  /** Slack webhooks, digest recipients, spike settings. */
  manageAlerts: MANAGERS,
  /** Add, test and change sources. */
  manageSources: MANAGERS,
  /** The complaint register (every complaint from every channel, exportable) and the CFPB clock's records. */
  viewComplaints: MANAGERS,
  /** Record that a CFPB complaint's company or final response went out (audited). */
  recordComplaintResponse: MANAGERS,
  /** Supervision: how often each responder's drafts were stopped, per rule and week. */
  superviseResponders: MANAGERS,
  /** Users, roles, invitations. */
  manageUsers: ADMINS,
  /** The audit log. */
  viewAudit: ADMINS,
  /** Personal API tokens for integrations. */
  useApiTokens: EVERYONE,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The roles holding `permission`, for documentation (OpenAPI) and messages. */
export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

const PLURAL: Record<Role, string> = {
  admin: "admins",
  manager: "managers",
  responder: "responders",
  viewer: "viewers",
};

/** Who may do it, in words: "Only admins and managers may approve a reply". */
export function denialReason(permission: Permission, doing: string): string {
  const who = rolesWith(permission).map((r) => PLURAL[r]);
  const list = who.length > 1 ? `${who.slice(0, -1).join(", ")} and ${who.at(-1)}` : who[0];
  return `Only ${list} may ${doing}`;
}

/** Throws a 403 that names who may do it. */
export function assertCan(role: Role, permission: Permission, doing: string): void {
  if (!can(role, permission)) throw forbidden(denialReason(permission, doing));
}
