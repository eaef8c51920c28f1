// Slack messages (pure Block Kit builders); the wire types and the sender are in src/platform/notify/slack.ts.
//
// Mention text is untrusted and may carry personal data. Builders take the already-masked text and mask it again
// (e-mails, phones, long digit runs): a message in a shared channel is a disclosure if the masker upstream missed.
// Text is escaped for mrkdwn (&, <, >), which also neutralizes <!channel> and <@U…> pings smuggled into a post.
import { maskFor } from "../domain/masking.js";
import type { SpikeExplanation } from "../domain/spikes/explain.js";
import type { Flag } from "../domain/taxonomy.js";
import type { SlackBlock, SlackPayload, SlackText } from "../platform/notify/slack.js";

// Block Kit limits (Slack's reference): header 150, section text 3000, field 2000, button text 75, 50 blocks.
const LIMITS = { header: 150, section: 3000, field: 2000, button: 75, fallback: 3000 } as const;

const maskForSlack = (text: string) => maskFor("slack", text);

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Untrusted text, ready for mrkdwn: masked, escaped, cut to fit. */
const safe = (text: string, max: number) => truncate(escapeMrkdwn(maskForSlack(text)), max);
/** One line of untrusted text quoted as a block quote. */
const quote = (text: string, max: number) =>
  safe(text.replace(/\s+/g, " ").trim(), max)
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");
/** Only http(s) links reach a message; anything else (javascript:, slack://) is dropped. */
const httpUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);
const link = (url: string | null | undefined, label: string) => {
  const href = httpUrl(url);
  return href
    ? `<${href.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(label).replace(/\|/g, "¦")}>`
    : escapeMrkdwn(label);
};

export interface SpikeAlertInput {
  brand: string;
  /** What spiked, e.g. "complaints about payment service on X". */
  subject: string;
  /** Start of the spike hour (ISO). */
  ts: string;
  count: number;
  expected: number;
  score: number;
  explanation: SpikeExplanation;
  /** The dashboard feed filtered to this spike's brand, category, source and hours. */
  feedUrl: string;
  /** True when this message reports a spike that has grown since its first alert. */
  update?: boolean;
  /** The peak hour of an episode still open that this wave has at least 2.5 times over (see detect.ts). */
  grewFrom?: number;
  /** Two sentences on what drove it (masked posts only; see services/alerts/spike-summary.ts). */
  summary?: string;
  timeZone?: string;
}

function formatHour(ts: string, timeZone = "UTC"): string {
  const date = new Date(ts);
  const text = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZoneName: "short",
  }).format(date);
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${escapeMrkdwn(text)}>`;
}

export function howFarAboveNormal(count: number, expected: number): string {
  const ratio = expected > 0 ? count / expected : Number.POSITIVE_INFINITY;
  const times = Number.isFinite(ratio)
    ? `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`
    : "far above";
  return `${count} mentions in one hour vs about ${expected < 1 ? expected.toFixed(1) : Math.round(expected)} normally (${times} normal)`;
}

const list = (items: { value: string; count: number }[], render: (v: string) => string, max = 5) =>
  items
    .slice(0, max)
    .map((i) => `${render(i.value)} (${i.count})`)
    .join(", ");

export function buildSpikeMessage(input: SpikeAlertInput): SlackPayload {
  const e = input.explanation;
  const headline = `${input.update ? "Spike growing" : input.grewFrom !== undefined ? "Second, bigger wave" : "Spike"}: ${input.subject} — ${input.brand}`;
  const wave =
    input.grewFrom !== undefined
      ? `\nThe episode already under way peaked at ${input.grewFrom} mentions in an hour; this hour has ${input.count}.`
      : "";
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(maskForSlack(headline), LIMITS.header), emoji: true },
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*${escapeMrkdwn(howFarAboveNormal(input.count, input.expected))}*${wave}\nHour starting ${formatHour(input.ts, input.timeZone)}${input.summary ? `\n${safe(input.summary, 600)}` : ""}`,
          LIMITS.section,
        ),
      },
    },
  ];
  const fields: SlackText[] = [];
  const add = (title: string, body: string) => {
    if (body) fields.push({ type: "mrkdwn", text: truncate(`*${title}*\n${body}`, LIMITS.field) });
  };
  add(
    "What people are saying",
    list(e.terms, (v) => `“${safe(v, 60)}”`, 6),
  );
  add(
    "Categories",
    list(e.categories, (v) => safe(v.replace(/_/g, " "), 60)),
  );
  add(
    "Sources",
    list(e.sources, (v) => safe(v, 60)),
  );
  add(
    "Authors",
    list(e.authors, (v) => safe(v, 60)),
  );
  add(
    "Links",
    list(e.links, (v) => link(`https://${v}`, truncate(maskForSlack(v), 80)), 3),
  );
  if (fields.length > 0) blocks.push({ type: "section", fields: fields.slice(0, 10) });
  if (e.examples.length > 0) {
    const examples = e.examples
      .slice(0, 3)
      .map(
        (ex) =>
          `${quote(ex.text, 280)}\n${ex.source ? `— ${escapeMrkdwn(ex.source)} ` : ""}${httpUrl(ex.url) ? link(ex.url, "open post") : ""}`,
      )
      .join("\n");
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(`*Examples*\n${examples}`, LIMITS.section) },
    });
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `${e.mentions} mentions compared with ${e.baselineMentions} from the same hours of past weeks • score ${input.score.toFixed(1)} (robust z)`,
      },
    ],
  });
  const feed = httpUrl(input.feedUrl);
  if (feed) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open the feed" },
          url: feed,
          action_id: "open_feed",
          style: "primary",
        },
      ],
    });
  }
  const fallback = `${headline}: ${howFarAboveNormal(input.count, input.expected)}`;
  return { text: truncate(escapeMrkdwn(maskForSlack(fallback)), LIMITS.fallback), blocks };
}

