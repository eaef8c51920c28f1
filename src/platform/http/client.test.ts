// The one HTTP client against real servers on 127.0.0.1: the egress policy (before and after DNS, on every
// redirect), the whole-request deadline, the size cap, the retry policy with the source's reset, and error bodies
// handed to interpreters but never put in a message.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpClient, type HttpOptions } from "./client.js";
import { createEgressPolicy } from "./egress.js";
import { UpstreamError } from "./errors.js";
import { nodeTransport } from "./transport.js";

interface Local {
  port: number;
  url: string;
  hits: string[];
  close(): Promise<void>;
}

const servers: Local[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Local> {
  const hits: string[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? "/");
    open.add(res);
    res.on("close", () => open.delete(res));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const local: Local = {
    port,
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(local);
  return local;
}

const noSleep = { sleep: async () => {}, random: () => 0.5 };
const client = (options: HttpOptions = {}) => createHttpClient({ ...noSleep, retries: 0, ...options });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (error: unknown) => error as UpstreamError,
  );

describe("egress policy", () => {
  it("refuses loopback unless allow-listed, and nothing reaches the server", async () => {
    const local = await serve((_req, res) => res.end("internal"));
    const error = await failure(client().request(`${local.url}/admin`));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.failure).toBe("refused");
    expect(error.message).toContain("loopback");
    expect(error.message).toContain("EGRESS_ALLOW");
    expect(local.hits).toEqual([]);

    const allowed = await client({ allow: `127.0.0.1:${local.port}` }).request(`${local.url}/admin`);
    expect(await allowed.text()).toBe("internal");
    // An entry with another port does not open this one.
    const other = await failure(client({ allow: `127.0.0.1:${local.port + 1}` }).request(local.url));
    expect(other.failure).toBe("refused");
  });

  it("refuses names that mean this machine and literal metadata, private and mapped addresses", async () => {
    for (const url of [
      "http://localhost:9/",
      "http://localhost..:9/",
      "http://[2002:7f00:1::]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00:ec2::254]/",
      "http://10.1.2.3/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://0.0.0.0/",
      "http://2130706433/", // 127.0.0.1 as one decimal number
      "file:///etc/passwd",
    ]) {
      const error = await failure(client().request(url));
      expect(error.failure, url).toBe("refused");
    }
  });

  it("checks the addresses DNS returns and connects only to a checked one", async () => {
    const local = await serve((_req, res) => res.end("reached"));
    // A name that resolves to loopback: refused after the lookup, before any connection.
    const resolver = (address: string) => nodeTransport({ lookup: async () => [{ address, family: 4 }] });
    const refused = await failure(
      client({ transport: resolver("127.0.0.1") }).request(`http://rebind.example:${local.port}/`),
    );
    expect(refused.failure).toBe("refused");
    expect(refused.message).toContain("rebind.example resolves to 127.0.0.1");
    expect(local.hits).toEqual([]);
    // A mix of a public and a private answer is refused too: every address is checked.
    const mixed = nodeTransport({
      lookup: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.5", family: 4 },
      ],
    });
    expect((await failure(client({ transport: mixed }).request("http://mixed.example/"))).failure).toBe(
      "refused",
    );
    // Allow-listed by name: the connection goes to the address the lookup gave (the socket uses our answer).
    const ok = await client({ transport: resolver("127.0.0.1"), allow: "rebind.example" }).request(
      `http://rebind.example:${local.port}/`,
    );
    expect(await ok.text()).toBe("reached");
  });

  it("checks every redirect hop, follows at most five, and drops credentials across origins", async () => {
    const inside = await serve((_req, res) => res.end("secret"));
    let authSeen: string | undefined;
    const outside = await serve((req, res) => {
      authSeen = req.headers.authorization;
      if (req.url === "/to-inside") {
        res.writeHead(302, { location: `${inside.url}/` }).end();
      } else if (req.url === "/to-metadata") {
        res.writeHead(301, { location: "http://169.254.169.254/latest/" }).end();
      } else if (req.url?.startsWith("/loop")) {
        const n = Number(req.url.slice(5) || "0");
        res.writeHead(307, { location: `/loop/${n + 1}` }).end();
      } else res.end("done");
    });
    const http = client({ allow: `127.0.0.1:${outside.port}` });
    expect((await failure(http.request(`${outside.url}/to-inside`))).failure).toBe("refused");
    expect(inside.hits).toEqual([]);
    expect((await failure(http.request(`${outside.url}/to-metadata`))).message).toContain("metadata");
    const loop = await failure(http.request(`${outside.url}/loop`));
    expect(loop.message).toContain("redirected more than 5 times");
    expect(outside.hits.filter((h) => h.startsWith("/loop"))).toHaveLength(6);

    // Same origin keeps the header; a hop to another origin (allowed) loses it.
    const both = client({ allow: `127.0.0.1:${outside.port},127.0.0.1:${inside.port}` });
    await both.request(`${outside.url}/to-inside`, { headers: { authorization: "Bearer t" } });
    expect(authSeen).toBe("Bearer t");
    expect(inside.hits).toEqual(["/"]);
  });
});

