// A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps every message it receives.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Makes the next RCPT answer with this SMTP error (e.g. 550), or null for normal service. */
  rejectRecipients(code: number | null): void;
  close(): Promise<void>;
}

export async function startSmtpServer(listenPort = 0): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let rejectCode: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejectCode !== null) {
        const error = Object.assign(new Error(`mailbox ${address.address} unavailable`), {
          responseCode: rejectCode,
        });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectRecipients: (code) => {
      rejectCode = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text of a MIME part (quoted-printable or base64), found by its content type. */
export function mimePart(raw: string, contentType: string): string | null {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  if (!boundary) return null;
  for (const part of raw.split(`--${boundary}`)) {
    const [head = "", ...rest] = part.split(/\r?\n\r?\n/);
    if (!head.toLowerCase().includes(`content-type: ${contentType}`)) continue;
    const body = rest.join("\n\n");
    if (/content-transfer-encoding: base64/i.test(head))
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    if (/content-transfer-encoding: quoted-printable/i.test(head)) {
      const bytes = body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    return body;
  }
  return null;
}

/** An RFC 2047 encoded header decoded (nodemailer encodes non-ASCII subjects). */
export function header(raw: string, name: string): string | null {
  const match = new RegExp(`^${name}: ((?:.*)(?:\\r?\\n[ \\t].*)*)`, "im").exec(raw);
  if (!match) return null;
  return match[1]!
    .replace(/\r?\n[ \t]/g, " ")
    .replace(/=\?utf-8\?Q\?([^?]*)\?=/gi, (_m, q: string) =>
      Buffer.from(
        q
          .replace(/_/g, " ")
          .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
        "latin1",
      ).toString("utf8"),
    )
    .replace(/=\?utf-8\?B\?([^?]*)\?=/gi, (_m, b: string) => Buffer.from(b, "base64").toString("utf8"))
    .replace(/\?=\s+=\?/g, "");
}
