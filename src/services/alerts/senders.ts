// One sender per outbox kind, each turning the wire's answer into one of three outcomes: sent, retry later, or
// failed with what a person must fix. A `Record<OutboxKind, OutboxSender>` makes a missing one a type error.
import nodemailer from "nodemailer";
import { signWebhook } from "../../domain/accounts/crypto.js";
import type { AppEnv } from "../../env.js";
import type { OutboxKind, OutboxRow } from "./outbox.js";

export type DeliveryOutcome =
  | { status: "sent" }
  | { status: "retry"; error: string /** The server said when (Retry-After). */; retryAfterMs?: number }
  | { status: "failed"; error: string; fix: string };

export type OutboxSender = (row: OutboxRow) => Promise<DeliveryOutcome>;
export type OutboxSenders = Record<OutboxKind, OutboxSender>;

const REQUEST_TIMEOUT_MS = 10_000;

/** Retry-After is seconds or an HTTP date; absent or unreadable → undefined (our own backoff applies). */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now.getTime()) : undefined;
}

// Slack answers incoming-webhook errors as text/plain codes. Everything but 429 and 5xx means the webhook or
// the message must change: retrying the same request would fail the same way.
const SLACK_FIXES: Record<string, string> = {
  invalid_payload:
    "Slack rejected the message format. This is a Rapport bug: report it, then press Retry after upgrading.",
  no_text:
    "Slack rejected the message as empty. This is a Rapport bug: report it, then press Retry after upgrading.",
  too_many_attachments: "Slack rejected the message size. Report it, then press Retry after upgrading.",
  channel_not_found:
    "The webhook's Slack channel no longer exists. Create a new incoming webhook for an existing channel, paste it under Slack webhooks on this page, then press Retry.",
  channel_is_archived:
    "The webhook's Slack channel is archived. Unarchive it, or create a webhook for another channel and paste it under Slack webhooks, then press Retry.",
  action_prohibited:
    "A Slack admin restricted posting to this channel. Ask them to allow the Rapport app, or use a webhook for another channel, then press Retry.",
  posting_to_general_channel_denied:
    "Only admins may post to this channel. Use a webhook for another channel (Slack webhooks on this page), then press Retry.",
  invalid_token:
    "The webhook URL is no longer valid. Create a new incoming webhook in Slack, paste it under Slack webhooks, then press Retry.",
  no_service:
    "The webhook was removed or disabled in Slack. Create a new incoming webhook, paste it under Slack webhooks (or SLACK_WEBHOOK_URL), then press Retry.",
  no_service_id:
    "The webhook URL is incomplete. Copy the whole URL from Slack into Slack webhooks, then press Retry.",
  no_team: "The Slack workspace behind this webhook was not found. Create a new webhook, then press Retry.",
  team_disabled:
    "The Slack workspace behind this webhook is disabled. Use a webhook from an active workspace, then press Retry.",
  no_active_hooks:
    "Incoming webhooks are turned off for this Slack app. Turn them on (or create a new webhook), then press Retry.",
  user_not_found: "Slack could not find the webhook's user. Create a new incoming webhook, then press Retry.",
};

export function slackFix(code: string, httpStatus: number): string {
  return (
    SLACK_FIXES[code] ??
    `Slack refused the webhook (HTTP ${httpStatus}${code ? `, ${code}` : ""}). Check the webhook URL under Slack webhooks (create a new incoming webhook if in doubt), then press Retry.`
  );
}

function networkRetry(error: unknown): DeliveryOutcome {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  return { status: "retry", error: name === "TimeoutError" ? "timed out" : `network error: ${message}` };
}

export function slackSender(now: () => Date): OutboxSender {
  return async (row) => {
    let response: Response;
    try {
      response = await fetch(row.destination, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(row.payload),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return networkRetry(error);
    }
    const body = (await response.text().catch(() => "")).trim();
    if (response.ok) return { status: "sent" };
    const code = body.slice(0, 100);
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
      return {
        status: "retry",
        error: "rate limited by Slack (429)",
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    }
    if (response.status >= 500 || response.status === 408) {
      return { status: "retry", error: `Slack HTTP ${response.status}${code ? ` ${code}` : ""}` };
    }
    return {
      status: "failed",
      error: `Slack HTTP ${response.status}${code ? ` ${code}` : ""}`,
      fix: slackFix(code, response.status),
    };
  };
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
        status: "failed",
        error: "SMTP_URL is not set",
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
      return { status: "sent" };
    } catch (error) {
      const e = error as SmtpError;
      const message = e.message ?? String(error);
      if (e.code === "EAUTH") {
        return {
          status: "failed",
          error: `SMTP login refused: ${message}`,
          fix: "Check the user and password in SMTP_URL, restart, then press Retry.",
        };
      }
      if (e.responseCode !== undefined && e.responseCode >= 500) {
        return {
          status: "failed",
          error: `SMTP ${e.responseCode}: ${message}`,
          fix: "The mail server refused the message. Check the recipient address under Digest recipients and MAIL_FROM, then press Retry.",
        };
      }
      return { status: "retry", error: `SMTP: ${message}` };
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
    if (response.ok) return { status: "sent" };
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
      return {
        status: "retry",
        error: "rate limited (429)",
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    }
    if (response.status >= 500 || response.status === 408)
      return { status: "retry", error: `HTTP ${response.status}` };
    return {
      status: "failed",
      error: `HTTP ${response.status}`,
      fix: "The collections system refused the event. Check ACCOUNT_WEBHOOK_URL and ACCOUNT_WEBHOOK_SECRET, then press Retry.",
    };
  };
}

export function defaultSenders(env: AppEnv, now: () => Date): OutboxSenders {
  return {
    slack: slackSender(now),
    email: emailSender(env.SMTP_URL, env.MAIL_FROM),
    webhook: webhookSender(env.ACCOUNT_WEBHOOK_SECRET, now),
  };
}
