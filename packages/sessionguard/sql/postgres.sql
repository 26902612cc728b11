-- sessionguard PostgreSQL session store, schema version 1.
-- Apply once (idempotent), then use postgresStore({ createTable: false, ... }).
-- Times are milliseconds since the Unix epoch; id is SHA-256 of the token, never the token.

CREATE TABLE IF NOT EXISTS "public"."sessionguard_sessions" (
  id text PRIMARY KEY,
  user_id text NULL,
  created_at bigint NOT NULL,
  authenticated_at bigint NULL,
  last_seen_at bigint NOT NULL,
  idle_timeout bigint NOT NULL,
  absolute_timeout bigint NOT NULL,
  expires_at bigint NOT NULL,
  version integer NOT NULL,
  data text NOT NULL,
  meta jsonb NOT NULL,
  successor text NULL
);
CREATE INDEX IF NOT EXISTS "sessionguard_sessions_user_id" ON "public"."sessionguard_sessions" (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS "sessionguard_sessions_expires_at" ON "public"."sessionguard_sessions" (expires_at);
COMMENT ON TABLE "public"."sessionguard_sessions" IS 'sessionguard sessions, schema version 1';
