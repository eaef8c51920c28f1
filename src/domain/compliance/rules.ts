// The rules a PUBLIC reply is checked against (DESIGN.md "Compliance rules"; reference/compliance.md §2–3).
// The explanations are shown to reputation managers beside each highlighted hit, so they say why it matters.
import type { Platform } from "../taxonomy.js";

export const RULE_CODES = [
  "B1",
  "B2",
  "B3",
  "B4",
  "B5",
  "B6",
  "B7",
  "B8",
  "B9",
  "B10",
  "B11",
  "B12",
  "R_EMPATHY",
  "R_PRIVATE_CHANNEL",
  "R_BRAND",
  "R_LENGTH",
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface RuleInfo {
  code: RuleCode;
  title: string;
  explanation: string;
  /** "block" rules forbid something present; "require" rules demand something missing. */
  kind: "block" | "require";
}

export const RULES: Record<RuleCode, RuleInfo> = {
  B1: {
    code: "B1",
    kind: "block",
    title: "Confirms a relationship or a debt",
    explanation:
      "A public reply that implies the person has an account, a balance or a debt with us tells everyone who reads it that they are in collections. That is a third-party disclosure (FDCPA §805(b)) and a public social-media communication about a debt (Reg F §1006.22(f)(4)). The reply must stay true even if the poster is not a customer at all.",
  },
  B2: {
    code: "B2",
    kind: "block",
    title: "Amount, date or identifier",
    explanation:
      "Amounts, dates of service, account or reference numbers, last-4 digits and account-specific links are information about a debt; posting them publicly discloses it to third parties.",
  },
  B3: {
    code: "B3",
    kind: "block",
    title: "Names a creditor, client or debt type",
    explanation:
      "Naming the creditor we collect for, or a debt type such as a hospital bill or a student loan, reveals what the person owes and to whom. For medical debts it can also expose health information (HIPAA).",
  },
  B4: {
    code: "B4",
    kind: "block",
    title: "Personal data",
    explanation:
      "Never publish personal data: a real name the poster did not use, phone numbers or e-mail addresses that are not our own, street addresses, dates of birth, SSNs, employers, or anyone else's name. It is nonpublic personal information (GLBA) and can identify the person to their contacts.",
  },
  B5: {
    code: "B5",
    kind: "block",
    title: "Threat",
    explanation:
      "Mentioning lawsuits, courts, garnishment, arrest, police, credit reports or immigration in public reads as a threat. FDCPA §807(4)–(5) forbids threatening action that cannot legally be taken or is not intended, and §806 forbids harassment.",
  },
  B6: {
    code: "B6",
    kind: "block",
    title: "Blame or argument",
    explanation:
      "Blaming the person or arguing about the facts in public escalates the complaint, confirms that there is a debt, and can be harassment or abuse (FDCPA §806). Take the conversation private instead.",
  },
  B7: {
    code: "B7",
    kind: "block",
    title: "Collection disclosure in public",
    explanation:
      'The mini-Miranda ("this is an attempt to collect a debt", "this is from a debt collector") belongs in private communications. In a public reply it announces to everyone that the person is being collected from.',
  },
  B8: {
    code: "B8",
    kind: "block",
    title: "Payment request or offer",
    explanation:
      "Asking for payment, linking to a payment page or offering a settlement or discount in public is collection activity on a public channel (Reg F §1006.22(f)(4)) and discloses the debt.",
  },
  B9: {
    code: "B9",
    kind: "block",
    title: "Legal or unverifiable claim",
    explanation:
      "Statements about whether a debt is valid, time-barred or legally owed, or that imply attorney or government status, risk a false or misleading representation (FDCPA §807) and disclose the debt. Legal questions belong with a manager or counsel, in private.",
  },
  B10: {
    code: "B10",
    kind: "block",
    title: "Profanity, sarcasm or contempt",
    explanation:
      "Profane, sarcastic or dismissive wording is abusive conduct (FDCPA §806) and damages both our brand and the client's. Every reply should read as respectful to someone having a hard time.",
  },
  B11: {
    code: "B11",
    kind: "block",
    title: "Second public reply in the thread",
    explanation:
      "We answer publicly once per thread, then continue in private. A public back-and-forth invites disclosures and arguments.",
  },
  B12: {
    code: "B12",
    kind: "block",
    title: "About someone else's debt",
    explanation:
      "Saying anything about a third party's debt (a spouse, a parent, a deceased relative) discloses it to the poster and to everyone reading, without that person's consent (FDCPA §805(b)).",
  },
  R_EMPATHY: {
    code: "R_EMPATHY",
    kind: "require",
    title: "Empathy that admits nothing",
    explanation:
      'Acknowledge the person\'s experience ("we\'re sorry to hear…", "thank you for sharing…") without admitting fault or facts about an account; admissions are for a private conversation after the facts are checked.',
  },
  R_PRIVATE_CHANNEL: {
    code: "R_PRIVATE_CHANNEL",
    kind: "require",
    title: "Invitation to a private channel",
    explanation:
      "Invite the person to a private, company-controlled channel (our phone line, contact page or a direct message) and never ask for details in public: anything they post in reply is public too.",
  },
  R_BRAND: {
    code: "R_BRAND",
    kind: "require",
    title: "Company or team name",
    explanation:
      "A reply must identify who is speaking (Reg F §1006.18(f) forbids hiding the collector's identity) — sign with the company or team name.",
  },
  R_LENGTH: {
    code: "R_LENGTH",
    kind: "require",
    title: "Too long for the platform",
    explanation:
      "The reply must fit the platform (X allows 280 characters, with every link counted as 23) and stay short: one brief public answer, then a private conversation.",
  },
};

/** "B1 · Confirms a relationship or a debt": the code people search for, with its plain name beside it. */
export function ruleLabel(code: string): string {
  const rule = RULES[code as RuleCode];
  return rule ? `${code} · ${rule.title}` : code;
}

/**
 * Hard platform limits and the brevity cap we apply on top. Sources: X counts 280 weighted characters with
 * links as 23 (t.co); Google Business Profile review replies take up to 4,096 bytes; Facebook comments 8,000
 * characters; Reddit comments 10,000 characters; Trustpilot publishes no figure we could verify. Guidance on
 * public replies in collections is "short and sweet" (reference/compliance.md §3), hence the 1,000-character cap.
 */
export const PLATFORM_LIMITS: Record<Platform, { maxChars: number; weighted: boolean }> = {
  x: { maxChars: 280, weighted: true },
  google: { maxChars: 1000, weighted: false },
  facebook: { maxChars: 1000, weighted: false },
  trustpilot: { maxChars: 1000, weighted: false },
  reddit: { maxChars: 1000, weighted: false },
  generic: { maxChars: 1000, weighted: false },
};
