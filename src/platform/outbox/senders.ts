// One sender per outbox kind, each answering with a DeliveryResult (src/notify/types.ts): delivered, retry later,
// or refused with what a person must fix. A `Record<OutboxKind, OutboxSender>` makes a missing one a type error.
// Slack and e-mail go through src/notify; account webhooks are sent from here.
import { signWebhook } from "../../domain/accounts/crypto.js";
import type { AppEnv } from "../../env.js";
import {
  assertHostAllowed,
  type EgressPolicy,
  type HttpClient,
  httpClientFromEnv,
  isUpstreamError,
} from "../http/index.js";
import { sendEmail } from "../notify/email.js";
import { parseRetryAfter, type SlackPayload, sendSlack } from "../notify/slack.js";
import type { DeliveryResult } from "../notify/types.js";
import { openWebhook } from "./destinations.js";
import type { OutboxKind, OutboxRow } from "./outbox.js";

export type OutboxSender = (row: OutboxRow) => Promise<DeliveryResult>;
export type OutboxSenders = Record<OutboxKind, OutboxSender>;

const REQUEST_TIMEOUT_MS = 10_000;

/** A destination the egress policy refuses is a configuration problem: nothing was sent, retrying will not help. */
function refused(error: unknown, fix: string): DeliveryResult | null {
  if (!isUpstreamError(error) || error.failure !== "refused") return null;
  return { status: "permanent", reason: error.message, fix };
}

function networkRetry(error: unknown): DeliveryResult {
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  return { status: "retry", reason: name === "TimeoutError" ? "timed out" : `network error: ${message}` };
}

/** Slack's own timeout (SLACK_TIMEOUT_MS) unless a test passes a shorter one. A sealed destination (a brand's
 * webhook) is opened with RAPPORT_SECRET here, at the last moment. */
export function slackSender(
  options: { timeoutMs?: number; secret?: string; fetch?: typeof fetch } = {},
): OutboxSender {
  const { secret, ...sendOptions } = options;
  return async (row) => {
    let url: string;
    try {
      url = secret ? await openWebhook(row.destination, secret) : row.destination;
    } catch {
      return {
        status: "permanent",
        reason: "the stored Slack webhook does not open with this RAPPORT_SECRET",
        fix: "Restore the RAPPORT_SECRET it was saved with, or paste the brand's webhook again on /alerts, then press Retry.",
      };
    }
    return sendSlack(url, row.payload as SlackPayload, sendOptions);
  };
}

export interface EmailPayload {
  to: string[];
  subject: string;
  html: string;
  text: string;
  from?: string;
}

/** Over SMTP_URL through src/notify/email.ts; its Message-ID is the idempotency key, the same on every retry. */
export function emailSender(
  smtpUrl: string | undefined,
  mailFrom: string,
  egress?: EgressPolicy,
): OutboxSender {
  return async (row) => {
    if (!smtpUrl) {
      return {
        status: "permanent",
        reason: "SMTP_URL is not set",
        fix: "Set SMTP_URL (smtp://user:password@host:587) and restart Rapport, then press Retry.",
      };
    }
    if (egress) {
      const { hostname, port, protocol } = new URL(smtpUrl);
      try {
        await assertHostAllowed(egress, hostname, Number(port || (protocol === "smtps:" ? 465 : 587)));
      } catch (error) {
        const result = refused(
          error,
          "Point SMTP_URL at your mail server, or allow its host with EGRESS_ALLOW, and restart.",
        );
        if (result) return result;
        // A lookup failure is the mailer's to report (it resolves again and says what failed).
      }
    }
    const payload = row.payload as EmailPayload;
    return sendEmail(smtpUrl, {
      from: payload.from ?? mailFrom,
      to: payload.to,
      subject: payload.subject,
      html: payload.html,
      text: payload.text,
      messageId: `<${row.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, ".")}@rapport>`,
    });
  };
}

/** Account events to the collections system: signed like its docs say, retried until it answers 2xx. */
export function webhookSender(
  secret: string | undefined,
  now: () => Date,
  doFetch: typeof fetch = fetch,
): OutboxSender {
  return async (row) => {
    const body = JSON.stringify(row.payload);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "idempotency-key": row.idempotencyKey,
    };
    if (secret) headers["rapport-signature"] = signWebhook(secret, Math.floor(now().getTime() / 1000), body);
    let response: Response;
    try {
      response = await doFetch(row.destination, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return (
        refused(
          error,
          "Check ACCOUNT_WEBHOOK_URL, or allow its host with EGRESS_ALLOW and restart, then press Retry.",
        ) ?? networkRetry(error)
      );
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

/** Every sender through the one HTTP client (egress policy, deadline, size cap); e-mail's host checked by it too. */
export function defaultSenders(
  env: AppEnv,
  now: () => Date,
  http: HttpClient = httpClientFromEnv(env),
): OutboxSenders {
  return {
    slack: slackSender({ secret: env.RAPPORT_SECRET, fetch: http.fetch }),
    email: emailSender(env.SMTP_URL, env.MAIL_FROM, http.egress),
    webhook: webhookSender(env.ACCOUNT_WEBHOOK_SECRET, now, http.fetch),
  };
}
