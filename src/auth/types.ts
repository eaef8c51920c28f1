import type { Role } from "../domain/taxonomy.js";

/** The signed-in person as routes and services see them. */
export interface AuthUser {
  id: number;
  workspaceId: number;
  email: string;
  name: string;
  role: Role;
}

export type AuthVia = "session" | "token";

export interface AuthState {
  user: AuthUser;
  via: AuthVia;
  /** Present for session logins: the synchronizer token forms and fetches must echo. */
  csrfToken: string | null;
  sessionExpiresAt: Date | null;
  /** Sessions can do what the role allows; an API token may be limited to reading. */
  scope: "read" | "write";
}
