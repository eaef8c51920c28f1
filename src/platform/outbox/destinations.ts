// Where a brand's Slack alerts go: its own incoming webhook, else the one for all brands (SLACK_WEBHOOK_URL).
// A webhook URL is a credential (whoever has it can post to the channel), so a brand's is stored sealed like
// connector tokens (src/platform/credentials.ts) and travels sealed through the outbox; only the Slack sender
// opens it, just before the request.
import { isSealed, openCredentials, sealCredentials } from "../credentials.js";

/** The name a sealed webhook is bound to: it opens as a webhook and as nothing else. */
const FIELD = "slackWebhookSecret";

export function slackDestination(
  brandWebhookUrl: string | null | undefined,
  fallbackWebhookUrl: string | undefined,
): string | null {
  const own = brandWebhookUrl?.trim();
  return own ? own : (fallbackWebhookUrl ?? null);
}

export async function sealWebhook(url: string, secret: string): Promise<string> {
  return (await sealCredentials({ [FIELD]: url }, secret))[FIELD] as string;
}

/** The URL to post to; a value stored before sealing (or SLACK_WEBHOOK_URL) passes through as it is. */
export async function openWebhook(stored: string, secret: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  return (await openCredentials({ [FIELD]: stored }, secret, "Slack webhook"))[FIELD] as string;
}
