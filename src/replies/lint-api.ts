// Moved to src/domain/compliance/lint.ts. Kept only until src/deps.ts (edited with the move) is committed; then deleted.
export type { BrandContextLoader, BrandLintContext } from "../domain/compliance/lint.js";
