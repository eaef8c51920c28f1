// The egress policy: which addresses a server-side request may reach. Every URL a person can type (a feed, a
// connector's endpoint, a Slack or collections webhook) makes this server send a request, so loopback, private,
// link-local and cloud-metadata addresses are refused unless the operator allow-lists them (EGRESS_ALLOW).
// Pure: no I/O, runs on Node and Workers. The Node transport calls `checkAddress` on every address DNS returns
// and connects only to those; a redirect is a new URL and is checked again.
import { type AllowEntry, forbiddenReason, isIpLiteral, parseAllowList } from "../../domain/egress.js";
import { UpstreamError } from "./errors.js";

export type { AllowEntry };
export { forbiddenReason, parseAllowList };

export interface EgressPolicy {
  /** Throws UpstreamError("refused") for a scheme or literal address the policy forbids. */
  checkUrl(url: URL): void;
  /** True when the operator allow-listed this host (or host:port): nothing else is checked for it. */
  allowed(host: string, port: number): boolean;
  /** A reason when a resolved address is forbidden, else null. */
  checkAddress(address: string): string | null;
}

/** The policy for an allow-list (a parsed list, or the raw EGRESS_ALLOW text). */
export function createEgressPolicy(allow: AllowEntry[] | string | undefined = []): EgressPolicy {
  const parsed = typeof allow === "string" || allow === undefined ? parseAllowList(allow) : allow;
  if (!Array.isArray(parsed)) throw new Error(`EGRESS_ALLOW: ${parsed.error}`);
  const entries = parsed.map((e) => ({ ...e, host: normalizeHost(e.host) }));
  const allowed = (host: string, port: number) => {
    const h = normalizeHost(host);
    return entries.some((e) => e.host === h && (e.port === undefined || e.port === port));
  };
  return {
    allowed,
    checkAddress: forbiddenReason,
    checkUrl(url) {
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new UpstreamError("refused", `only http(s) URLs are fetched, not ${url.protocol}`);
      }
      const host = normalizeHost(url.hostname);
      const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      if (allowed(host, port)) return;
      // Names that always mean this machine or the cloud's metadata service are refused before any lookup, which
      // is also all that can be checked on Workers (they expose no DNS: a name is checked by its spelling only).
      if (host === "localhost" || host.endsWith(".localhost") || host === "metadata.google.internal") {
        throw refusal(url, "a local or metadata host name");
      }
      if (isIpLiteral(host)) {
        const reason = forbiddenReason(host);
        if (reason) throw refusal(url, reason);
      }
    },
  };
}

export function refusal(url: URL | string, reason: string): UpstreamError {
  const host = typeof url === "string" ? url : url.host;
  return new UpstreamError(
    "refused",
    `refused to connect to ${host}: ${reason}. An operator can allow it with EGRESS_ALLOW (e.g. EGRESS_ALLOW="${host}")`,
  );
}

function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, ""); // "localhost.." is localhost too
}
