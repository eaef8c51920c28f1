// Which network addresses are not the public internet (loopback, private, link-local, cloud metadata, and the
// IPv4-inside-IPv6 spellings of those), and the operator's allow-list syntax (EGRESS_ALLOW). Pure: src/env.ts
// validates the variable with it, and the platform's egress policy (src/platform/http/egress.ts) enforces it.

export interface AllowEntry {
  host: string;
  /** Absent: every port of the host. */
  port?: number;
}

/**
 * Parses EGRESS_ALLOW: comma-separated `host`, `host:port`, IPv4, `[IPv6]` or `[IPv6]:port`. Returns the entries
 * or a message naming the bad one (src/env.ts shows it).
 */
export function parseAllowList(raw: string | undefined): AllowEntry[] | { error: string } {
  const entries: AllowEntry[] = [];
  for (const part of (raw ?? "").split(",")) {
    const item = part.trim().toLowerCase();
    if (!item) continue;
    const match = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?$/.exec(item);
    const host = match?.[1] ?? match?.[2];
    const port = match?.[3] === undefined ? undefined : Number(match[3]);
    if (!match || !host || (port !== undefined && (port < 1 || port > 65535))) {
      return {
        error: `"${part.trim()}" is not a host, host:port, IP or [IPv6]:port (e.g. EGRESS_ALLOW="127.0.0.1,localhost:8080")`,
      };
    }
    if (match[1] && !parseIpv6(host)) return { error: `"${part.trim()}" is not a valid IPv6 address` };
    entries.push(port === undefined ? { host } : { host, port });
  }
  return entries;
}

export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== null || parseIpv6(host) !== null;
}

// ---------------------------------------------------------------------------------------------- addresses

export function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** Eight 16-bit groups, or null. Accepts `::` compression, a trailing dotted IPv4 and a `%zone`. */
export function parseIpv6(text: string): number[] | null {
  let s = text.replace(/%.*$/, "");
  if (!/^[0-9a-f:.]+$/i.test(s) || !s.includes(":")) return null;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const group = (part: string) => (part === "" ? [] : part.split(":"));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const groups = all.map((g) => Number.parseInt(g, 16));
  if (tail.length) {
    groups[6] = tail[0]!;
    groups[7] = tail[1]!;
  }
  return groups;
}

function ipv4Reason([a, b, c, d]: number[]): string | null {
  if (a === 169 && b === 254 && c === 169 && d === 254) return "the cloud metadata address";
  if (a === 127) return "a loopback address";
  if (a === 0) return "an unspecified (0.0.0.0/8) address";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "a private address";
  if (a === 169 && b === 254) return "a link-local address";
  if (a === 100 && b! >= 64 && b! <= 127) return "a shared (carrier-grade NAT) address";
  if (a === 192 && b === 0 && c === 0) return "a reserved address";
  if (a === 198 && (b === 18 || b === 19)) return "a reserved address";
  if (a! >= 224) return "a multicast or reserved address";
  return null;
}

/** Why an address must not be reached, or null when it is public. */
export function forbiddenReason(address: string): string | null {
  const v4 = parseIpv4(address);
  if (v4) return ipv4Reason(v4);
  const g = parseIpv6(address);
  if (!g) return "not an IP address";
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const embedded = [g6 >> 8, g6 & 255, g7 >> 8, g7 & 255];
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) {
    if (g5 === 0 && g6 === 0 && g7 <= 1) return g7 === 1 ? "a loopback address" : "the unspecified address";
    const reason = ipv4Reason(embedded);
    return reason ? `${reason} (IPv4 inside IPv6)` : null;
  }
  // IPv4-translated (::ffff:0:a.b.c.d, SIIT).
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) {
    const reason = ipv4Reason(embedded);
    return reason ? `${reason} (IPv4-translated)` : null;
  }
  // NAT64: the well-known prefix 64:ff9b::/96 and the local-use 64:ff9b:1::/48 (RFC 8215), whose last 32 bits
  // are the IPv4 address on a translator that uses a /96 of it.
  if (g0 === 0x64 && g1 === 0xff9b && ((g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) || g2 === 1)) {
    const reason = ipv4Reason(embedded);
    return reason ? `${reason} (NAT64)` : null;
  }
  // 6to4 (2002:a.b.c.d::/48) reaches the IPv4 address embedded after the prefix, where a relay exists.
  if (g0 === 0x2002) {
    const reason = ipv4Reason([g1 >> 8, g1 & 255, g2 >> 8, g2 & 255]);
    return reason ? `${reason} (6to4)` : null;
  }
  if (
    g0 === 0xfd00 &&
    g1 === 0x0ec2 &&
    g2 === 0 &&
    g3 === 0 &&
    g4 === 0 &&
    g5 === 0 &&
    g6 === 0 &&
    g7 === 0x254
  )
    return "the cloud metadata address";
  if ((g0 & 0xfe00) === 0xfc00) return "a private (unique local) address";
  if ((g0 & 0xffc0) === 0xfe80) return "a link-local address";
  if ((g0 & 0xffc0) === 0xfec0) return "a site-local address";
  if ((g0 & 0xff00) === 0xff00) return "a multicast address";
  return null;
}
