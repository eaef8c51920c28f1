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
  /** Cap on entries taken from one fetch (huge feeds). */
  maxItems: z.number().int().positive().max(5000).default(500),
});
export type RssConfig = z.infer<typeof rssConfigSchema>;

type FeedItem = Parser.Item & { id?: string; author?: string; updated?: string };

const parser = () => new Parser<Record<string, unknown>, FeedItem>({ customFields: { item: ["updated"] } });

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
  async poll({ config, cursor, http, now }) {
    const headers: Record<string, string> = {
      accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    };
    if (typeof cursor?.etag === "string") headers["if-none-match"] = cursor.etag;
    if (typeof cursor?.lastModified === "string") headers["if-modified-since"] = cursor.lastModified;
    const response = await http.request(config.url, { headers, acceptStatus: [304] });
    if (response.status === 304) return { mentions: [], cursor, hasMore: false };
    const origin = new URL(config.url).host;
    const items = await parseFeed(await response.text(), origin);
    const mentions = items
      .slice(0, config.maxItems)
      .map((item) => normalizeEntry(item, now))
      .filter((m): m is NormalizedMention => m !== null);
    const etag = response.headers.get("etag");
    const lastModified = response.headers.get("last-modified");
    return {
      mentions,
      cursor: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) },
      hasMore: false,
    };
  },
  async testConnection({ config, http }) {
    const response = await http.request(config.url, { retries: 0 });
    const items = await parseFeed(await response.text(), new URL(config.url).host);
    return `Feed OK: ${items.length} entries`;
  },
};
