-- Every process that caches verified API tokens (lib/tokens/verified-cache.ts) listens on this
-- channel: a token revoked, expired, rebound or deleted (also by cascade or TRUNCATE) is
-- forgotten by every replica as soon as the change commits. Updates of "lastUsedAt" alone do not
-- notify (they are not a change of what the token may do).
CREATE OR REPLACE FUNCTION api_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portcullis_api_token', TG_OP);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS api_token_changed ON "ApiToken";
CREATE TRIGGER api_token_changed
  AFTER UPDATE OF "revokedAt", "expiresAt", scopes, "teamId", "clusterId", hash, prefix OR DELETE OR TRUNCATE ON "ApiToken"
  FOR EACH STATEMENT EXECUTE FUNCTION api_token_changed();
