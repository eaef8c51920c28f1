// How bytes leave the process. Two transports behind one shape, both sending exactly one request (redirects are
// followed by the client, so each hop is checked again):
// - node: node:http/https with a DNS lookup that checks every resolved address against the egress policy and
//   hands only checked addresses to the socket, so a name cannot resolve to a public address for the check and
//   a private one for the connection.
// - fetch: the platform's fetch (Workers, or an injected fetch in tests). Workers expose no DNS, so only literal
//   addresses and host names are checked there (EgressPolicy.checkUrl); that is the limit of what a Worker can do.
import type { LookupAddress } from "node:dns";
import type { IncomingMessage } from "node:http";
import type { EgressPolicy } from "./egress.js";
import { refusal } from "./egress.js";

export interface TransportRequest {
  method: string;
  headers: Headers;
  body?: string | Uint8Array;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  body: AsyncIterable<Uint8Array> | null;
  /** Frees the connection when the body is not read to the end. */
  cancel(): void;
}

export interface Transport {
  readonly name: "node" | "fetch";
  send(url: URL, request: TransportRequest, egress: EgressPolicy): Promise<TransportResponse>;
}

export function fetchTransport(doFetch: typeof fetch = fetch): Transport {
  return {
    name: "fetch",
    async send(url, request) {
      const response = await doFetch(url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body as BodyInit } : {}),
        signal: request.signal,
        redirect: "manual",
      });
      const reader = response.body?.getReader();
      return {
        status: response.status,
        headers: response.headers,
        body: reader ? chunksOf(reader) : null,
        cancel: () => {
          reader?.cancel().catch(() => {});
        },
      };
    },
  };
}

/** A stream's chunks through its reader (every runtime has one; not every runtime iterates streams). */
async function* chunksOf(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncIterable<Uint8Array> {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export interface NodeTransportOptions {
  /** Resolves a name (default: the system resolver, dns.lookup). Tests give names addresses of their choosing. */
  lookup?: (hostname: string, family: number) => Promise<LookupAddress[]>;
}

export function nodeTransport(transportOptions: NodeTransportOptions = {}): Transport {
  return {
    name: "node",
    async send(url, request, egress) {
      const [http, https, dns] = await Promise.all([
        import("node:http"),
        import("node:https"),
        import("node:dns"),
      ]);
      const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
      const trusted = egress.allowed(url.hostname, port);
      const lookup = (
        hostname: string,
        options: { family?: number; all?: boolean },
        callback: LookupCallback,
      ) => {
        const resolve = transportOptions.lookup
          ? transportOptions.lookup(hostname, options.family ?? 0)
          : dns.promises.lookup(hostname, { all: true, family: options.family ?? 0 });
        resolve.then(
          (addresses) => {
            if (!trusted) {
              for (const { address } of addresses) {
                const reason = egress.checkAddress(address);
                if (reason) {
                  return callback(
                    refusal(
                      url,
                      `${hostname} resolves to ${address}, ${reason}`,
                    ) as unknown as NodeJS.ErrnoException,
                    [],
                  );
                }
              }
            }
            if (options.all) return callback(null, addresses);
            const first = addresses[0];
            if (!first)
              return callback(
                Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }),
                [],
              );
            callback(null, first.address, first.family);
          },
          (error: NodeJS.ErrnoException) => callback(error, []),
        );
      };
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
      if (body !== undefined) headers["content-length"] = String(body.byteLength);
      const module = url.protocol === "https:" ? https : http;
      return new Promise<TransportResponse>((resolve, reject) => {
        const req = module.request(
          url,
          { method: request.method, headers, lookup: lookup as never, signal: request.signal },
          (res: IncomingMessage) => {
            const responseHeaders = new Headers();
            for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
              responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: responseHeaders,
              body: res as AsyncIterable<Uint8Array>,
              cancel: () => res.destroy(),
            });
          },
        );
        req.on("error", reject);
        if (body !== undefined) req.end(body);
        else req.end();
      });
    },
  };
}
