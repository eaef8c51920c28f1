// Raw HTTP to a real server on 127.0.0.1, from a chosen loopback source address (127.0.0.2, 127.0.0.3… are all
// this machine on Linux): the server sees a different client address per "attacker" without any header trick.
import { request as httpRequest } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? "GET",
        headers: {
          ...(options.body !== undefined ? { "content-length": Buffer.byteLength(options.body) } : {}),
          ...options.headers,
        },
        ...(options.from ? { localAddress: options.from } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export function postJson(baseUrl: string, path: string, body: unknown, from?: string, headers = {}) {
  return rawRequest(baseUrl, path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    ...(from ? { from } : {}),
  });
}
