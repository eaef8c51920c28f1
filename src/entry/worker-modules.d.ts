// Wrangler bundles these as text (wrangler.toml [[rules]]).
declare module "*.md" {
  const text: string;
  export default text;
}
