// E-mail over SMTP (nodemailer), with the same typed result as every notifier. A transport is built per send and
// closed after it: the outbox job sends a handful of digests a week, and nothing may live at module scope.
import nodemailer from "nodemailer";
import type { DeliveryResult, Notifier } from "./types.js";

export interface EmailMessage {
  from: string;
  to: string | string[];
  subject: string;
  html: string;
  text: string;
  /** Message-ID header, e.g. "<digest-acme-2026-W47@rapport>": the same alert keeps the same id on every retry. */
  messageId?: string;
}

export interface SendEmailOptions {
  /** Connect, greeting and idle-socket timeouts. Default 15 s. */
  timeoutMs?: number;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const CONNECTION_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
]);

function fixFor(error: SmtpError): string {
  const code = error.responseCode ?? 0;
  if (error.code === "EAUTH" || code === 535 || code === 530) {
    return "The SMTP server refused the login. Check the user and password in SMTP_URL (smtp://user:pass@host:port).";
  }
  if (error.code === "EENVELOPE" || code === 550 || code === 553 || code === 551) {
    return "The SMTP server refused the sender or a recipient. Check the recipient addresses and that MAIL_FROM is an address the server may send from.";
  }
  if (code === 552 || code === 554) {
    return "The SMTP server rejected the message (size or content policy). Check the server's limits; the digest can be sent with fewer posts.";
  }
  if (error.code === "ETLS")
    return "TLS to the SMTP server failed. Use smtps:// for port 465, or smtp:// for STARTTLS on 587.";
  return "The SMTP server refused the message. Check SMTP_URL and the server's logs.";
}

/** Sorts an SMTP failure: 5xx replies and bad configuration are permanent, 4xx and network trouble are retried. */
export function classifySmtpError(error: unknown): DeliveryResult {
  const e = error as SmtpError;
  const detail = e.response?.trim() || e.message;
  if (typeof e.responseCode === "number") {
    if (e.responseCode >= 500)
      return { status: "permanent", reason: `SMTP ${e.responseCode}: ${detail}`, fix: fixFor(e) };
    if (e.responseCode >= 400) return { status: "retry", reason: `SMTP ${e.responseCode}: ${detail}` };
  }
  if (e.code && CONNECTION_CODES.has(e.code))
    return { status: "retry", reason: `SMTP connection failed (${e.code}): ${e.message}` };
  if (e.code === "EAUTH" || e.code === "ETLS" || e.code === "EENVELOPE") {
    return { status: "permanent", reason: `SMTP ${e.code}: ${detail}`, fix: fixFor(e) };
  }
  // Unknown failures are retried: the retry horizon bounds the cost, and losing a digest is worse.
  return { status: "retry", reason: `SMTP send failed: ${detail}` };
}

export async function sendEmail(
  transportUrl: string,
  message: EmailMessage,
  options: SendEmailOptions = {},
): Promise<DeliveryResult> {
  const timeout = options.timeoutMs ?? 15_000;
  let transport: ReturnType<typeof nodemailer.createTransport>;
  try {
    transport = nodemailer.createTransport({
      url: transportUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  } catch (error) {
    return {
      status: "permanent",
      reason: `bad SMTP_URL: ${(error as Error).message}`,
      fix: "Set SMTP_URL to smtp://user:pass@host:port or smtps://…",
    };
  }
  try {
    await transport.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId: message.messageId,
    });
    return { status: "ok" };
  } catch (error) {
    return classifySmtpError(error);
  } finally {
    transport.close();
  }
}

export function emailNotifier(transportUrl: string, options: SendEmailOptions = {}): Notifier<EmailMessage> {
  return { kind: "email", send: (message) => sendEmail(transportUrl, message, options) };
}