describe("deadline and size cap", () => {
  it("times out a body that trickles after prompt headers", async () => {
    const local = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.write("<rss>");
      const timer = setInterval(() => res.write(" "), 20);
      res.on("close", () => clearInterval(timer));
    });
    const error = await failure(
      client({ allow: "127.0.0.1", timeoutMs: 300 }).forSource("slow-feed").request(local.url),
    );
    expect(error.failure).toBe("transient");
    expect(error.message).toContain('source "slow-feed"');
    expect(error.message).toContain("did not answer within 300 ms");
  });

  it("aborts a response past the cap, naming the source and the cap", async () => {
    const local = await serve((_req, res) => {
      res.writeHead(200);
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 100) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const http = client({ allow: "127.0.0.1", maxBytes: 1024 * 1024 });
    const error = await failure(http.forSource("huge-feed").request(local.url));
    expect(error.failure).toBe("payload");
    expect(error.message).toContain('source "huge-feed"');
    expect(error.message).toContain("more than 1 MB");
    // Under the cap is fine.
    const small = await client({ allow: "127.0.0.1", maxBytes: 8 * 1024 * 1024 }).request(local.url);
    expect((await small.arrayBuffer()).byteLength).toBe(100 * 64 * 1024);
  });
});

describe("retries and error bodies", () => {
  it("waits for Retry-After and for X's x-rate-limit-reset, then retries", async () => {
    let calls = 0;
    const reset = Math.floor(Date.now() / 1000) + 30;
    const local = await serve((req, res) => {
      calls++;
      if (req.url === "/slack" && calls === 1)
        return res.writeHead(429, { "retry-after": "2" }).end("rate_limited");
      if (req.url === "/x" && calls === 1)
        return res
          .writeHead(429, {
            "x-rate-limit-limit": "450",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": `${reset}`,
          })
          .end("{}");
      res.end("ok");
    });
    const waits: number[] = [];
    const http = createHttpClient({
      allow: "127.0.0.1",
      retries: 2,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(await (await http.request(`${local.url}/slack`)).text()).toBe("ok");
    expect(waits[0]).toBeGreaterThan(1_000);
    expect(waits[0]).toBeLessThanOrEqual(2_000);
    calls = 0;
    expect(await (await http.request(`${local.url}/x`)).text()).toBe("ok");
    expect(waits[1]).toBeGreaterThan(25_000);
    expect(waits[1]).toBeLessThanOrEqual(30_000);
  });

  it("retries 5xx with backoff and stops at once on 4xx", async () => {
    const statuses = [503, 502, 200];
    const local = await serve((req, res) => {
      if (req.url === "/gone") return res.writeHead(404).end("nope");
      res.writeHead(statuses.shift() ?? 200).end("body");
    });
    const waits: number[] = [];
    const http = createHttpClient({
      allow: "127.0.0.1",
      retries: 3,
      baseDelayMs: 100,
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect((await http.request(local.url)).status).toBe(200);
    expect(waits).toEqual([50, 100]); // equal jitter: half the ceiling at random() = 0
    const gone = await failure(http.request(`${local.url}/gone`));
    expect(gone.options.status).toBe(404);
    expect(waits).toHaveLength(2);
  });

  it("keeps the error body for an interpreter and logs, never in the message", async () => {
    const local = await serve((_req, res) =>
      res
        .writeHead(403, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "TOKEN_INVALID", detail: "internal-admin-panel v2.3" } })),
    );
    const http = client({ allow: "127.0.0.1" });
    const plain = await failure(http.request(local.url, { credential: "apiKey" }));
    expect(plain.failure).toBe("auth");
    expect(plain.message).toContain("HTTP 403");
    expect(plain.message).toContain("check apiKey");
    expect(plain.message).not.toContain("internal-admin-panel");
    expect(plain.options.body).toContain("internal-admin-panel");

    const interpreted = await failure(
      http.json(local.url, z.object({}), {
        interpretError: ({ status, json }) =>
          new UpstreamError("auth", `code ${(json as { error: { code: string } }).error.code} (${status})`),
      }),
    );
    expect(interpreted.message).toBe("code TOKEN_INVALID (403)");
  });

  it("names the field of a payload that fails validation, and never echoes a body that is not JSON", async () => {
    const local = await serve((req, res) =>
      res.end(req.url === "/html" ? "<html>internal dashboard</html>" : JSON.stringify({ items: "no" })),
    );
    const http = client({ allow: "127.0.0.1" });
    const wrong = await failure(http.json(local.url, z.object({ items: z.array(z.string()) })));
    expect(wrong.failure).toBe("payload");
    expect(wrong.message).toContain("`items`");
    const html = await failure(http.json(`${local.url}/html`, z.object({})));
    expect(html.message).toContain("not JSON (31 bytes)");
    expect(html.message).not.toContain("internal dashboard");
  });
});

describe("allow-list syntax", () => {
  it("accepts hosts, ports and bracketed IPv6, and names a bad entry", () => {
    const policy = createEgressPolicy("127.0.0.1, LocalHost:8080 ,[::1]:9000");
    expect(policy.allowed("127.0.0.1", 1234)).toBe(true);
    expect(policy.allowed("localhost", 8080)).toBe(true);
    expect(policy.allowed("localhost", 8081)).toBe(false);
    expect(policy.allowed("[::1]", 9000)).toBe(true);
    expect(() => createEgressPolicy("http://127.0.0.1/")).toThrow(/not a host, host:port/);
  });
});

describe("the client as fetch (Slack and webhook senders)", () => {
  it("returns every status, refuses forbidden hops, and throws like fetch on a network failure", async () => {
    const local = await serve((req, res) => {
      if (req.url === "/hop") return res.writeHead(302, { location: "http://169.254.169.254/" }).end();
      res.writeHead(404, { "content-type": "text/plain" }).end("no_service");
    });
    const http = client({ allow: `127.0.0.1:${local.port}` });
    const answer = await http.fetch(`${local.url}/services/T/B/x`, { method: "POST", body: "{}" });
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe("no_service");
    expect(((await failure(http.fetch(`${local.url}/hop`))) as UpstreamError).failure).toBe("refused");
    expect(((await failure(client().fetch(`${local.url}/`))) as UpstreamError).failure).toBe("refused");
    await local.close();
    const down = await failure(http.fetch(`${local.url}/`));
    expect(down).toBeInstanceOf(TypeError);
    expect((down as unknown as { cause: { code: string } }).cause.code).toBe("ECONNREFUSED");
  });

  it("checks an SMTP host's addresses before the mailer connects", async () => {
    const { assertHostAllowed } = await import("./check-host.js");
    const policy = createEgressPolicy("");
    const to = (address: string) => async () => [{ address }];
    await expect(assertHostAllowed(policy, "smtp.internal", 587, to("10.0.0.25"))).rejects.toThrow(
      /smtp.internal resolves to 10.0.0.25, a private address/,
    );
    await expect(
      assertHostAllowed(policy, "smtp.example.com", 587, to("93.184.216.34")),
    ).resolves.toBeUndefined();
    await expect(
      assertHostAllowed(createEgressPolicy("smtp.internal:587"), "smtp.internal", 587, to("10.0.0.25")),
    ).resolves.toBeUndefined();
  });
});

describe("the fetch transport (Workers, where DNS is not visible)", () => {
  it("keeps the deadline over the body, the cap and the literal-address check", async () => {
    const local = await serve((req, res) => {
      res.writeHead(200);
      if (req.url === "/slow") {
        res.write("<rss>");
        return;
      }
      res.end("y".repeat(300 * 1024));
    });
    const viaFetch = (options: HttpOptions) =>
      client({ fetch: (input, init) => fetch(input, init), ...options });
    expect((await failure(viaFetch({}).request(local.url))).failure).toBe("refused");
    const slow = await failure(viaFetch({ allow: "127.0.0.1", timeoutMs: 200 }).request(`${local.url}/slow`));
    expect(slow.message).toContain("did not answer within 200 ms");
    const big = await failure(viaFetch({ allow: "127.0.0.1", maxBytes: 100 * 1024 }).request(local.url));
    expect(big.message).toContain("more than 100 KB");
  });
});
