// GET /api/health — readiness: the database answers and the server is not shutting down. No auth (load balancers call it).
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ public: true }, async () => {
  // Set by scripts/serve.mjs on SIGTERM: finishing in-flight work, take no new traffic.
  if ((globalThis as { portcullisStopping?: boolean }).portcullisStopping) return Response.json({ status: "stopping", db: "ok" }, { status: 503 });
  try {
    await db.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", db: "ok" });
  } catch {
    return Response.json({ status: "degraded", db: "unreachable" }, { status: 503 });
  }
});
