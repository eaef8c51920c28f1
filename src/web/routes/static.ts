import { Hono } from "hono";
import { FAVICON_ICO, STATIC_ASSETS } from "../static/assets.js";

export function staticRoutes() {
  return new Hono().get("/:file", (c) => {
    const asset = STATIC_ASSETS[c.req.param("file")];
    if (!asset) return c.text("Not found", 404);
    // Asset URLs carry a content version, so they can be cached for a year.
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(asset.body, 200, { "Content-Type": asset.type });
  });
}

/** GET /favicon.ico: browsers ask for it on every site; a day's cache (the URL carries no version). */
export function faviconRoute() {
  return new Hono().get("/favicon.ico", (c) =>
    c.body(FAVICON_ICO, 200, { "Content-Type": "image/x-icon", "Cache-Control": "public, max-age=86400" }),
  );
}
