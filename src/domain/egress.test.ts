// Which addresses are not the public internet: every range the egress policy refuses, in the spellings an
// attacker would try, next to public addresses that must stay reachable.
import { describe, expect, it } from "vitest";
import { loadEnv } from "../env.js";
import { forbiddenReason, parseAllowList, parseIpv6 } from "./egress.js";

describe("forbiddenReason", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["127.255.0.9", /loopback/],
    ["10.0.0.1", /private/],
    ["172.16.0.1", /private/],
    ["172.31.255.255", /private/],
    ["192.168.1.1", /private/],
    ["169.254.10.1", /link-local/],
    ["169.254.169.254", /metadata/],
    ["0.0.0.0", /unspecified/],
    ["100.64.0.1", /carrier-grade/],
    ["224.0.0.1", /multicast/],
    ["::1", /loopback/],
    ["::", /unspecified/],
    ["fc00::1", /private/],
    ["fdff:1234::1", /private/],
    ["fe80::1", /link-local/],
    ["febf::1", /link-local/],
    ["fd00:ec2::254", /metadata/],
    ["::ffff:127.0.0.1", /loopback address \(IPv4 inside IPv6\)/],
    ["::ffff:7f00:1", /loopback/],
    ["::ffff:a9fe:a9fe", /metadata/],
    ["::ffff:10.1.1.1", /private/],
    ["::ffff:0:0", /unspecified/],
    ["64:ff9b::a9fe:a9fe", /metadata address \(NAT64\)/],
    ["0:0:0:0:0:ffff:c0a8:0101", /private/],
    ["::ffff:0:7f00:1", /loopback address \(IPv4-translated\)/],
    ["64:ff9b:1::a9fe:a9fe", /metadata address \(NAT64\)/],
    ["2002:7f00:1::", /loopback address \(6to4\)/],
    ["2002:a9fe:a9fe::1", /metadata address \(6to4\)/],
  ])("refuses %s", (address, reason) => {
    expect(forbiddenReason(address)).toMatch(reason);
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "172.32.0.1",
    "172.15.255.255",
    "192.169.0.1",
    "169.253.1.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "fec0::1".replace("fec0", "2001"),
  ])("lets %s through", (address) => {
    expect(forbiddenReason(address)).toBeNull();
  });

  it("parses IPv6 spellings to the same groups", () => {
    expect(parseIpv6("::ffff:127.0.0.1")).toEqual(parseIpv6("0:0:0:0:0:ffff:7f00:0001"));
    expect(parseIpv6("fe80::1%eth0")).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("1::2::3")).toBeNull();
    expect(parseIpv6("12345::")).toBeNull();
  });
});

describe("EGRESS_ALLOW", () => {
  it("is validated at start with a message naming the bad entry", () => {
    expect(parseAllowList("127.0.0.1,localhost:8080,[::1]")).toEqual([
      { host: "127.0.0.1" },
      { host: "localhost", port: 8080 },
      { host: "::1" },
    ]);
    expect(() => loadEnv({ NODE_ENV: "test", EGRESS_ALLOW: "127.0.0.1,https://proxy/" })).toThrow(
      /EGRESS_ALLOW="127.0.0.1,https:\/\/proxy\/": "https:\/\/proxy\/" is not a host, host:port/,
    );
    expect(() => loadEnv({ NODE_ENV: "test", EGRESS_ALLOW: "proxy:99999" })).toThrow(/not a host/);
    expect(loadEnv({ NODE_ENV: "test", EGRESS_ALLOW: "proxy.internal:8080" }).EGRESS_ALLOW).toBe(
      "proxy.internal:8080",
    );
  });
});
