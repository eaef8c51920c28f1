// "Needs a label" (issue 13): reviewers label the mentions the local model was least sure of. Triage roles only.
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../../deps.js";
import { CATEGORIES } from "../../domain/taxonomy.js";
import { badRequest } from "../../errors.js";
import { labelMention } from "../../services/classification/label-mention.js";
import { listNeedsLabel } from "../../services/classification/list-needs-label.js";
import type { WebEnv } from "../context.js";
import { requirePermission } from "../middleware/auth.js";
import { validate } from "../validate.js";
import { LabelsPage } from "../views/labels-page.js";

const idParam = z.object({ id: z.coerce.number().int().positive() });
const labelForm = z.object({ category: z.enum(CATEGORIES) });
const doneQuery = z.object({ done: z.coerce.number().int().positive(), as: z.enum(CATEGORIES) });

export function labelsRoutes(deps: Deps) {
  return new Hono<WebEnv>()
    .get("/labels", requirePermission("triage"), async (c) => {
      const user = c.get("user");
      const items = await listNeedsLabel(deps, user);
      const done = doneQuery.safeParse(c.req.query());
      return c.html(
        <LabelsPage
          user={user}
          csrfToken={c.get("auth")?.csrfToken ?? null}
          items={items}
          done={done.success ? { id: done.data.done, category: done.data.as } : undefined}
        />,
      );
    })
    .post("/labels/:id", requirePermission("triage"), validate("param", idParam), async (c) => {
      const id = c.req.valid("param").id;
      const parsed = labelForm.safeParse(await c.req.parseBody());
      if (!parsed.success)
        throw badRequest(
          `category must be one of ${CATEGORIES.join(", ")}: pick a code or "not collections"`,
        );
      await labelMention(deps, c.get("user"), id, parsed.data.category);
      return c.redirect(`/labels?done=${id}&as=${parsed.data.category}`, 303);
    });
}
