// The dashboard's keyboard shortcuts and the power each one needs (src/domain/permissions.ts decides who has it). The help
// dialog, the feed's hint and the keys app.js answers to all come from this list, so nobody is offered a key that
// ends in a 403.
import { can, type Permission } from "../../domain/permissions.js";
import type { Role } from "../../domain/taxonomy.js";

export interface Shortcut {
  /** The keys app.js listens for. */
  keys: string[];
  label: string;
  does: string;
  /** Short form for the feed's hint line. */
  hint: string;
  needs?: Permission;
}

const SHORTCUTS: Shortcut[] = [
  { keys: ["j", "k"], label: "j / k", does: "next / previous mention", hint: "j/k move" },
  { keys: ["o", "Enter"], label: "o", does: "open", hint: "o open" },
  { keys: ["x"], label: "x", does: "select for a bulk action", hint: "x select", needs: "triage" },
  { keys: ["a"], label: "a", does: "assign to me", hint: "a assign", needs: "triage" },
  { keys: ["d"], label: "d", does: "dismiss", hint: "d dismiss", needs: "triage" },
  { keys: ["e"], label: "e", does: "escalate", hint: "e escalate", needs: "triage" },
  { keys: ["r"], label: "r", does: "reply", hint: "r reply", needs: "triage" },
  { keys: ["/"], label: "/", does: "search", hint: "/ search" },
  { keys: ["?"], label: "?", does: "this help", hint: "? help" },
];

export function shortcutsFor(role: Role): Shortcut[] {
  return SHORTCUTS.filter((s) => !s.needs || can(role, s.needs));
}

/** For app.js (data-keys on <body>): the keys this person may press, space-separated. */
export function allowedKeys(role: Role): string {
  return shortcutsFor(role)
    .flatMap((s) => s.keys)
    .join(" ");
}
