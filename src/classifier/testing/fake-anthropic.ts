// A local HTTP server on 127.0.0.1 that speaks the Messages and Message Batches wire format, for tests.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Hold the response this long (to exercise client timeouts). */
  delayMs?: number;
}

export type MessagesHandler = (request: MessagesRequest, callNumber: number) => FakeReply;

export interface MessagesRequest {
  model: string;
  system: { type: string; text: string; cache_control?: { type: string } }[];
  tools: { name: string; input_schema: unknown }[];
  tool_choice: { type: string; name: string };
  thinking?: { type: string };
  messages: { role: string; content: string }[];
}

export function toolUseMessage(input: unknown, name = "record_classification") {
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: "claude-test",
    content: [{ type: "tool_use", id: "toolu_fake", name, input }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: {
      input_tokens: 10,
      output_tokens: 10,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    },
  };
}

export function textMessage(text: string) {
  return { ...toolUseMessage({}), content: [{ type: "text", text }], stop_reason: "end_turn" };
}

export function errorBody(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

/** The mention text as the engine sent it (between the <mention> tags, still escaped). */
export function mentionOf(request: MessagesRequest): string {
  const content = request.messages[0]?.content ?? "";
  return /<mention>([\s\S]*)<\/mention>/.exec(content)?.[1] ?? "";
}

interface StoredBatch {
  id: string;
  requests: { custom_id: string; params: MessagesRequest }[];
  retrievals: number;
}

export interface FakeAnthropic {
  baseURL: string;
  requests: MessagesRequest[];
  batchCreates: number;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

function send(res: ServerResponse, reply: FakeReply) {
  const body = JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
  res.end(body);
}

/** Batches end after `batchPollsBeforeEnd` retrievals; each request is answered by the same handler. */
export async function startFakeAnthropic(
  handler: MessagesHandler,
  batchPollsBeforeEnd = 1,
): Promise<FakeAnthropic> {
  const requests: MessagesRequest[] = [];
  const batches = new Map<string, StoredBatch>();
  let calls = 0;
  const state = { batchCreates: 0 };
  let baseURL = "";

  const batchView = (batch: StoredBatch) => {
    const ended = batch.retrievals >= batchPollsBeforeEnd;
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: {
        processing: ended ? 0 : batch.requests.length,
        succeeded: ended ? batch.requests.length : 0,
        errored: 0,
        canceled: 0,
        expired: 0,
      },
      created_at: "2026-01-01T00:00:00Z",
      expires_at: "2026-01-02T00:00:00Z",
      ended_at: ended ? "2026-01-01T00:10:00Z" : null,
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${baseURL}/v1/messages/batches/${batch.id}/results` : null,
    };
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    try {
      if (req.method === "POST" && url.pathname === "/v1/messages") {
        const body = (await readJson(req)) as MessagesRequest;
        requests.push(body);
        const reply = handler(body, ++calls);
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (!res.destroyed) send(res, reply);
        return;
      }
      if (req.method === "POST" && url.pathname === "/v1/messages/batches") {
        const body = (await readJson(req)) as { requests: StoredBatch["requests"] };
        state.batchCreates++;
        const batch: StoredBatch = {
          id: `msgbatch_${batches.size + 1}`,
          requests: body.requests,
          retrievals: 0,
        };
        batches.set(batch.id, batch);
        send(res, { body: batchView(batch) });
        return;
      }
      const results = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(url.pathname);
      if (req.method === "GET" && results) {
        const batch = batches.get(results[1] as string);
        if (!batch) return send(res, { status: 404, body: errorBody("not_found_error", "no such batch") });
        const lines = batch.requests.map((r) => {
          requests.push(r.params);
          const reply = handler(r.params, ++calls);
          const ok = (reply.status ?? 200) === 200;
          return JSON.stringify({
            custom_id: r.custom_id,
            result: ok ? { type: "succeeded", message: reply.body } : { type: "errored", error: reply.body },
          });
        });
        res.writeHead(200, { "content-type": "application/binary" });
        res.end(`${lines.join("\n")}\n`);
        return;
      }
      const one = /^\/v1\/messages\/batches\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && one) {
        const batch = batches.get(one[1] as string);
        if (!batch) return send(res, { status: 404, body: errorBody("not_found_error", "no such batch") });
        batch.retrievals++;
        send(res, { body: batchView(batch) });
        return;
      }
      send(res, {
        status: 404,
        body: errorBody("not_found_error", `no route ${req.method} ${url.pathname}`),
      });
    } catch (error) {
      send(res, { status: 500, body: errorBody("api_error", String(error)) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseURL,
    requests,
    get batchCreates() {
      return state.batchCreates;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
