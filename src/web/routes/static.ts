import { Hono } from "hono";
import { STATIC_ASSETS } from "../static/assets.js";

export function staticRoutes() {
  return new Hono().get("/:file", (c) => {
    const asset = STATIC_ASSETS[c.req.param("file")];
    if (!asset) return c.text("Not found", 404);
    // Asset URLs carry a content version, so they can be cached for a year.
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(asset.body, 200, { "Content-Type": asset.type });
  });
}
