// The Hono environment every route module shares. Sub-apps are `new Hono<WebEnv>()` so `c.get("user")` is typed.
import type { AuthState, AuthUser } from "../auth/types.js";

export interface WebEnv {
  Variables: {
    /** Set by `loadAuth` for every request: null when nobody is signed in. */
    auth: AuthState | null;
    /** Set by `requireLogin`: every route mounted after it can rely on it. */
    user: AuthUser;
    /** Set on the login page so the next form post can carry it (see views/layout.tsx). */
    csrfToken: string;
  };
}
