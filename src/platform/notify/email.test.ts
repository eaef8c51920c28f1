import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { DIGEST_SECTIONS } from "../../domain/digest/digest-data.js";
import { classifySmtpError, emailNotifier, sendEmail } from "./email.js";

const servers: SMTPServer[] = [];

async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const messages: { from: string; to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        raw += chunk;
      });
      stream.on("end", () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
    ...options,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo)
    .port;
  return { url: `smtp://127.0.0.1:${port}`, messages };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** Undoes quoted-printable soft breaks and escapes so the test can read the parts. */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, "")
    .replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ""), "hex").toString("utf8"));
}

const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode });

describe("sendEmail against a real SMTP server", () => {
  it("delivers the digest as multipart/alternative with the subject and every section", async () => {
    const smtp = await startSmtp();
    // A digest-shaped message (the renderer lives with the digest feature, above this layer).
    const digest = {
      subject: "Acme Recovery weekly digest, 2026-W47: 412 mentions this week, vs 355 last week (+16%)",
      html: `<!DOCTYPE html><html><body>${DIGEST_SECTIONS.map((t) => `<h2>${t}</h2><p>…</p>`).join("")}</body></html>`,
      text: DIGEST_SECTIONS.map((t) => `${t.toUpperCase()}\n…`).join("\n\n"),
    };
    const result = await sendEmail(smtp.url, {
      from: "Rapport <rapport@example.com>",
      to: ["director@example.com", "cfo@example.com"],
      ...digest,
      messageId: "<digest-acme-2026-W47@rapport.example.com>",
    });
    expect(result).toEqual({ status: "ok" });
    expect(smtp.messages).toHaveLength(1);
    const [message] = smtp.messages as [{ from: string; to: string[]; raw: string }];
    expect(message.from).toBe("rapport@example.com");
    expect(message.to).toEqual(["director@example.com", "cfo@example.com"]);
    expect(message.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(message.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(message.raw).toMatch(/^Content-Type: text\/html/m);
    const headers = message.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
    expect(headers).toContain(`Subject: ${digest.subject}`);
    expect(message.raw).toContain("Message-ID: <digest-acme-2026-W47@rapport.example.com>");
    const body = decodeQuotedPrintable(message.raw);
    for (const title of DIGEST_SECTIONS) {
      expect(body).toContain(title.toUpperCase());
      expect(body).toContain(`>${title}</h2>`);
    }
  });

  it("reports a 5xx refusal as permanent with a fix, and a 4xx as retry", async () => {
    const refusing = await startSmtp({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("gone")) return callback(smtpError("Mailbox unavailable", 550));
        if (address.address.startsWith("busy")) return callback(smtpError("Try again later", 451));
        callback();
      },
    });
    const base = { from: "rapport@example.com", subject: "s", html: "<p>h</p>", text: "t" };
    const gone = await sendEmail(refusing.url, { ...base, to: "gone@example.com" });
    expect(gone).toMatchObject({ status: "permanent", reason: expect.stringContaining("550") });
    expect(gone.status === "permanent" && gone.fix).toMatch(/recipient/);
    const busy = await sendEmail(refusing.url, { ...base, to: "busy@example.com" });
    expect(busy).toMatchObject({ status: "retry", reason: expect.stringContaining("451") });
    expect(refusing.messages).toHaveLength(0);
  });

  it("reports a refused login as permanent", async () => {
    const locked = await startSmtp({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        callback(smtpError("Invalid credentials", 535));
      },
    });
    const url = locked.url.replace("smtp://", "smtp://user:wrong@");
    const result = await emailNotifier(url).send({
      from: "a@example.com",
      to: "b@example.com",
      subject: "s",
      html: "h",
      text: "t",
    });
    expect(result).toMatchObject({ status: "permanent" });
    expect(result.status === "permanent" && result.fix).toMatch(/SMTP_URL/);
  });

  it("retries when nothing listens", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const result = await sendEmail(`smtp://127.0.0.1:${port}`, {
      from: "a@example.com",
      to: "b@example.com",
      subject: "s",
      html: "h",
      text: "t",
    });
    expect(result).toMatchObject({ status: "retry", reason: expect.stringMatching(/ECONN/) });
  });
});

describe("classifySmtpError", () => {
  it("sorts by reply code first, then by error code", () => {
    expect(classifySmtpError(Object.assign(new Error("x"), { responseCode: 421 })).status).toBe("retry");
    expect(classifySmtpError(Object.assign(new Error("x"), { responseCode: 552 })).status).toBe("permanent");
    expect(classifySmtpError(Object.assign(new Error("x"), { code: "ETIMEDOUT" })).status).toBe("retry");
    expect(classifySmtpError(Object.assign(new Error("x"), { code: "ETLS" })).status).toBe("permanent");
    expect(classifySmtpError(new Error("weird")).status).toBe("retry");
  });
});
