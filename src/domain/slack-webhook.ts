// Which URL may be a Slack incoming webhook: the one rule for the dashboard (Alerts → a brand's webhook, and the
// API) and for SLACK_WEBHOOK_URL, which the server and the CLI's jobs read from the environment. The server POSTs
// alerts to it, so only Slack's webhook host (or a relay on this machine) may be named: a person who may change a
// webhook must not be able to aim the server at an internal service. Pure.

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

/** Null when `raw` may be used as a Slack webhook; otherwise what is wrong and how to fix it. */
export function slackWebhookProblem(raw: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    return "The Slack webhook must be a URL like https://hooks.slack.com/services/T…/B…/…";
  }
  const local = LOCAL_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== "https:" && !(local && parsed.protocol === "http:"))
    return "The Slack webhook must be an https:// URL (Slack → Apps → Incoming Webhooks → Copy)";
  if (!local && parsed.hostname !== "hooks.slack.com")
    return "The Slack webhook must be on hooks.slack.com (Slack → Apps → Incoming Webhooks → Copy)";
  return null;
}
