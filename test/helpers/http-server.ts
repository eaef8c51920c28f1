// A real HTTP server on 127.0.0.1 playing an external service in tests: the connector tests' local server
// (test/fixtures/local-server.ts), seen with the request URL as a plain path-and-query string.
import type { IncomingMessage, ServerResponse } from "node:http";
import { startLocalServer } from "../fixtures/local-server.js";

export interface RecordedRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export async function startHttpServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = await startLocalServer((request, res) => {
    const recorded = {
      method: request.method,
      url: request.url.pathname + request.url.search,
      headers: request.headers,
      body: request.body,
    };
    requests.push(recorded);
    return handler(recorded, res);
  });
  return { url: server.baseUrl, requests, close: () => server.close() };
}
