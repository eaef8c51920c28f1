// Races made exact: the database as a service sees it, with someone else's write landing just before the
// service's first transaction opens (after it has read and checked what it is about to change).
import type { Deps } from "../../src/deps.js";

export function withWriteBeforeTransaction(db: Deps["db"], write: () => Promise<void>): Deps["db"] {
  let fired = false;
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "transaction") {
        return async (...args: unknown[]) => {
          if (!fired) {
            fired = true;
            await write();
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
