// Where a brand's Slack alerts go: its own incoming webhook, else the one for all brands (SLACK_WEBHOOK_URL).
export function slackDestination(
  brandWebhookUrl: string | null | undefined,
  fallbackWebhookUrl: string | undefined,
): string | null {
  const own = brandWebhookUrl?.trim();
  return own ? own : (fallbackWebhookUrl ?? null);
}
