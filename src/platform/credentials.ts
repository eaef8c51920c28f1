// Connector credentials (tokens, secrets, passwords) are sealed before they are stored: AES-256-GCM under a key
// derived from RAPPORT_SECRET, bound to the field's name. A copy of the database or a backup then carries no
// live API credentials, and one sealed value cannot be moved into another field. WebCrypto, so the same code
// runs on Node and on Workers. Values stored before sealing existed still open (plain text passes through);
// `npm start` and `rapport migrate` seal them.
import { UpstreamError as ConnectorError } from "./http/errors.js";

const SEALED_PREFIX = "sealed:v1:";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Credentials: shown as password inputs, never put back into a page or a log, sealed at rest. */
export function isSecretField(name: string): boolean {
  return /(secret|token|password|apikey|appkey)$/i.test(name);
}

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(SEALED_PREFIX);
}

async function sealingKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode("rapport"),
      info: encoder.encode("source-credentials/v1"),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const toBase64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const fromBase64Url = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));

/** The config with every credential field sealed (already sealed values are kept as they are). */
export async function sealCredentials(
  config: Record<string, unknown>,
  secret: string,
): Promise<Record<string, unknown>> {
  const fields = Object.entries(config).filter(
    ([name, value]) => isSecretField(name) && typeof value === "string" && !isSealed(value),
  );
  if (fields.length === 0) return config;
  const key = await sealingKey(secret);
  const sealed = { ...config };
  for (const [name, value] of fields) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const cipher = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(name) },
      key,
      encoder.encode(value as string),
    );
    sealed[name] = `${SEALED_PREFIX}${toBase64Url(iv)}.${toBase64Url(new Uint8Array(cipher))}`;
  }
  return sealed;
}

/**
 * The config with its credentials opened, for the connector. A value that does not open was sealed under another
 * RAPPORT_SECRET (or altered): the error says which source and field, and the two ways out.
 */
export async function openCredentials(
  config: Record<string, unknown>,
  secret: string,
  sourceName: string,
): Promise<Record<string, unknown>> {
  const fields = Object.entries(config).filter(([, value]) => isSealed(value));
  if (fields.length === 0) return config;
  const key = await sealingKey(secret);
  const opened = { ...config };
  for (const [name, value] of fields) {
    const [iv = "", cipher = ""] = (value as string).slice(SEALED_PREFIX.length).split(".");
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64Url(iv), additionalData: encoder.encode(name) },
        key,
        fromBase64Url(cipher),
      );
      opened[name] = decoder.decode(plain);
    } catch (error) {
      throw new ConnectorError(
        "config",
        `source "${sourceName}": the stored \`${name}\` does not open with this RAPPORT_SECRET (it was sealed under another one, or altered): restore the RAPPORT_SECRET it was stored with, or add the source again with its credentials`,
        { cause: error },
      );
    }
  }
  return opened;
}
