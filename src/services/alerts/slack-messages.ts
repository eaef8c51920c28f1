// Block Kit bodies for the two Slack alerts, built from MASKED text only. Stored in the outbox as built, so what
// is delivered is exactly what was decided in the transaction.
// (Kept here because src/notify had no Block Kit builders when the alert wiring was written.)

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

const HEADER_MAX = 150;
const SECTION_MAX = 3000;

/** mrkdwn-safe user text: escapes the control characters and neutralises @channel-style pings. */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(channel|here|everyone)\b/gi, "@\u200b$1");
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const quote = (text: string, max: number) =>
  truncate(escapeMrkdwn(text.replace(/\s+/g, " ").trim()), max)
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");

const button = (text: string, url: string, actionId: string, primary = false) => ({
  type: "button",
  text: { type: "plain_text", text: truncate(text, 75) },
  url,
  action_id: actionId,
  ...(primary ? { style: "primary" } : {}),
});

export interface UrgentMentionAlert {
  mentionId: number;
  brandName: string;
  sourceName: string;
  textMasked: string;
  severity: string;
  flags: string[];
  category: string | null;
  reach: number | null;
  createdAt: Date;
  /** Rapport's page for the mention. */
  mentionUrl: string;
  /** The post on its platform, when known. */
  postUrl: string | null;
}

const URGENT_REASON: Record<string, string> = {
  self_harm: "possible self-harm",
  attorney: "attorney involved",
  regulator: "regulator / complaint body",
  dispute: "dispute",
  cease_contact: "asked to stop contact",
  bankruptcy: "bankruptcy",
  identity_theft: "identity theft",
};

export function urgentMentionMessage(alert: UrgentMentionAlert): SlackMessage {
  const reasons = alert.flags.map((f) => URGENT_REASON[f] ?? f.replace(/_/g, " "));
  const headline = `Urgent mention for ${alert.brandName}${reasons.length ? `: ${reasons.join(", ")}` : ""}`;
  const fields = [
    { type: "mrkdwn", text: `*Source*\n${escapeMrkdwn(alert.sourceName)}` },
    { type: "mrkdwn", text: `*Severity*\n${alert.severity}` },
    ...(alert.category ? [{ type: "mrkdwn", text: `*Category*\n${alert.category.replace(/_/g, " ")}` }] : []),
    ...(alert.reach != null
      ? [{ type: "mrkdwn", text: `*Reach*\n${alert.reach.toLocaleString("en-US")}` }]
      : []),
  ];
  const unix = Math.floor(alert.createdAt.getTime() / 1000);
  return {
    text: truncate(`${headline} — "${alert.textMasked.replace(/\s+/g, " ").trim()}"`, 300),
    blocks: [
      {
        type: "header",
        text: { type: "plain_text", text: truncate(`🚨 ${headline}`, HEADER_MAX), emoji: true },
      },
      { type: "section", text: { type: "mrkdwn", text: quote(alert.textMasked, SECTION_MAX - 10) }, fields },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `Posted <!date^${unix}^{date_short_pretty} {time}|${alert.createdAt.toISOString()}> · personal data masked · mention #${alert.mentionId}`,
          },
        ],
      },
      {
        type: "actions",
        elements: [
          button("Open in Rapport", alert.mentionUrl, "open_mention", true),
          ...(alert.postUrl && /^https?:\/\//.test(alert.postUrl)
            ? [button("View post", alert.postUrl, "view_post")]
            : []),
        ],
      },
    ],
  };
}

export interface SpikeAlertExample {
  textMasked: string;
  sourceName: string;
  url: string;
}

export interface SpikeAlert {
  spikeId: number;
  /** What spiked, in words: "Acme Recovery", "Acme Recovery · legal threats on X". */
  subject: string;
  hour: Date;
  count: number;
  expected: number;
  score: number;
  /** One line per over-represented thing: "terms: garnish, lawsuit", "sources: reddit (80%)". */
  highlights: string[];
  examples: SpikeAlertExample[];
  /** The feed filtered to the spike's brand, category, source and hours. */
  feedUrl: string;
  spikeUrl: string;
}

export function spikeMessage(alert: SpikeAlert): SlackMessage {
  const ratio = alert.expected > 0 ? alert.count / alert.expected : alert.count;
  const times = ratio >= 10 ? Math.round(ratio).toString() : ratio.toFixed(1);
  const headline = `Complaint spike: ${alert.subject}`;
  const summary = `*${alert.count}* mentions in the hour from ${alert.hour.toISOString().slice(11, 16)} UTC, ${times}× the usual ${alert.expected.toFixed(1)} (p ≈ 1e-${Math.floor(alert.score)})`;
  const blocks: unknown[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(`📈 ${headline}`, HEADER_MAX), emoji: true },
    },
    { type: "section", text: { type: "mrkdwn", text: summary } },
  ];
  if (alert.highlights.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*What stands out*\n${alert.highlights.map((h) => `• ${escapeMrkdwn(h)}`).join("\n")}`,
          SECTION_MAX,
        ),
      },
    });
  }
  for (const example of alert.examples.slice(0, 3)) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `${quote(example.textMasked, 600)}\n_${escapeMrkdwn(example.sourceName)}_ · <${example.url}|open>`,
      },
    });
  }
  blocks.push(
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: "Personal data masked. Later hours of this spike update it in Rapport, not here.",
        },
      ],
    },
    {
      type: "actions",
      elements: [
        button("Open filtered feed", alert.feedUrl, "open_feed", true),
        button("Spike details", alert.spikeUrl, "open_spike"),
      ],
    },
  );
  return { text: truncate(`${headline} — ${alert.count} mentions, ${times}× normal`, 300), blocks };
}
