// A real OpenID Connect provider (the `oidc-provider` package) on loopback, for the single
// sign-on journeys: its own login page accepts any password, and each login name below is a
// person whose groups claim the app must map to a role and teams.
import http from "node:http";
import Provider from "oidc-provider";

export const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 3211);
export const IDP_ISSUER = `http://127.0.0.1:${IDP_PORT}`;
export const IDP_CLIENT = { id: "portcullis-e2e", secret: "e2e-client-secret-e2e-client-secret" };

interface Person {
  groups: string[];
  /** Defaults to <login>@idp.test, verified. */
  email?: string;
  emailVerified?: boolean;
}

/** The test people (login name → what the provider says about them). */
export const IDP_PEOPLE: Record<string, Person> = {
  "sso-lead": { groups: ["idp-security", "idp-everyone"] },
  "sso-dev": { groups: ["idp-developers", "idp-payments", "idp-everyone"] },
  "sso-nobody": { groups: ["idp-everyone", "idp-payments"] },
  // Claims a local admin's address that the provider never verified.
  "sso-impostor": { groups: ["idp-developers"], email: "local-admin@idp.test", emailVerified: false },
};

/** The app's mapping for these groups (what an operator would put in its environment). */
export const IDP_APP_ENV = {
  OIDC_ISSUER: IDP_ISSUER,
  OIDC_CLIENT_ID: IDP_CLIENT.id,
  OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
  OIDC_NAME: "Test IdP",
  OIDC_ROLE_MAP: "idp-security=security_lead,idp-developers=engineer",
  OIDC_TEAM_MAP: "idp-payments=Payments",
};

export function startIdentityProvider(appOrigin: string): Promise<http.Server> {
  const provider = new Provider(IDP_ISSUER, {
    clients: [
      {
        client_id: IDP_CLIENT.id,
        client_secret: IDP_CLIENT.secret,
        redirect_uris: [`${appOrigin}/api/auth/callback/oidc`],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // Claims in the ID token itself, as Okta, Entra ID and Keycloak can be set to do.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      if (!(sub in IDP_PEOPLE)) return undefined;
      return {
        accountId: sub,
        claims: async () => {
          const person = IDP_PEOPLE[sub];
          return { sub, email: person.email ?? `${sub}@idp.test`, email_verified: person.emailVerified ?? true, name: sub, groups: person.groups };
        },
      };
    },
    cookies: { keys: ["e2e-idp-cookie-key-e2e-idp-cookie-key"] },
    features: { devInteractions: { enabled: true } },
  });
  provider.on("server_error", (_ctx, error) => console.error("[idp]", error));
  const server = http.createServer(provider.callback());
  return new Promise((resolve) => server.listen(IDP_PORT, "127.0.0.1", () => resolve(server)));
}
