// Request shapes for the mention verbs: the API validates with them and /api/openapi.json is generated from them.
import { z } from "zod";
import { CATEGORIES, FLAGS, MENTION_STATUSES, SEVERITIES } from "../../domain/taxonomy.js";

/** HTML GET forms send empty fields as ""; they mean "no filter". */
const blankable = <T extends z.ZodType>(schema: T) => z.union([z.literal(""), schema]).optional();

const instantText = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO date (2026-01-31) or date-time");

export const mentionFiltersSchema = z.object({
  source: blankable(z.string().max(200)).describe("source name"),
  brand: blankable(z.string().max(200)).describe("brand slug"),
  category: blankable(z.enum(CATEGORIES)),
  severity: blankable(z.enum(SEVERITIES)),
  status: blankable(z.enum(MENTION_STATUSES)),
  assignee: blankable(z.union([z.enum(["me", "none"]), z.string().regex(/^\d+$/)])).describe(
    '"me", "none" or a user id',
  ),
  flag: blankable(z.enum(FLAGS)),
  relevant: blankable(z.enum(["true", "false"])),
  q: blankable(z.string().max(300)).describe(
    "full-text search (words; the last one also matches as a prefix)",
  ),
  work: blankable(z.enum(["mine", "approvals"])).describe(
    'My work\'s lists: "mine" (open, assigned to me, near-duplicates once) or "approvals" (with a reply I may approve)',
  ),
  since: blankable(instantText).describe("created at or after"),
  until: blankable(instantText).describe("created before"),
});

/** How a list of mentions can be ordered (the feed's sort control, `GET /api/mentions?sort=`). */
export const LIST_SORTS = ["newest", "oldest", "sla", "severity"] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export const listMentionsQuerySchema = mentionFiltersSchema.extend({
  sort: blankable(z.enum(LIST_SORTS)).describe(
    '"newest" (default), "oldest", "sla": most urgent first, open items only, or "severity": most severe first (critical, high, medium, low, unclassified), newest first within each',
  ),
  grouped: blankable(z.enum(["true", "false"])).describe(
    "collapse near-duplicates under their first mention",
  ),
  limit: blankable(z.coerce.number().int().min(1).max(200)),
  next: blankable(z.string().max(200)).describe("cursor from the previous page"),
});
export type ListMentionsQuery = z.infer<typeof listMentionsQuerySchema>;
export type MentionFilters = z.infer<typeof mentionFiltersSchema>;

export const mentionIdsSchema = z.array(z.coerce.number().int().positive()).min(1).max(500);

export const changeStatusSchema = z.object({
  ids: mentionIdsSchema,
  status: z.enum(MENTION_STATUSES),
  confirmHumanOnly: z
    .boolean()
    .optional()
    .describe(
      "required to dismiss a mention that needs a person (self_harm, attorney, dispute… flags): without it the request is refused with 409",
    ),
});

export const assignSchema = z.object({
  ids: mentionIdsSchema,
  /** null unassigns; "me" is the caller. */
  assignee: z.union([z.literal("me"), z.number().int().positive(), z.null()]),
});

export const correctClassificationSchema = z.object({
  category: z.enum(CATEGORIES),
  severity: z.enum(SEVERITIES),
  flags: z.array(z.enum(FLAGS)).default([]),
});

export const addNoteSchema = z.object({ body: z.string().trim().min(1).max(5000) });
