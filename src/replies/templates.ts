// The default reply library: one safe public reply per category, with a short variant for X. Teams edit their
// own copies in the dashboard; these are the starting point and the offline fallback for Claude drafts.
// Every default passes the compliance linter for every platform (see templates.test.ts): they confirm nothing,
// stay true if the poster is not a customer, and move the conversation to a private channel.

import { classifyContact } from "../domain/accounts/normalize.js";
import type { Category, Platform } from "../domain/taxonomy.js";

export interface ReplyTemplate {
  id: string;
  /** "*" matches every category. */
  category: Category | "*";
  /** "*" matches every platform. */
  platform: Platform | "*";
  /** Placeholders: {brand} (the signature) and {contact} (our private channels). */
  body: string;
}

const INVITE = "Please reach our team privately at {contact} and mention this post.";

const LONG: Record<Category, string> = {
  debt_not_owed: `We're sorry for the confusion and frustration this has caused. We'd like to look into it with you. ${INVITE} — {brand}`,
  written_notice: `Thank you for raising this. Everyone should have clear information, and we'd like to help. ${INVITE} — {brand}`,
  communication_tactics: `We're sorry to hear about this experience. Everyone who contacts us should be treated with respect, and we'd like to look into it. ${INVITE} — {brand}`,
  false_statements: `We're sorry to hear this. We take concerns like this seriously and would like to look into it. ${INVITE} — {brand}`,
  legal_threats: `We're sorry this has been so stressful. Nobody should feel intimidated, and we'd like to look into what happened. ${INVITE} — {brand}`,
  privacy: `We're sorry to hear this and understand how concerning it is. Privacy matters to us, and we'd like to look into it right away. ${INVITE} — {brand}`,
  payment_service: `We're sorry for the trouble. We'd like to help sort this out. ${INVITE} — {brand}`,
  other_collections: `Thank you for sharing this. We're sorry to hear about your experience and would like to help. ${INVITE} — {brand}`,
  praise:
    "Thank you for the kind words! We're glad to hear our team treated you with respect, and we'll pass this along. If you ever need us, reach us privately at {contact}. — {brand}",
  not_collections:
    "Thanks for reaching out. If there's anything we can help with, please contact our team privately at {contact}. — {brand}",
};

const SHORT: Record<Category, string> = {
  debt_not_owed:
    "We're sorry for the confusion. We'd like to look into it: please reach us privately at {contact}. — {brand}",
  written_notice:
    "Thanks for raising this. We'd like to help: please reach us privately at {contact}. — {brand}",
  communication_tactics:
    "We're sorry to hear this. Everyone should be treated with respect; please reach us privately at {contact}. — {brand}",
  false_statements:
    "We're sorry to hear this and would like to look into it. Please reach us privately at {contact}. — {brand}",
  legal_threats:
    "We're sorry this has been stressful. We'd like to look into it: please reach us privately at {contact}. — {brand}",
  privacy:
    "We're sorry to hear this and would like to look into it. Please reach us privately at {contact}. — {brand}",
  payment_service:
    "Sorry for the trouble. We'd like to help: please reach us privately at {contact}. — {brand}",
  other_collections:
    "We're sorry to hear this and would like to help. Please reach us privately at {contact}. — {brand}",
  praise:
    "Thank you for the kind words! We'll pass them along. If you ever need us, reach us privately at {contact}. — {brand}",
  not_collections:
    "Thanks for reaching out. If we can help, please contact us privately at {contact}. — {brand}",
};

export const DEFAULT_TEMPLATES: ReplyTemplate[] = [
  ...(Object.entries(LONG) as [Category, string][]).map(([category, body]) => ({
    id: `default-${category}`,
    category,
    platform: "*" as const,
    body,
  })),
  ...(Object.entries(SHORT) as [Category, string][]).map(([category, body]) => ({
    id: `default-${category}-x`,
    category,
    platform: "x" as const,
    body,
  })),
  {
    id: "default-any",
    category: "*",
    platform: "*",
    body: `Thank you for sharing this. We're sorry to hear about your experience and would like to help. ${INVITE} — {brand}`,
  },
];

/** The most specific template: exact category and platform, then category, then platform, then any. */
export function chooseTemplate(
  category: Category,
  platform: Platform,
  templates: readonly ReplyTemplate[] = DEFAULT_TEMPLATES,
): ReplyTemplate | null {
  const ranked: [Category | "*", Platform | "*"][] = [
    [category, platform],
    [category, "*"],
    ["*", platform],
    ["*", "*"],
  ];
  for (const [wantCategory, wantPlatform] of ranked) {
    const found = templates.find((t) => t.category === wantCategory && t.platform === wantPlatform);
    if (found) return found;
  }
  return null;
}

/** "1-800-555-0100 or example.com/contact": a phone and a web address, the two channels anyone can use. */
export function formatContact(ownContacts: readonly string[]): string {
  const classified = ownContacts.map((raw) => ({ raw: raw.trim(), kind: classifyContact(raw)?.kind }));
  const phone = classified.find((c) => c.kind === "phone")?.raw;
  const web =
    classified.find((c) => c.kind === "url")?.raw ?? classified.find((c) => c.kind === "email")?.raw;
  const handle = classified.find((c) => c.kind === "handle")?.raw;
  const picked = [phone, web].filter((c): c is string => Boolean(c));
  if (picked.length === 0 && handle) return handle;
  return picked.join(" or ");
}

/** Fills {brand} and {contact}; without any own contact the invitation becomes a direct-message one. */
export function renderTemplate(
  body: string,
  values: { brand: string; ownContacts: readonly string[] },
): string {
  const contact = formatContact(values.ownContacts);
  let text = body;
  if (!contact) {
    text = text
      .replace(/\s(?:at|on|via)\s\{contact\}/g, " by direct message")
      .replace(/\{contact\}/g, "a direct message");
  }
  return text.replace(/\{brand\}/g, values.brand.trim()).replace(/\{contact\}/g, contact);
}
