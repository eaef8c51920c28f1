// Slack incoming webhooks: the wire format (Block Kit payload types) and the sender. Message builders live with
// the features that send them (src/notify/slack.ts); every message goes out through the outbox (src/platform/outbox).
import { isUpstreamError, rateLimitResetAt } from "../http/index.js";
import type { DeliveryResult, Notifier } from "./types.js";

export interface SlackText {
  type: "plain_text" | "mrkdwn";
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] }
  | { type: "divider" }
  | {
      type: "actions";
      elements: {
        type: "button";
        text: SlackText;
        url: string;
        action_id: string;
        style?: "primary" | "danger";
      }[];
    };

export interface SlackPayload {
  /** Notification fallback (push notifications, screen readers). */
  text: string;
  blocks: SlackBlock[];
}

// What each webhook error means and what a person has to do about it.
const SLACK_FIXES: Record<string, string> = {
  invalid_payload:
    "The message was malformed. This is a Rapport bug: report it with the alert id; the alert will not be retried.",
  no_text: "The message had no text. This is a Rapport bug: report it with the alert id.",
  too_many_attachments: "The message was too large. This is a Rapport bug: report it with the alert id.",
  channel_not_found:
    "The webhook's channel no longer exists. Create a new incoming webhook for an existing channel and update the Slack settings.",
  channel_is_archived:
    "The webhook's channel is archived. Unarchive it in Slack, or create a webhook for another channel and update the Slack settings.",
  no_service:
    "The webhook was revoked or the Slack app removed. Create a new incoming webhook and paste its URL into the Slack settings.",
  no_service_id:
    "The webhook URL is incomplete. Copy the full URL from Slack's Incoming Webhooks page into the Slack settings.",
  no_team:
    "The Slack workspace for this webhook no longer exists. Create a webhook in your current workspace.",
  team_disabled: "The Slack workspace is disabled. Create a webhook in an active workspace.",
  no_active_hooks:
    "Incoming webhooks are turned off for this Slack app. Turn them on in the app's settings, or create a new webhook.",
  invalid_token:
    "The webhook URL is no longer valid. Create a new incoming webhook and update the Slack settings.",
  action_prohibited:
    "A Slack admin has restricted posting to this channel. Ask them to allow the app, or use a webhook for another channel.",
  posting_to_general_channel_denied:
    "Only admins may post in this channel. Use a webhook for another channel.",
  user_not_found:
    "The webhook points at a user that no longer exists. Create a new incoming webhook for a channel.",
};

const GENERIC_FIX =
  "Slack refused the webhook. Check the webhook URL in the Slack settings (create a new incoming webhook if in doubt).";

export interface SendSlackOptions {
  fetch?: typeof fetch;
  /** Whole request, connect to body. Default 30 s: Slack is sometimes slow, and a late answer is still "ok". */
  timeoutMs?: number;
}

/** Retry-After (seconds, or an HTTP date) in milliseconds from `now`, read by the HTTP client's one parser. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const at = rateLimitResetAt(new Headers({ "retry-after": value }), 429, new Date(now));
  return at ? Math.max(0, at.getTime() - now) : undefined;
}

export const SLACK_TIMEOUT_MS = 30_000;

/** A connection that broke after it was made: the request may have been read. Other failures (refused, DNS, a
 * port fetch will not use) happen before a byte is sent and are safe to try again. */
const BROKEN_MID_REQUEST = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

export async function sendSlack(
  webhookUrl: string,
  payload: SlackPayload,
  options: SendSlackOptions = {},
): Promise<DeliveryResult> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? SLACK_TIMEOUT_MS;
  let response: Response;
  let body: string;
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    response = await doFetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal,
      redirect: "error",
    });
    body = (await response.text()).trim();
  } catch (error) {
    // The egress policy refused the address: nothing was sent, and sending again will not help.
    if (isUpstreamError(error) && error.failure === "refused")
      return {
        status: "permanent",
        reason: error.message,
        fix: "Use an incoming webhook on hooks.slack.com (or allow a relay's host with EGRESS_ALLOW and restart), then press Retry.",
      };
    const name = (error as Error).name;
    // Incoming webhooks take no idempotency key: a message sent again is posted again. Once the request may have
    // reached Slack, an attempt without an answer is "unknown", never retried on its own.
    if (name === "TimeoutError" || name === "AbortError")
      return {
        status: "unknown",
        reason: `no answer from Slack within ${Math.round(timeoutMs / 1000)} s: it may have been posted`,
      };
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause && BROKEN_MID_REQUEST.has(cause))
      return {
        status: "unknown",
        reason: `the connection to Slack broke mid-request (${cause}): it may have been posted`,
      };
    return { status: "retry", reason: `could not reach Slack: ${cause ?? (error as Error).message}` };
  }
  if (response.ok) return { status: "ok" };
  const code = /^[a-z_]+$/.test(body) ? body : "";
  if (response.status === 429) {
    return {
      status: "retry",
      afterMs: parseRetryAfter(response.headers.get("retry-after")),
      reason: "rate limited by Slack (429)",
    };
  }
  if (response.status >= 500 || response.status === 408) {
    return { status: "retry", reason: `Slack answered ${response.status}${code ? ` ${code}` : ""}` };
  }
  return {
    status: "permanent",
    reason: `Slack answered ${response.status}${code ? ` ${code}` : ""}`,
    fix: SLACK_FIXES[code] ?? GENERIC_FIX,
  };
}

export function slackNotifier(webhookUrl: string, options: SendSlackOptions = {}): Notifier<SlackPayload> {
  return { kind: "slack", send: (payload) => sendSlack(webhookUrl, payload, options) };
}
