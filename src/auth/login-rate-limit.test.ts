import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../test/helpers/deps.js";
import { clientNetwork, LOGIN_LIMITS, reserveLoginAttempt } from "./login-rate-limit.js";

describe("clientNetwork: what login limits count as one client", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"],
    ["2001:db8:1:3::1", "2001:db8:1:3::/64"],
    ["::ffff:203.0.113.9", "::ffff:203.0.113.9"],
    ["unknown", "unknown"],
  ])("%s → %s", (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });
});

describe("one IPv6 host with a /64", () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(async () => deps.cleanup());

  it("cannot spread its guesses at one account over many addresses of its network", async () => {
    const max = LOGIN_LIMITS.pair.max;
    for (let i = 1; i <= max; i++)
      await reserveLoginAttempt(deps, "victim@example.com", `2001:db8:7:7::${i}`);
    await expect(reserveLoginAttempt(deps, "victim@example.com", "2001:db8:7:7::ffff")).rejects.toMatchObject(
      {
        code: "rate_limited",
      },
    );
    // Another network is another client.
    await expect(reserveLoginAttempt(deps, "victim@example.com", "2001:db8:7:8::1")).resolves.toBeUndefined();
  });
});
