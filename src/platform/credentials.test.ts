import { describe, expect, it } from "vitest";
import { isSealed, isSecretField, openCredentials, sealCredentials } from "./credentials.js";
import { isUpstreamError as isConnectorError } from "./http/errors.js";

const SECRET = "first-secret-first-secret-first-secret-00";
const OTHER = "other-secret-other-secret-other-secret-00";
const config = {
  query: '"Acme Recovery"',
  clientId: "p-jcoLKBynTLew",
  clientSecret: "gko_LXELoV07ZBNUXrvWZfzE3aI",
  bearerToken: "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA-bearer",
  pageSize: 3,
};

describe("source credentials at rest", () => {
  it("knows credential fields by name, whatever the connector", () => {
    for (const name of ["clientSecret", "bearerToken", "pageAccessToken", "password", "apiKey", "appKey"]) {
      expect(isSecretField(name), name).toBe(true);
    }
    for (const name of ["query", "clientId", "tokenUrl", "baseUrl", "username", "locationId"]) {
      expect(isSecretField(name), name).toBe(false);
    }
  });

  it("seals only the credentials, differently each time, and opens them back", async () => {
    const sealed = await sealCredentials(config, SECRET);
    expect(sealed).toMatchObject({ query: config.query, clientId: config.clientId, pageSize: 3 });
    expect(isSealed(sealed.clientSecret)).toBe(true);
    expect(isSealed(sealed.bearerToken)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain(config.clientSecret);
    expect(JSON.stringify(sealed)).not.toContain(config.bearerToken);
    const again = await sealCredentials(config, SECRET);
    expect(again.clientSecret).not.toBe(sealed.clientSecret); // a fresh IV per value
    expect(await openCredentials(sealed, SECRET, "reddit-acme")).toEqual(config);
  });

  it("leaves sealed values alone when sealing again, and passes plain text through when opening", async () => {
    const sealed = await sealCredentials(config, SECRET);
    expect(await sealCredentials(sealed, SECRET)).toEqual(sealed);
    expect(await openCredentials(config, SECRET, "legacy")).toEqual(config);
  });

  it("refuses another RAPPORT_SECRET with an error naming the source, the field and the fix", async () => {
    const sealed = await sealCredentials(config, SECRET);
    const failure = await openCredentials(sealed, OTHER, "reddit-acme").catch((e: unknown) => e);
    expect(isConnectorError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(
      /source "reddit-acme": the stored `clientSecret` does not open with this RAPPORT_SECRET.*restore the RAPPORT_SECRET/,
    );
    expect((failure as Error).message).not.toContain(config.clientSecret);
  });

  it("binds each sealed value to its field: moved into another field, it does not open", async () => {
    const sealed = await sealCredentials(config, SECRET);
    const swapped = { ...sealed, bearerToken: sealed.clientSecret };
    await expect(openCredentials(swapped, SECRET, "x-acme")).rejects.toThrow(/`bearerToken` does not open/);
  });
});
