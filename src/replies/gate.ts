// Moved to src/services/replies/gate.ts. Kept only until the importers edited with the move (mention-page.tsx,
// mention-row.ts) are committed by their owners; then deleted.
export * from "../services/replies/gate.js";
