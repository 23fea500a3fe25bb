// A real OpenID Connect provider for the test suite: the certified `oidc-provider` package (npm), in its own process.
//
// Usage: node tests/oidc/provider.mjs  (configuration from the environment, see below)
//   OIDC_TEST_PORT           port on 127.0.0.1
//   OIDC_TEST_CLIENT_ID      client id of the platform
//   OIDC_TEST_CLIENT_SECRET  its secret
//   OIDC_TEST_REDIRECT_URIS  space-separated callback addresses of the platform
//   OIDC_TEST_LOGOUT_URIS    space-separated addresses the provider may send the browser back to after log-out
//   OIDC_TEST_ACCOUNTS       JSON {"login": {claims...}}: the people who can log in (any password is accepted by the
//                            provider's own development log-in page); a login not listed gets no claim but `sub`.
// Prints "ready <issuer>" once it listens.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_TEST_PORT || "8419");
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || "{}");
const split = (value) => (value || "").split(/\s+/).filter(Boolean);

const configuration = {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID || "plateforme",
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET || "secret-de-test",
      redirect_uris: split(process.env.OIDC_TEST_REDIRECT_URIS),
      post_logout_redirect_uris: split(process.env.OIDC_TEST_LOGOUT_URIS),
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    },
  ],
  // Claims as ProConnect names them (given_name, usual_name, uid, siret) plus the standard ones and two that an
  // académie's own provider could send (academie, uai).
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["given_name", "family_name", "usual_name"],
    given_name: ["given_name"],
    usual_name: ["usual_name"],
    uid: ["uid"],
    siret: ["siret"],
    uai: ["uai"],
    academie: ["academie"],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts[id] || {}) };
      },
    };
  },
  // The claims go into the ID token too, as many providers do (the platform reads both).
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true }, // the provider's own log-in and consent pages
    rpInitiatedLogout: { enabled: true }, // end_session_endpoint
  },
  pkce: { required: () => true },
  ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Session: 3600, Interaction: 600, Grant: 3600 },
  cookies: { keys: ["tests-only-not-secret-cookie-key"] },
};

const provider = new Provider(issuer, configuration);
provider.on("server_error", (ctx, error) => console.error("server_error", error));
provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
