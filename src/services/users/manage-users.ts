// Admin verbs on people: list, invite, change role, disable, password-reset links, set a password from a link.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { revokeAllApiTokens } from "../../auth/api-tokens.js";
import { consumeOneTimeToken, createOneTimeToken, oneTimeLinkUrl } from "../../auth/one-time-links.js";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../../auth/password.js";
import { deleteUserSessions } from "../../auth/sessions.js";
import type { AuthUser } from "../../auth/types.js";
import { inTransaction } from "../../db/atomic.js";
import { users } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import { ROLES } from "../../domain/taxonomy.js";
import { badRequest, conflict, notFound } from "../../errors.js";
import { publicBaseUrl } from "../../platform/links.js";
import { recordAudit } from "../audit/record-audit.js";
import { createUser } from "./create-user.js";

export const inviteUserSchema = z.object({
  email: z.string().trim().email(),
  role: z.enum(ROLES),
  name: z.string().trim().max(200).optional(),
});

export const updateUserSchema = z.object({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});

export const setPasswordSchema = z.object({
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
});

export interface UserSummary {
  id: number;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  invited: boolean;
  createdAt: string;
}

const actorOf = (user: AuthUser) => ({ id: user.id, email: user.email });

function baseUrl(deps: Deps): string {
  return publicBaseUrl(deps.env);
}

export async function listUsers(deps: Deps, admin: AuthUser): Promise<UserSummary[]> {
  const rows = await deps.db
    .select()
    .from(users)
    .where(eq(users.workspaceId, admin.workspaceId))
    .orderBy(asc(users.email));
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    invited: u.passwordHash === null,
    createdAt: u.createdAt.toISOString(),
  }));
}

/** Creates the user without a password and returns a single-use link to set one (valid 7 days). */
export async function inviteUser(deps: Deps, admin: AuthUser, input: z.infer<typeof inviteUserSchema>) {
  const user = await createUser(deps, {
    email: input.email,
    role: input.role,
    workspaceId: admin.workspaceId,
    actor: actorOf(admin),
    ...(input.name ? { name: input.name } : {}),
  });
  const token = await createOneTimeToken(deps, user.id, "invite");
  return { user, link: oneTimeLinkUrl(baseUrl(deps), token) };
}

async function findUser(deps: Deps, admin: AuthUser, id: number) {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.workspaceId, admin.workspaceId)));
  if (!user) throw notFound("User");
  return user;
}

export async function updateUser(
  deps: Deps,
  admin: AuthUser,
  id: number,
  input: z.infer<typeof updateUserSchema>,
) {
  const user = await findUser(deps, admin, id);
  if (id === admin.id && (input.disabled || (input.role && input.role !== "admin"))) {
    throw conflict("You cannot demote or disable yourself; ask another admin");
  }
  const change: { role?: (typeof ROLES)[number]; disabled?: boolean } = {};
  if (input.role !== undefined && input.role !== user.role) change.role = input.role;
  if (input.disabled !== undefined && input.disabled !== user.disabled) change.disabled = input.disabled;
  if (Object.keys(change).length === 0) return { id, role: user.role, disabled: user.disabled };
  await deps.db.update(users).set(change).where(eq(users.id, id));
  // A changed role or a disabled account takes effect now, not when the old session expires.
  await deleteUserSessions(deps, id);
  await recordAudit(deps.db, {
    actor: actorOf(admin),
    action: "user.update",
    entityType: "user",
    entityId: id,
    before: { role: user.role, disabled: user.disabled },
    after: { role: change.role ?? user.role, disabled: change.disabled ?? user.disabled },
  });
  return { id, role: change.role ?? user.role, disabled: change.disabled ?? user.disabled };
}

/** A single-use link (valid one hour) that lets the person choose a new password. */
export async function createResetLink(deps: Deps, admin: AuthUser, id: number) {
  const user = await findUser(deps, admin, id);
  const token = await createOneTimeToken(deps, user.id, user.passwordHash ? "reset" : "invite");
  await recordAudit(deps.db, {
    actor: actorOf(admin),
    action: "user.reset_link",
    entityType: "user",
    entityId: id,
  });
  return { link: oneTimeLinkUrl(baseUrl(deps), token) };
}

/** What to do with the person's API tokens when they reset a password: a reset often means the password (and
 * whatever it protected) leaked, so the form offers to end them and that is the default. */
export type ApiTokensOnReset = "revoke" | "keep";

/**
 * Uses up a one-time token (and every other unused link of that person) and sets the password, in one
 * transaction with the audit row: every session of that person ends, and their API tokens too unless they chose
 * to keep them.
 */
export async function setPasswordWithToken(
  deps: Deps,
  token: string,
  password: string,
  apiTokensOnReset: ApiTokensOnReset = "revoke",
) {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw badRequest(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const passwordHash = await hashPassword(password);
  return inTransaction(deps.db, "setting a password", async (tx) => {
    const used = await consumeOneTimeToken(deps, token, tx);
    if (!used) throw badRequest("This link has expired or was already used. Ask an admin for a new one.");
    const [user] = await tx.select().from(users).where(eq(users.id, used.userId));
    if (!user || user.disabled) throw badRequest("This account is disabled");
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await deleteUserSessions(deps, user.id, tx);
    const revokedTokens = apiTokensOnReset === "revoke" ? await revokeAllApiTokens(tx, user.id) : [];
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: used.purpose === "invite" ? "user.accept_invite" : "user.reset_password",
      entityType: "user",
      entityId: user.id,
      after: { sessionsEnded: true, apiTokensRevoked: revokedTokens },
    });
    return {
      id: user.id,
      workspaceId: user.workspaceId,
      email: user.email,
      name: user.name,
      role: user.role,
      revokedTokens,
    };
  });
}
