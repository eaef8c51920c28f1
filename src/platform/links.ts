// Links that leave Rapport (Slack, e-mail) must be absolute: PUBLIC_URL when set, else the local server.
import type { AppEnv } from "../env.js";

export function publicBaseUrl(env: Pick<AppEnv, "PUBLIC_URL" | "PORT">): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

export const mentionLink = (base: string, mentionId: number) => `${base}/mentions/${mentionId}`;

/** The feed filtered as a spike or digest section describes it (query names as in mentionFiltersSchema). */
export function feedLink(
  base: string,
  filters: { brand?: string; category?: string; source?: string; since?: Date; until?: Date; q?: string },
): string {
  const params = new URLSearchParams();
  if (filters.brand) params.set("brand", filters.brand);
  if (filters.category) params.set("category", filters.category);
  if (filters.source) params.set("source", filters.source);
  if (filters.q) params.set("q", filters.q);
  if (filters.since) params.set("since", filters.since.toISOString());
  if (filters.until) params.set("until", filters.until.toISOString());
  const query = params.toString();
  return `${base}/feed${query ? `?${query}` : ""}`;
}