export interface UrgentMentionInput {
  brand: string;
  source: string;
  /** Masked text of the post. */
  text: string;
  author?: string | null;
  category: string;
  flags: Flag[];
  /** Why it is urgent, in words ("mentions a lawyer", "high reach: 120k followers"). */
  reasons: string[];
  reach?: number | null;
  createdAt: string;
  /** The post on its platform. */
  postUrl?: string | null;
  /** The mention in Rapport. */
  mentionUrl: string;
  timeZone?: string;
}

const FLAG_WORDS: Partial<Record<Flag, string>> = {
  self_harm: "possible self-harm: reach out with care, today",
  attorney: "represented by or consulting an attorney",
  regulator: "regulator or complaint body involved",
  dispute: "disputes the debt",
  cease_contact: "asked to stop contact",
  bankruptcy: "bankruptcy",
  identity_theft: "identity theft claimed",
  deceased: "about a deceased person",
  servicemember: "servicemember",
  scam_report: "reports someone impersonating us",
};

export function buildUrgentMentionMessage(input: UrgentMentionInput): SlackPayload {
  const headline = `Urgent: ${input.source} post about ${input.brand}`;
  const flags = input.flags.map((f) => FLAG_WORDS[f] ?? f.replace(/_/g, " "));
  const why = [...input.reasons, ...flags];
  const fields: SlackText[] = [
    { type: "mrkdwn", text: `*Severity*\ncritical` },
    { type: "mrkdwn", text: `*Category*\n${safe(input.category.replace(/_/g, " "), 100)}` },
    { type: "mrkdwn", text: `*Source*\n${safe(input.source, 100)}` },
  ];
  if (input.author) fields.push({ type: "mrkdwn", text: `*Author*\n${safe(input.author, 100)}` });
  if (input.reach != null)
    fields.push({ type: "mrkdwn", text: `*Reach*\n${input.reach.toLocaleString("en-US")}` });
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(maskForSlack(headline), LIMITS.header), emoji: true },
    },
    { type: "section", text: { type: "mrkdwn", text: quote(input.text, 2500) } },
    { type: "section", fields },
  ];
  if (why.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*Why it is urgent*\n${why.map((w) => `• ${safe(w, 200)}`).join("\n")}`,
          LIMITS.section,
        ),
      },
    });
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `Posted ${formatHour(input.createdAt, input.timeZone)} • a person must handle this one: no automatic reply`,
      },
    ],
  });
  const buttons: Extract<SlackBlock, { type: "actions" }>["elements"] = [];
  const mention = httpUrl(input.mentionUrl);
  if (mention)
    buttons.push({
      type: "button",
      text: { type: "plain_text", text: "Open in Rapport" },
      url: mention,
      action_id: "open_mention",
      style: "primary",
    });
  const post = httpUrl(input.postUrl);
  if (post)
    buttons.push({
      type: "button",
      text: { type: "plain_text", text: "View post" },
      url: post,
      action_id: "open_post",
    });
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  // The notification text is mrkdwn too: escaped, so a post cannot ping `<!channel>` or plant a link.
  return { text: truncate(escapeMrkdwn(maskForSlack(`${headline}: ${input.text}`)), 300), blocks };
}
