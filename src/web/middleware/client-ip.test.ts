import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { clientIp } from "./auth.js";

const context = (remoteAddress: string | undefined, headers: Record<string, string>, node = true) =>
  ({
    env: node ? { incoming: { socket: { remoteAddress } } } : {},
    req: { header: (name: string) => headers[name.toLowerCase()] },
  }) as unknown as Context;

describe("clientIp: the address login limits count", () => {
  it("on Node is the socket's peer, whatever the headers say", () => {
    expect(
      clientIp(
        context("::ffff:10.1.2.3", { "cf-connecting-ip": "203.0.113.9", "x-forwarded-for": "1.2.3.4" }),
      ),
    ).toBe("10.1.2.3");
  });

  it("on Node never falls back to a header when the peer is gone (a reset connection)", () => {
    expect(clientIp(context(undefined, { "cf-connecting-ip": "203.0.113.9" }))).toBe("unknown");
  });

  it("believes X-Forwarded-For only from a trusted proxy, taking the right-most hop that is not one", () => {
    const viaProxy = context("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.3" });
    expect(clientIp(viaProxy, ["10.0.0.2", "10.0.0.3"])).toBe("198.51.100.7");
  });

  it("on Workers is Cloudflare's own cf-connecting-ip", () => {
    expect(clientIp(context(undefined, { "cf-connecting-ip": "203.0.113.9" }, false))).toBe("203.0.113.9");
  });
});
