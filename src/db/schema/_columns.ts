import { integer, text } from "drizzle-orm/sqlite-core";

// Instants are stored as integer milliseconds since the epoch: sortable, indexable, identical on libSQL and D1.
export const instant = (name?: string) =>
  name ? integer(name, { mode: "timestamp_ms" }) : integer({ mode: "timestamp_ms" });
export const createdAt = () =>
  integer({ mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date());
export const json = <T>() => text({ mode: "json" }).$type<T>();
export const id = () => integer().primaryKey({ autoIncrement: true });
