// RSS 2.0 / Atom feeds: Google Alerts, Reddit's Atom search feeds, news, any feed. A feed is already a query,
// so every entry with text is stored. The body is fetched through the shared HTTP client (timeouts, 429
// Retry-After, backoff) and parsed with rss-parser's parseString; dedup is on the entry id.
import { createHash } from "node:crypto";
import Parser from "rss-parser";
import { z } from "zod";
import { stripMarkup } from "../src/domain/content.js";
import { ConnectorError } from "./errors.js";
import type { Connector, NormalizedMention } from "./types.js";

export const rssConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) feed URL" }),
  /**
   * Entries stored per page. A feed longer than this is stored over several pages of the same poll (the cursor
   * says where the next page starts), so nothing is dropped.
   */
  maxItems: z.number().int().positive().max(5000).default(500),
});
export type RssConfig = z.infer<typeof rssConfigSchema>;

type FeedItem = Parser.Item & { id?: string; author?: string; updated?: string };

// `defaultRSS: 2`: many real feeds send `<rss>` without a version attribute (rss-parser rejects those otherwise).
const parser = () =>
  new Parser<Record<string, unknown>, FeedItem>({ customFields: { item: ["updated"] }, defaultRSS: 2 });

/**
 * A feed's text from its bytes: the charset the server or the XML declaration names; otherwise UTF-8, and when
 * the bytes are not valid UTF-8 (a Latin-1 feed that declares nothing), windows-1252, the web's reading of it.
 */
export function decodeFeed(bytes: Uint8Array, contentType: string | null): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 200));
  const declared =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? "")?.[1] ??
    /^\s*(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // An unknown label: fall through to detection.
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** Google Alerts wraps every link in a redirect: take the real article URL from its `url` parameter. */
export function unwrapLink(link: string | undefined): string | null {
  if (!link) return null;
  try {
    const url = new URL(link);
    if (/(^|\.)google\.[a-z.]+$/.test(url.hostname) && url.pathname === "/url") {
      return url.searchParams.get("url") ?? url.searchParams.get("q") ?? link;
    }
    return link;
  } catch {
    return null;
  }
}

/** Reddit's Atom entries end with "submitted by /u/x [link] [comments]": chrome, not what the person said. */
function dropRedditChrome(text: string): string {
  return text.replace(/\s*submitted by\s+\/u\/[\w-]+[\s\S]*$/i, "").trim();
}

export function normalizeEntry(item: FeedItem, fetchedAt: Date): NormalizedMention | null {
  const title = stripMarkup(item.title ?? "");
  const body = dropRedditChrome(stripMarkup(item.content ?? item.contentSnippet ?? item.summary ?? ""));
  const text = [title, body && body !== title ? body : ""].filter(Boolean).join("\n").trim();
  if (!text) return null;
  const link = unwrapLink(item.link);
  const externalId =
    item.id ??
    item.guid ??
    link ??
    createHash("sha256")
      .update(`${title}\n${item.isoDate ?? ""}`)
      .digest("hex");
  const author = (item.author ?? item.creator ?? "").trim();
  const created = item.isoDate ? new Date(item.isoDate) : null;
  return {
    externalId,
    url: link,
    authorHandle: author ? author.replace(/^\/?u\//, "") : null,
    authorName: author || null,
    text,
    createdAt: created && !Number.isNaN(created.getTime()) ? created : fetchedAt,
    threadId: externalId,
    raw: { id: item.id ?? item.guid, title: item.title, link: item.link, isoDate: item.isoDate },
  };
}

export async function parseFeed(xml: string, origin: string): Promise<FeedItem[]> {
  const trimmed = xml.replace(/^\uFEFF/, "").trim();
  if (!trimmed) throw new ConnectorError("payload", `${origin} returned an empty body instead of a feed`);
  try {
    const feed = await parser().parseString(trimmed);
    return feed.items;
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    const hint = /^<!doctype html|^<html/i.test(trimmed)
      ? " (it returned an HTML page: check the URL points at the feed itself)"
      : "";
    throw new ConnectorError("payload", `${origin} did not return a valid RSS/Atom feed: ${reason}${hint}`, {
      cause: error,
    });
  }
}

export const rssConnector: Connector<RssConfig> = {
  type: "rss",
  label: "RSS / Atom feed",
  configSchema: rssConfigSchema,
  async poll({ config, cursor, http, now, signal }) {
    const headers: Record<string, string> = {
      accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    };
    // Mid-feed (a long feed stored over several pages) the feed is fetched whole again: a conditional request
    // would answer 304 and strand the rest.
    const resumeAfter = typeof cursor?.resumeAfter === "string" ? cursor.resumeAfter : null;
    if (!resumeAfter && typeof cursor?.etag === "string") headers["if-none-match"] = cursor.etag;
    if (!resumeAfter && typeof cursor?.lastModified === "string")
      headers["if-modified-since"] = cursor.lastModified;
    const response = await http.request(config.url, { headers, acceptStatus: [304], signal });
    if (response.status === 304) return { mentions: [], cursor, hasMore: false };
    const origin = new URL(config.url).host;
    const xml = decodeFeed(
      new Uint8Array(await response.arrayBuffer()),
      response.headers.get("content-type"),
    );
    const all = (await parseFeed(xml, origin))
      .map((item) => normalizeEntry(item, now))
      .filter((m): m is NormalizedMention => m !== null);
    // Resume after the last entry stored; if the feed has dropped it meanwhile, start over (dedup absorbs it).
    const resumeAt = resumeAfter ? all.findIndex((m) => m.externalId === resumeAfter) + 1 : 0;
    const mentions = all.slice(resumeAt, resumeAt + config.maxItems);
    const last = mentions.at(-1);
    if (last && resumeAt + config.maxItems < all.length) {
      return { mentions, cursor: { resumeAfter: last.externalId }, hasMore: true };
    }
    const etag = response.headers.get("etag");
    const lastModified = response.headers.get("last-modified");
    return {
      mentions,
      cursor: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) },
      hasMore: false,
    };
  },
  async testConnection({ config, http, signal }) {
    const response = await http.request(config.url, { retries: 0, signal });
    const xml = decodeFeed(
      new Uint8Array(await response.arrayBuffer()),
      response.headers.get("content-type"),
    );
    const items = await parseFeed(xml, new URL(config.url).host);
    return `Feed OK: ${items.length} entries`;
  },
};
