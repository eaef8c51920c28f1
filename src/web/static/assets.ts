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

/**
 * The tab icon (a white speech bubble on the accent blue, 32×32 PNG inside an ICO), served at /favicon.ico where
 * browsers ask for it. Inline bytes rather than a file so the Workers build serves it too.
 */
const FAVICON_BASE64 =
  "AAABAAEAICAAAAEAIACdAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAGRJREFUeNrt11EOABAMA9BdxaXc0Dn5kxAhRLeRNvHd92cV6RJiysgns6DLpwit8iFCu7xBWJVXBAGuAbdCAAEEEEDAu4AVRvU3RJQfA0zuAUT5NoAn2Z8A82HiYpq5GKdW87wAkaPKV7+/6VMAAAAASUVORK5CYII=";
export const FAVICON_ICO: ArrayBuffer = Uint8Array.from(atob(FAVICON_BASE64), (c) => c.charCodeAt(0)).buffer;
