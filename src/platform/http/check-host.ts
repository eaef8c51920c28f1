// The egress policy for connections that are not HTTP (SMTP for the digest): resolve the host and check every
// address, as the HTTP transport does, before the mailer connects. The mailer then resolves again by itself, so
// this narrows rather than pins (pinning would mean handing the checked address to the SMTP client).
import type { EgressPolicy } from "./egress.js";
import { refusal } from "./egress.js";

export async function assertHostAllowed(
  egress: EgressPolicy,
  host: string,
  port: number,
  lookup?: (host: string) => Promise<{ address: string }[]>,
): Promise<void> {
  const label = `${host}:${port}`;
  egress.checkUrl(new URL(`http://${host.includes(":") ? `[${host}]` : host}:${port}/`));
  if (egress.allowed(host, port)) return;
  const resolve =
    lookup ?? (async (name: string) => (await import("node:dns")).promises.lookup(name, { all: true }));
  for (const { address } of await resolve(host)) {
    const reason = egress.checkAddress(address);
    if (reason) throw refusal(label, `${host} resolves to ${address}, ${reason}`);
  }
}
