import { Layout } from "./layout.js";

export function LoginPage({ next, error, email }: { next: string; error?: string; email?: string }) {
  return (
    <Layout title="Sign in" user={null}>
      <section class="panel narrow login">
        <h1>Rapport</h1>
        <p class="muted">Sign in to triage what people say about you.</p>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <form method="post" action={`/login?next=${encodeURIComponent(next)}`}>
          <label>
            E-mail
            <input type="email" name="email" autocomplete="username" required autofocus value={email ?? ""} />
          </label>
          <label>
            Password
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
      </section>
    </Layout>
  );
}
