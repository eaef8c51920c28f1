import type { AuthUser } from "../../auth/types.js";
import { Layout } from "./layout.js";

export function ErrorPage({
  status,
  message,
  user,
}: {
  status: number;
  message: string;
  user: AuthUser | null;
}) {
  return (
    <Layout title={`Error ${status}`} user={user}>
      <section class="panel narrow">
        <h1>{status === 404 ? "Not found" : status === 403 ? "Not allowed" : "Something went wrong"}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to Today</a>
        </p>
      </section>
    </Layout>
  );
}
