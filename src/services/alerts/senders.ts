// One sender per outbox kind, each answering with a DeliveryResult (src/notify/types.ts): delivered, retry later,
// or refused with what a person must fix. A `Record<OutboxKind, OutboxSender>` makes a missing one a type error.
// Slack goes through src/notify/slack.ts; e-mail (nodemailer) and account webhooks are sent from here.
import nodemailer from "nodemailer";
import { signWebhook } from "../../domain/accounts/crypto.js";
import type { AppEnv } from "../../env.js";
import { parseRetryAfter, type SlackPayload, sendSlack } from "../../notify/slack.js";
import type { DeliveryResult } from "../../notify/types.js";
import type { OutboxKind, OutboxRow } from "./outbox.js";

export type OutboxSender = (row: OutboxRow) => Promise<DeliveryResult>;
export type OutboxSenders = Record<OutboxKind, OutboxSender>;

const REQUEST_TIMEOUT_MS = 10_000;

function networkRetry(error: unknown): DeliveryResult {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  return { status: "retry", reason: name === "TimeoutError" ? "timed out" : `network error: ${message}` };
}

export function slackSender(): OutboxSender {
  return (row) => sendSlack(row.destination, row.payload as SlackPayload, { timeoutMs: REQUEST_TIMEOUT_MS });
}

export interface EmailPayload {
  to: string[];
  subject: string;
  html: string;
  text: string;
  from?: string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** nodemailer over SMTP_URL. 4xx replies and connection trouble are retried; 5xx replies need a person. */
export function emailSender(smtpUrl: string | undefined, mailFrom: string): OutboxSender {
  let transport: ReturnType<typeof nodemailer.createTransport> | null = null;
  return async (row) => {
    if (!smtpUrl) {
      return {
        status: "permanent",
        reason: "SMTP_URL is not set",
        fix: "Set SMTP_URL (smtp://user:password@host:587) and restart Rapport, then press Retry.",
      };
    }
    transport ??= nodemailer.createTransport(smtpUrl);
    const payload = row.payload as EmailPayload;
    try {
      await transport.sendMail({
        from: payload.from ?? mailFrom,
        to: payload.to,
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        // A stable Message-ID lets a receiving server drop the copy if a crash made us send twice.
        messageId: `<${row.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, ".")}@rapport>`,
        headers: { "X-Rapport-Idempotency-Key": row.idempotencyKey },
      });
      return { status: "ok" };
    } catch (error) {
      const e = error as SmtpError;
      const message = e.message ?? String(error);
      if (e.code === "EAUTH") {
        return {
          status: "permanent",
          reason: `SMTP login refused: ${message}`,
          fix: "Check the user and password in SMTP_URL, restart, then press Retry.",
        };
      }
      if (e.responseCode !== undefined && e.responseCode >= 500) {
        return {
          status: "permanent",
          reason: `SMTP ${e.responseCode}: ${message}`,
          fix: "The mail server refused the message. Check the recipient address under Digest recipients and MAIL_FROM, then press Retry.",
        };
      }
      return { status: "retry", reason: `SMTP: ${message}` };
    }
  };
}

/** Account events to the collections system: signed like its docs say, retried until it answers 2xx. */
export function webhookSender(secret: string | undefined, now: () => Date): OutboxSender {
  return async (row) => {
    const body = JSON.stringify(row.payload);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "idempotency-key": row.idempotencyKey,
    };
    if (secret) headers["rapport-signature"] = signWebhook(secret, Math.floor(now().getTime() / 1000), body);
    let response: Response;
    try {
      response = await fetch(row.destination, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return networkRetry(error);
    }
    await response.body?.cancel().catch(() => {});
    if (response.ok) return { status: "ok" };
    if (response.status === 429) {
      const afterMs = parseRetryAfter(response.headers.get("retry-after"), now().getTime());
      return { status: "retry", reason: "rate limited (429)", ...(afterMs !== undefined ? { afterMs } : {}) };
    }
    if (response.status >= 500 || response.status === 408)
      return { status: "retry", reason: `HTTP ${response.status}` };
    return {
      status: "permanent",
      reason: `HTTP ${response.status}`,
      fix: "The collections system refused the event. Check ACCOUNT_WEBHOOK_URL and ACCOUNT_WEBHOOK_SECRET, then press Retry.",
    };
  };
}

export function defaultSenders(env: AppEnv, now: () => Date): OutboxSenders {
  return {
    slack: slackSender(),
    email: emailSender(env.SMTP_URL, env.MAIL_FROM),
    webhook: webhookSender(env.ACCOUNT_WEBHOOK_SECRET, now),
  };
}
