// Audit and history entries as sentences people read ("Dana moved it from new to drafting", "Sam approved the
// reply") instead of action codes and JSON. The audit log keeps its codes and values (they are the evidence and
// the CSV/API contract); only what the dashboard shows goes through here. Unknown actions still read as words,
// so an action added later shows up readably before anyone writes its sentence.
import { ruleLabel } from "./compliance/rules.js";

export interface AuditEntryLike {
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface DescribeOptions {
  /**
   * How the sentence names the thing the entry is about: "it" on that thing's own page (a mention's history),
   * "mention 12" and the like in the audit log (the default).
   */
  subject?: "it" | "named";
  /** A person's name from their user id (assignments, user changes); falls back to "person <id>". */
  personName?: (id: number) => string | undefined;
  /** Who did it; defaults to actorName (the e-mail, or "Rapport" for the system's own entries). */
  actorName?: (actor: string | null) => string;
}

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** "payment_service" → "payment service"; codes people see are words. */
export function words(code: string): string {
  return code.replace(/[_.]+/g, " ").trim();
}

/** A quoted excerpt, at most `max` characters, on one line. */
function quote(text: string, max = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `“${line.length > max ? `${line.slice(0, max - 1)}…` : line}”`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const ENTITY_WORDS: Record<string, string> = {
  mention: "mention",
  reply: "reply",
  reply_template: "template",
  user: "person",
  source: "source",
  brand: "brand",
  account: "account",
  account_link: "account link",
  api_token: "API token",
  digest_recipient: "digest recipient",
  spike: "spike alert",
  spike_key: "spike alert",
  outbox: "message",
  workspace: "workspace",
  rights_event: "rights event",
  audit_log: "audit log",
};

/** "mention 12", "source 3": what an entry is about, in words. */
export function entityName(entityType: string, entityId: string | null): string {
  const word = ENTITY_WORDS[entityType] ?? words(entityType);
  return entityId ? `${word} ${entityId}` : word;
}

/** The checks' rule codes with their plain names: "B1 · Confirms a relationship or a debt". */
function rules(value: unknown): string {
  return list(strings(value).map(ruleLabel));
}

function lintOutcome(after: Fields): string {
  const flagged = strings(after.rules);
  if (flagged.length > 0) return `; the checks flagged ${rules(flagged)}`;
  return after.ok === true ? "; it passes the checks" : "";
}

const ORIGINS: Record<string, string> = {
  template: "from a template",
  claude: "with Claude",
  manual: "in their own words",
};

/** Names for the audit page's action filter and its rows' headline: what happened, without who. */
export const ACTION_NAMES: Record<string, string> = {
  "mention.status": "Mention status changed",
  "mention.assign": "Mention assigned",
  "mention.note": "Note added",
  "mention.classification": "Classification corrected",
  "reply.draft": "Reply drafted",
  "reply.edit": "Reply edited",
  "reply.submit": "Reply sent for approval",
  "reply.approve": "Reply approved",
  "reply.approval_stopped": "Approval stopped",
  "reply.reject": "Reply sent back",
  "reply.post": "Reply posted",
  "reply.post_failed": "Posting failed",
  "reply.posting": "Posting started",
  "reply.not_posted": "Marked not posted",
  "reply.warnings_accepted": "Warnings accepted",
  "reply.submit_blocked": "Submit blocked by the checks",
  "complaint.company_response": "CFPB company response recorded",
  "complaint.final_response": "CFPB final response recorded",
  "reply.takeover": "Mention taken over",
  "template.create": "Template added",
  "template.update": "Template changed",
  "template.delete": "Template deleted",
  "user.create": "Person added",
  "user.update": "Person changed",
  "user.reset_link": "Reset link created",
  "user.accept_invite": "Invitation accepted",
  "user.reset_password": "Password reset",
  "token.create": "API token created",
  "token.revoke": "API token revoked",
  "source.add": "Source added",
  "source.test_config": "Connection tested",
  "source.poll": "Source polled",
  "source.edit": "Source changed",
  "source.rotate_credentials": "Credentials rotated",
  "source.pause": "Source paused",
  "source.resume": "Source resumed",
  "source.remove": "Source removed",
  "source.rotate_token": "Push token replaced",
  "alerts.slack_webhook": "Slack webhook changed",
  "alerts.test_message": "Test alert sent",
  "alerts.spike_sensitivity": "Spike sensitivity changed",
  "alerts.brand_spike_sensitivity": "Brand spike sensitivity changed",
  "alerts.spike_feedback": "Spike alert rated",
  "alerts.spike_mute": "Spike alert muted",
  "alerts.spike_snooze": "Spike alert snoozed",
  "alerts.spike_unmute": "Spike alert unmuted",
  "digest.recipient_add": "Digest recipient added",
  "digest.recipient_remove": "Digest recipient removed",
  "digest.test_copy": "Test digest sent",
  "outbox.retry": "Delivery retried",
  "account.import_csv": "Accounts imported (file)",
  "account.import_api": "Accounts received (API)",
  "account.list": "Accounts looked up",
  "account_link.view": "Linked accounts viewed",
  "account_link.confirm": "Account link confirmed",
  "account_link.reject": "Account link rejected",
  "account_link.carry": "Account link carried over",
  "rights_event.create": "Rights event recorded",
  "rights_event.view": "Rights events viewed",
  "rights_event.export": "Rights events exported",
  "legal_hold.place": "Legal hold placed",
  "legal_hold.lift": "Legal hold lifted",
  "audit.purged": "Old audit entries removed",
  "workspace.settings": "Workspace settings changed",
};

/** "Reply approved"; an action without a name reads as its words ("source pause" → "Source pause"). */
export function actionName(action: string): string {
  const named = ACTION_NAMES[action];
  if (named) return named;
  const text = words(action);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The system's own entries (jobs, the pipeline) are recorded as "system" or with no actor. */
export function actorName(actor: string | null): string {
  return actor === null || actor === "system" ? "Rapport" : actor;
}

/** What the actor did, after their name: "moved it from new to drafting". */
function predicate(entry: AuditEntryLike, options: DescribeOptions): string {
  const named = options.subject !== "it";
  const it = named ? entityName(entry.entityType, entry.entityId) : "it";
  const person = (id: unknown) => {
    const n = num(id);
    if (n === undefined) return "nobody";
    return options.personName?.(n) ?? `person ${n}`;
  };
  const before = fields(entry.before);
  const after = fields(entry.after);
  const theReply = named && entry.entityId ? `reply ${entry.entityId}` : "the reply";

  switch (entry.action) {
    case "mention.status": {
      const from = str(before.status);
      const to = str(after.status) ?? "another status";
      return from ? `moved ${it} from ${words(from)} to ${words(to)}` : `moved ${it} to ${words(to)}`;
    }
    case "mention.assign":
      return num(after.assigneeId) === undefined
        ? `unassigned ${it}${num(before.assigneeId) !== undefined ? ` (was ${person(before.assigneeId)})` : ""}`
        : person(after.assigneeId) === (options.actorName ?? actorName)(entry.actor)
          ? `assigned ${it} to themselves`
          : `assigned ${it} to ${person(after.assigneeId)}`;
    case "mention.note": {
      // A viewer's history has the body replaced by "[hidden]" (notes quote personal data): no quote then.
      const body = str(after.body);
      const shown = body && body !== "[hidden]" ? `: ${quote(body)}` : "";
      return `added a note${named ? ` to ${it}` : ""}${shown}`;
    }
    case "mention.classification": {
      const changes: string[] = [];
      if (before.category !== after.category && str(after.category))
        changes.push(
          `category ${str(before.category) ? `${words(str(before.category)!)} → ` : ""}${words(str(after.category)!)}`,
        );
      if (before.severity !== after.severity && str(after.severity))
        changes.push(
          `severity ${str(before.severity) ? `${str(before.severity)} → ` : ""}${str(after.severity)}`,
        );
      const was = new Set(strings(before.flags));
      const now = new Set(strings(after.flags));
      const added = [...now].filter((f) => !was.has(f)).map(words);
      const removed = [...was].filter((f) => !now.has(f)).map(words);
      if (added.length > 0) changes.push(`flagged ${list(added)}`);
      if (removed.length > 0)
        changes.push(`removed the flag${removed.length > 1 ? "s" : ""} ${list(removed)}`);
      if (before.relevant !== after.relevant && typeof after.relevant === "boolean")
        changes.push(after.relevant ? "marked it about collections" : "marked it not about collections");
      return changes.length > 0
        ? `corrected the classification${named ? ` of ${it}` : ""}: ${changes.join("; ")}`
        : `confirmed the classification${named ? ` of ${it}` : ""}`;
    }
    case "reply.draft": {
      const origin = ORIGINS[str(after.origin) ?? ""] ?? "";
      const mention = num(after.mentionId);
      const fallback = str(after.fallbackReason);
      return `drafted ${theReply}${named && mention ? ` to mention ${mention}` : ""}${origin ? ` ${origin}` : ""}${lintOutcome(after)}${fallback ? ` (Claude was not used: ${fallback})` : ""}`;
    }
    case "reply.edit":
      return `edited ${theReply}${str(before.status) === "awaiting_approval" ? ", taking it back from approval" : ""}${lintOutcome(after)}`;
    case "reply.submit":
      return `sent ${theReply} for approval`;
    case "reply.approve":
      return `approved ${theReply}`;
    case "reply.approval_stopped":
      return `stopped the approval of ${theReply}: it no longer passes the checks${strings(after.rules).length ? ` (${rules(after.rules)})` : ""}, so it went back to draft`;
    case "reply.reject": {
      const reason = str(after.reason);
      return `sent ${theReply} back${reason ? `: ${quote(reason, 160)}` : ""}`;
    }
    case "reply.post": {
      const via = str(after.via);
      if (via === "dry_run") return `posted ${theReply} as a dry run (nothing was published)`;
      if (via === "manual") return `marked ${theReply} posted (copied to the platform by hand)`;
      return `posted ${theReply}`;
    }
    case "reply.posting": {
      const source = str(after.source);
      return `started posting ${theReply}${source ? ` to ${source}` : ""}`;
    }
    case "reply.not_posted":
      return `checked the platform after an interrupted post: ${theReply} was not there, so it is approved again`;
    case "reply.post_failed": {
      const source = str(after.source);
      const error = str(after.error);
      return `could not post ${theReply}${source ? ` to ${source}` : ""}${error ? `: ${error}` : ""}`;
    }
    case "reply.warnings_accepted":
      return `accepted the checks' warnings on ${theReply}${strings(after.rules).length ? `: ${rules(after.rules)}` : ""}`;
    case "reply.submit_blocked":
      return `tried to send ${theReply} for approval, but the checks stopped it${strings(after.rules).length ? ` (${rules(after.rules)})` : ""}`;
    case "complaint.company_response":
    case "complaint.final_response": {
      const on = str(after.on);
      const outcome = str(after.outcome);
      const what = entry.action === "complaint.company_response" ? "company response" : "final response";
      return `recorded that the CFPB ${what} to ${it} went out${on ? ` on ${on}` : ""}${outcome ? ` (${outcome})` : ""}`;
    }
    case "reply.takeover":
      return `took ${it} over, as it needs a person rather than a template`;
    case "template.create":
    case "template.update":
    case "template.delete": {
      const name = str(after.name) ?? str(before.name) ?? str(after.title) ?? str(before.title);
      const verb =
        entry.action === "template.create"
          ? "added"
          : entry.action === "template.update"
            ? "changed"
            : "deleted";
      return `${verb} the template${name ? ` ${quote(name)}` : named && entry.entityId ? ` ${entry.entityId}` : ""}`;
    }
    case "user.create": {
      const email = str(after.email) ?? (named ? it : "a person");
      const role = str(after.role);
      return after.invited === false
        ? `created an account for ${email}${role ? ` as ${role}` : ""}`
        : `invited ${email}${role ? ` as ${role}` : ""}`;
    }
    case "user.update": {
      const who = num(Number(entry.entityId)) !== undefined ? person(Number(entry.entityId)) : "a person";
      const changes: string[] = [];
      if (str(after.role) && before.role !== after.role)
        changes.push(`changed ${who}'s role from ${str(before.role) ?? "none"} to ${str(after.role)}`);
      if (typeof after.disabled === "boolean" && before.disabled !== after.disabled)
        changes.push(`${after.disabled ? "disabled" : "enabled"} ${who}`);
      return changes.length > 0 ? changes.join(" and ") : `saved ${who} unchanged`;
    }
    case "user.reset_link": {
      const who = num(Number(entry.entityId)) !== undefined ? person(Number(entry.entityId)) : "a person";
      return `created a single-use password link for ${who}`;
    }
    case "user.accept_invite":
      return "accepted the invitation and chose a password";
    case "user.reset_password": {
      const tokens = num(after.apiTokensRevoked);
      return `set a new password; other sessions ended${tokens ? `, ${plural(tokens, "API token")} revoked` : ""}`;
    }
    case "token.create": {
      const name = str(after.name);
      const scope = str(after.scope) === "write" ? "read and write" : "read only";
      return `created the API token${name ? ` ${quote(name)}` : ""} (${scope})`;
    }
    case "token.revoke":
      return "revoked an API token";
    case "source.add": {
      const name = str(after.name);
      const type = str(after.type);
      return `added the source${name ? ` ${quote(name)}` : ""}${type ? ` (${words(type)})` : ""}`;
    }
    case "source.test_config": {
      const type = str(after.type);
      return `tested a${type ? ` ${words(type)}` : ""} connection: ${after.ok === true ? "it worked" : "it failed"}`;
    }
    case "source.poll": {
      const inserted = num(after.inserted);
      return `polled ${named ? it : "the source"} now${inserted !== undefined ? `: ${plural(inserted, "new mention")}` : ""}`;
    }
    case "source.edit":
    case "source.rotate_credentials": {
      const name = str(after.name) ?? str(before.name);
      const fields = Array.isArray(after.credentialsChanged) ? after.credentialsChanged.map(String) : [];
      const source = name ? `the source ${quote(name)}` : named ? it : "a source";
      const credentials =
        fields.length > 0
          ? `new ${fields.map((f) => f.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()).join(", ")}`
          : "";
      if (entry.action === "source.rotate_credentials")
        return `rotated the credentials of ${source} (${credentials})`;
      const renamed =
        str(before.name) && name && before.name !== name ? `, renamed from ${quote(str(before.name)!)}` : "";
      return `changed the settings of ${source}${renamed}${credentials ? `; ${credentials}` : ""}`;
    }
    case "source.rotate_token": {
      const name = str(after.name);
      return `issued a new push token for ${name ? `the source ${quote(name)}` : named ? it : "a source"}`;
    }
    case "source.pause":
    case "source.resume": {
      const name = str(after.name);
      return `${entry.action === "source.pause" ? "paused" : "resumed"} ${name ? `the source ${quote(name)}` : named ? it : "a source"}`;
    }
    case "source.remove": {
      const name = str(before.name);
      const kept = num(after.mentionsKept);
      return `removed ${name ? `the source ${quote(name)}` : named ? it : "a source"}${kept !== undefined ? ` (its ${plural(kept, "mention")} kept)` : ""}`;
    }
    case "alerts.slack_webhook":
      return str(after.slackWebhook)
        ? `set the Slack webhook${named ? ` of ${it}` : ""}`
        : `removed the Slack webhook${named ? ` of ${it}` : ""}`;
    case "alerts.test_message":
      return `sent a test alert to Slack${named ? ` for ${it}` : ""}`;
    case "alerts.spike_sensitivity":
    case "alerts.brand_spike_sensitivity":
      return `set spike alerts${entry.action === "alerts.brand_spike_sensitivity" && named ? ` for ${it}` : ""} from ${str(before.spikeSensitivity) ?? "the default"} to ${str(after.spikeSensitivity) ?? "the default"}`;
    case "alerts.spike_feedback":
      return `marked a spike alert as ${after.useful === true ? "useful" : "not useful"}`;
    case "alerts.spike_mute":
      return "muted a spike alert until it is unmuted";
    case "alerts.spike_snooze": {
      const until = str(after.until);
      return `snoozed a spike alert${until ? ` until ${until.slice(0, 16).replace("T", " ")} UTC` : ""}`;
    }
    case "alerts.spike_unmute":
      return "unmuted a spike alert";
    case "digest.recipient_add": {
      const email = str(after.email);
      const tz = str(after.timeZone);
      return `added ${email ?? "a recipient"} to the weekly digest${tz ? ` (${tz})` : ""}`;
    }
    case "digest.recipient_remove":
      return `removed ${str(before.email) ?? "a recipient"} from the weekly digest`;
    case "digest.test_copy":
      return `sent a test copy of the ${str(after.week) ?? "weekly"} digest${str(after.to) ? ` to ${str(after.to)}` : ""}`;
    case "outbox.retry":
      return `retried a ${str(before.status) === "failed" ? "failed " : ""}alert delivery`;
    case "account.import_csv":
    case "account.import_api": {
      const created = num(after.created);
      const updated = num(after.updated);
      const how =
        entry.action === "account.import_csv"
          ? "imported accounts from a file"
          : "sent accounts through the API";
      return created !== undefined || updated !== undefined
        ? `${how}: ${created ?? 0} new, ${updated ?? 0} updated`
        : how;
    }
    case "account.list":
      return str(after.q)
        ? `searched the accounts for ${quote(str(after.q)!)}`
        : "looked at the accounts list";
    case "account_link.view":
      return `looked at the accounts linked to ${it}`;
    case "account_link.confirm":
    case "account_link.reject": {
      const account = num(after.accountId);
      const mention = num(after.mentionId);
      const score = num(after.score);
      const verb = entry.action === "account_link.confirm" ? "confirmed" : "rejected";
      return `${verb} the link${mention !== undefined && named ? ` from mention ${mention}` : ""}${account !== undefined ? ` to account ${account}` : ""}${score !== undefined ? ` (suggested at ${score}/100)` : ""}`;
    }
    case "account_link.carry": {
      const account = num(after.accountId);
      return `linked a follow-up post to ${account !== undefined ? `account ${account}` : "an account"}, as the earlier post by the same author was`;
    }
    case "rights_event.create":
      return `recorded ${plural(Array.isArray(after.events) ? after.events.length : (num(after.events) ?? 1), "rights event")}${named ? ` for ${it}` : ""}`;
    case "rights_event.view":
      return "looked at the rights events";
    case "rights_event.export": {
      const rows = num(after.rows);
      return `exported the rights events${rows !== undefined ? ` (${plural(rows, "row")})` : ""}`;
    }
    case "legal_hold.place": {
      const reason = str(after.reason);
      return `placed a legal hold on ${it}${reason ? `: ${quote(reason, 160)}` : ""}`;
    }
    case "legal_hold.lift":
      return `lifted the legal hold on ${it}`;
    case "audit.purged": {
      const entries = num(after.entries);
      return `removed ${entries !== undefined ? plural(entries, "audit entry", "audit entries") : "audit entries"} past the retention period`;
    }
    case "workspace.settings": {
      const changes = changeLines(entry.before, entry.after).map(
        (l) => `${l.field} from ${l.from ?? "unset"} to ${l.to ?? "unset"}`,
      );
      return `changed the workspace settings${changes.length > 0 ? `: ${changes.join("; ")}` : ""}`;
    }
    default:
      return `${words(entry.action)}${named ? ` (${it})` : ""}`;
  }
}

/** The whole sentence: "Dana moved it from new to drafting." */
export function describeAuditEntry(entry: AuditEntryLike, options: DescribeOptions = {}): string {
  const who = (options.actorName ?? actorName)(entry.actor);
  const text = `${who} ${predicate(entry, options)}`;
  return /[.!?…”]$/.test(text) ? text : `${text}.`;
}

/** A value as text: words for codes, lists joined, nested fields as "name: value"; never JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return /^[a-z]+(_[a-z]+)+$/.test(value) ? words(value) : value;
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(valueText).join(", ");
  return Object.entries(value as Fields)
    .map(([k, v]) => `${fieldName(k)}: ${valueText(v)}`)
    .join("; ");
}

/** "assigneeId" → "assignee id", "last_error" → "last error". */
export function fieldName(key: string): string {
  return words(key.replace(/([a-z])([A-Z])/g, "$1 $2")).toLowerCase();
}

/**
 * An entry's recorded values as lines a person reads ("status: new → triaged", "reason: Too long"): the
 * evidence behind the sentence, for the audit page's details. Fields equal before and after are left out.
 */
export function changeLines(
  before: unknown,
  after: unknown,
): { field: string; from?: string; to?: string }[] {
  const b = fields(before);
  const a = fields(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const lines: { field: string; from?: string; to?: string }[] = [];
  for (const key of keys) {
    const had = key in b;
    const has = key in a;
    if (had && has && JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
    lines.push({
      field: fieldName(key),
      ...(had ? { from: valueText(b[key]) } : {}),
      ...(has ? { to: valueText(a[key]) } : {}),
    });
  }
  // A value that is not an object of fields (rare) still shows, as itself.
  if (keys.length === 0) {
    if (before !== null && before !== undefined) lines.push({ field: "before", to: valueText(before) });
    if (after !== null && after !== undefined) lines.push({ field: "after", to: valueText(after) });
  }
  return lines;
}
