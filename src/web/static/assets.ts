// Static assets served by the app itself (no CDN; the CSP allows only 'self').
import { createHash } from "node:crypto";
import { appCss } from "./app-css.js";
import { appJs } from "./app-js.js";
import { labelsJs } from "./labels-js.js";

/** Changes whenever an asset changes, so pages can ask browsers to cache assets for a long time. */
export const ASSET_VERSION = createHash("sha256")
  .update(appCss)
  .update(appJs)
  .update(labelsJs)
  .digest("hex")
  .slice(0, 10);

export const STATIC_ASSETS: Record<string, { body: string; type: string }> = {
  "app.css": { body: appCss, type: "text/css; charset=utf-8" },
  "app.js": { body: appJs, type: "text/javascript; charset=utf-8" },
  "labels.js": { body: labelsJs, type: "text/javascript; charset=utf-8" },
};
