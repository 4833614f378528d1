// The demo organisation: who works there, what they build and where it runs.
import type { Role } from "@/lib/generated/prisma/enums";

export const DEMO_TEAMS = ["Payments", "Storefront", "Platform", "Data"] as const;

export const DEMO_USERS: { email: string; name: string; role: Role; teams: string[] }[] = [
  { email: "admin@portcullis.demo", name: "Alex Admin", role: "admin", teams: [] },
  { email: "lead@portcullis.demo", name: "Sam Lead", role: "security_lead", teams: [] },
  { email: "pat@portcullis.demo", name: "Pat Engineer", role: "engineer", teams: ["Payments"] },
  { email: "morgan@portcullis.demo", name: "Morgan Manager", role: "manager", teams: ["Payments", "Storefront"] },
];

interface Placement {
  cluster: string;
  namespace: string;
  workload: string;
}

export interface DemoService {
  repository: string;
  baseVersion: string;
  fixture: string;
  /** more Trivy fixtures whose results this image's scans carry too (secrets, Dockerfile checks) */
  alsoFound?: string[];
  /** where each version runs (version i runs in runsIn[i % length]) */
  runsIn: Placement[];
}

const at = (cluster: string, namespace: string, name: string): Placement => ({ cluster, namespace, workload: `deployment/${name}` });

export const DEMO_SERVICES: DemoService[] = [
  { repository: "registry.acme.dev/payments/checkout-api", baseVersion: "2.4", fixture: "trivy_fluentd-gems.json", runsIn: [at("prod-eu", "payments", "checkout-api"), at("prod-us", "payments", "checkout-api")] },
  { repository: "registry.acme.dev/payments/payment-gateway", baseVersion: "1.9", fixture: "trivy_spring4shell-jre11.json", runsIn: [at("prod-eu", "payments", "payment-gateway")] },
  { repository: "registry.acme.dev/payments/ledger", baseVersion: "3.1", fixture: "trivy_centos-7.json", runsIn: [at("prod-us", "payments", "ledger")] },
  { repository: "registry.acme.dev/storefront/web-frontend", baseVersion: "5.0", fixture: "trivy_alpine-310.json", alsoFound: ["trivy_secrets.json", "trivy_dockerfile.json"], runsIn: [at("prod-eu", "storefront", "web-frontend"), at("staging", "storefront", "web-frontend")] },
  { repository: "registry.acme.dev/storefront/catalog-search", baseVersion: "1.2", fixture: "trivy_ubuntu-1804.json", runsIn: [at("prod-eu", "storefront", "catalog-search")] },
  { repository: "registry.acme.dev/storefront/cart", baseVersion: "0.8", fixture: "trivy_alpine-distroless.json", runsIn: [at("prod-us", "storefront", "cart")] },
  { repository: "registry.acme.dev/platform/ingress-proxy", baseVersion: "1.27", fixture: "trivy_distroless-base.json", runsIn: [at("prod-eu", "platform", "ingress-proxy"), at("prod-us", "platform", "ingress-proxy")] },
  { repository: "registry.acme.dev/platform/auth-service", baseVersion: "4.2", fixture: "trivy_debian-buster.json", runsIn: [at("prod-eu", "platform", "auth-service")] },
  { repository: "registry.acme.dev/platform/metrics-agent", baseVersion: "0.14", fixture: "trivy_alpine-310.json", runsIn: [at("staging", "platform", "metrics-agent")] },
  { repository: "registry.acme.dev/data/etl-runner", baseVersion: "2.0", fixture: "trivy_ubuntu-1804.json", runsIn: [at("prod-us", "data", "etl-runner")] },
  { repository: "registry.acme.dev/data/warehouse-loader", baseVersion: "1.5", fixture: "trivy_centos-7.json", runsIn: [at("prod-us", "data", "warehouse-loader")] },
  { repository: "registry.acme.dev/data/report-builder", baseVersion: "0.9", fixture: "trivy_debian-buster.json", runsIn: [at("staging", "data", "report-builder")] },
  { repository: "docker.io/library/redis-cache", baseVersion: "7.2", fixture: "trivy_alpine-distroless.json", runsIn: [at("prod-us", "kube-system", "redis-cache")] },
];
