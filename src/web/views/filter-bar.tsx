// The filter form: a plain GET form, so every filtered view is a URL that can be bookmarked or saved.
import { CATEGORIES, FLAGS, MENTION_STATUSES, SEVERITIES } from "../../domain/taxonomy.js";
import type { FilterOptions } from "../../services/mentions/filter-options.js";

export type FilterValues = Partial<Record<string, string>>;

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value?: string;
  options: [string, string][];
}) {
  return (
    <label>
      {label}
      <select name={name}>
        <option value="">any</option>
        {options.map(([v, text]) => (
          <option value={v} selected={value === v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

const words = (code: string) => code.replace(/_/g, " ");

export function FilterBar({
  action,
  values,
  options,
}: {
  action: string;
  values: FilterValues;
  options: FilterOptions;
}) {
  return (
    <form class="filters" method="get" action={action} id="filters">
      <label class="search">
        Search
        <input type="search" name="q" value={values.q ?? ""} placeholder="words… (press /)" id="search" />
      </label>
      <Select
        name="brand"
        label="Brand"
        value={values.brand}
        options={options.brands.map((b) => [b.slug, b.name])}
      />
      <Select
        name="source"
        label="Source"
        value={values.source}
        options={options.sources.map((s) => [s.name, s.name])}
      />
      <Select
        name="category"
        label="Category"
        value={values.category}
        options={CATEGORIES.map((c) => [c, words(c)])}
      />
      <Select
        name="severity"
        label="Severity"
        value={values.severity}
        options={SEVERITIES.map((s) => [s, s])}
      />
      <Select
        name="status"
        label="Status"
        value={values.status}
        options={MENTION_STATUSES.map((s) => [s, words(s)])}
      />
      <Select
        name="assignee"
        label="Assignee"
        value={values.assignee}
        options={[
          ["me", "me"],
          ["none", "nobody"],
          ...options.users.map((u): [string, string] => [String(u.id), u.email]),
        ]}
      />
      <Select name="flag" label="Flag" value={values.flag} options={FLAGS.map((f) => [f, words(f)])} />
      <label>
        From
        <input type="date" name="since" value={values.since ?? ""} />
      </label>
      <label>
        To
        <input type="date" name="until" value={values.until ?? ""} />
      </label>
      {/* Filtering the queue keeps it the queue. */}
      {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
      <button type="submit">Filter</button>
      <a href={values.sort ? `${action}?sort=${encodeURIComponent(values.sort)}` : action} class="reset">
        Reset
      </a>
    </form>
  );
}
