// Adds a person to the workspace (CLI `users add`, the admin's Users page, the demo seed).
import { eq } from "drizzle-orm";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../../auth/password.js";
import { users, workspaces } from "../../db/schema/index.js";
import type { Deps } from "../../deps.js";
import type { Role } from "../../domain/taxonomy.js";
import { badRequest, conflict } from "../../errors.js";
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from "../audit/record-audit.js";

export interface CreateUserInput {
  email: string;
  role: Role;
  name?: string;
  /** Omit to create an invited user who sets a password through a one-time link. */
  password?: string;
  /** Defaults to the first workspace. */
  workspaceId?: number;
  actor?: AuditActor;
}

export interface CreatedUser {
  id: number;
  email: string;
  role: Role;
  workspaceId: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function createUser(deps: Deps, input: CreateUserInput): Promise<CreatedUser> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw badRequest(`"${input.email}" is not an e-mail address`);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  let workspaceId = input.workspaceId;
  if (workspaceId === undefined) {
    const [workspace] = await deps.db
      .select({ id: workspaces.id })
      .from(workspaces)
      .orderBy(workspaces.id)
      .limit(1);
    if (!workspace)
      throw badRequest("There is no workspace yet: run `npx rapport migrate` and start Rapport once");
    workspaceId = workspace.id;
  }
  const [existing] = await deps.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw conflict(`A user with e-mail ${email} already exists`);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const [row] = await deps.db
    .insert(users)
    .values({ workspaceId, email, name: input.name ?? "", role: input.role, passwordHash })
    .returning({ id: users.id });
  const created = { id: row!.id, email, role: input.role, workspaceId };
  await recordAudit(deps.db, {
    workspaceId,
    actor: input.actor ?? SYSTEM_ACTOR,
    action: "user.create",
    entityType: "user",
    entityId: created.id,
    after: { email, role: input.role, invited: input.password === undefined },
  });
  return created;
}
