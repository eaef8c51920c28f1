import { Readable, Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDeps, type TestDeps } from "../../test/helpers/deps.js";
import { verifyPassword } from "../auth/password.js";
import { users } from "../db/schema/index.js";
import type { CliContext } from "./types.js";
import { usersCommand } from "./users.js";

let deps: TestDeps;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(async () => {
  await deps.cleanup();
});

function context(input: string, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = Object.assign(Readable.from([input]), { isTTY });
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _enc, done) {
        into.push(chunk.toString());
        done();
      },
    });
  const ctx: CliContext = { stdin, stdout: sink(out), stderr: sink(err), deps: async () => deps };
  return { ctx, out, err };
}

describe("rapport users add", () => {
  it("adds a user with the password from stdin", async () => {
    const { ctx, out } = context("a long enough password\n");
    const code = await usersCommand.run(
      ["add", "--email", "Ana@Example.com", "--role", "manager", "--password-stdin"],
      ctx,
    );
    expect(code).toBe(0);
    expect(out.join("")).toContain("Added ana@example.com (manager)");
    const [row] = await deps.db.select().from(users).where(eq(users.email, "ana@example.com"));
    expect(row!.role).toBe("manager");
    expect(await verifyPassword("a long enough password", row!.passwordHash)).toBe(true);
  });

  it("prints a one-time invitation link with --invite", async () => {
    const { ctx, out } = context("");
    expect(
      await usersCommand.run(["add", "--email", "bo@example.com", "--role", "viewer", "--invite"], ctx),
    ).toBe(0);
    expect(out.join("")).toMatch(/http:\/\/localhost:8787\/welcome\/[\w-]+/);
  });

  it("refuses a bad role, a short password, a duplicate, and a missing terminal", async () => {
    await expect(
      usersCommand.run(["add", "--email", "x@example.com", "--role", "owner"], context("").ctx),
    ).rejects.toThrow(/--role must be one of/);
    const short = context("short\n");
    expect(
      await usersCommand.run(
        ["add", "--email", "x@example.com", "--role", "admin", "--password-stdin"],
        short.ctx,
      ),
    ).toBe(1);
    expect(short.err.join("")).toMatch(/at least 10 characters/);
    await expect(
      usersCommand.run(["add", "--email", "x@example.com", "--role", "admin"], context("").ctx),
    ).rejects.toThrow(/--password-stdin/);
    await usersCommand.run(
      ["add", "--email", "d@example.com", "--role", "admin", "--password-stdin"],
      context("a long enough password").ctx,
    );
    const dup = context("a long enough password");
    expect(
      await usersCommand.run(
        ["add", "--email", "d@example.com", "--role", "admin", "--password-stdin"],
        dup.ctx,
      ),
    ).toBe(1);
    expect(dup.err.join("")).toMatch(/already exists/);
  });
});
