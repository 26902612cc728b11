import { createHash } from "node:crypto";

/**
 * The Lua scripts of the Redis store. Each touches keys of ONE hash slot
 * only (one session record, or the index keys of one user), so every script
 * runs atomically on a single node of a Redis Cluster as well as on a single
 * server. Numbers cross the script boundary as decimal strings.
 *
 * Key layout (`P` is the prefix):
 * - `Ps:<id>` — hash of one session: `r` record JSON, `v` version,
 *   `e` expiresAt, `u` userId (absent for anonymous sessions).
 * - `P{u:<userId>}:e` — sorted set, session id → expiresAt (upper bound).
 * - `P{u:<userId>}:c` — sorted set, session id → createdAt (eviction order).
 * - `P{u:<userId>}:x` — sorted set of ids being evicted (still indexed, so a
 *   revoke-all finds them if the eviction never completes).
 */
export interface RedisScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
  readonly keys: number;
}

function script(name: string, keys: number, lua: string): RedisScript {
  return { name, keys, lua, sha: createHash("sha1").update(lua).digest("hex") };
}

// Keeps a key alive at least `ttl` ms from now, never shortening it: index
// keys must outlive the longest-lived session they point to.
const EXTEND = `
local function extend(key, ttl)
  local current = redis.call('PTTL', key)
  if current == -1 or (current >= 0 and current < ttl) then redis.call('PEXPIRE', key, ttl) end
end
`;

// ZREM in slices: unpack() of a very large table overflows Lua's C stack.
const REMOVE_ALL = `
local function removeAll(key, ids)
  for i = 1, #ids, 500 do
    redis.call('ZREM', key, unpack(ids, i, math.min(i + 499, #ids)))
  end
end
`;

/** KEYS: record. ARGV: json, version, expiresAt, hasUser (1/0), userId, ttl. Returns 1, or 0 if the id exists. */
export const CREATE_RECORD = script(
  "create-record",
  1,
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'v', ARGV[2], 'e', ARGV[3])
if ARGV[4] == '1' then redis.call('HSET', KEYS[1], 'u', ARGV[5]) end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
`,
);

/**
 * Adds a session to its user's index, applying the per-user limit.
 * KEYS: e, c, x. ARGV: now, pruneAtOrBefore, id, createdAt, expiresAt, ttl,
 * max (0 = no limit), policy ("reject" | "evict-oldest").
 * Returns `{0}` when rejected (nothing written), otherwise
 * `{1, n, evicted_1..evicted_n, pending...}`: the ids this call evicted, then
 * every id still awaiting deletion (those plus leftovers of failed calls).
 */
export const RESERVE = script(
  "reserve",
  3,
  `${EXTEND}${REMOVE_ALL}
local e, c, x = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
local dead = redis.call('ZRANGEBYSCORE', e, '-inf', ARGV[2])
if #dead > 0 then removeAll(e, dead); removeAll(c, dead) end
local max = tonumber(ARGV[7])
local evicted = {}
if max > 0 then
  local excess = redis.call('ZCOUNT', e, '(' .. ARGV[1], '+inf') - max + 1
  if excess > 0 then
    if ARGV[8] == 'reject' then return {0} end
    local ordered = redis.call('ZRANGE', c, 0, -1)
    for i = 1, #ordered do
      if #evicted >= excess then break end
      local expires = redis.call('ZSCORE', e, ordered[i])
      if expires and tonumber(expires) > now then evicted[#evicted + 1] = ordered[i] end
    end
    if #evicted > 0 then
      removeAll(e, evicted); removeAll(c, evicted)
      for i = 1, #evicted do redis.call('ZADD', x, ARGV[1], evicted[i]) end
    end
  end
end
redis.call('ZADD', e, ARGV[5], ARGV[3])
redis.call('ZADD', c, ARGV[4], ARGV[3])
local ttl = tonumber(ARGV[6])
extend(e, ttl); extend(c, ttl)
local result = {1, #evicted}
for i = 1, #evicted do result[#result + 1] = evicted[i] end
local pending = redis.call('ZRANGE', x, 0, -1)
if #pending > 0 then extend(x, ttl) end
for i = 1, #pending do result[#result + 1] = pending[i] end
return result
`,
);

/**
 * Versioned write. KEYS: record. ARGV: expectedVersion, now, json, version,
 * expiresAt, hasUser (1/0), userId, ttl. Returns `{0}` on a version mismatch,
 * a missing or an expired record; `{1}` or `{1, previousUserId}` on success.
 */
export const UPDATE_RECORD = script(
  "update-record",
  1,
  `
local current = redis.call('HMGET', KEYS[1], 'v', 'e', 'u')
if not current[1] or current[1] ~= ARGV[1] or tonumber(current[2]) <= tonumber(ARGV[2]) then return {0} end
redis.call('HSET', KEYS[1], 'r', ARGV[3], 'v', ARGV[4], 'e', ARGV[5])
if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'u', ARGV[7]) else redis.call('HDEL', KEYS[1], 'u') end
redis.call('PEXPIRE', KEYS[1], ARGV[8])
if current[3] then return {1, current[3]} end
return {1}
`,
);

/**
 * Makes sure a session is in its user's index with an expiry at least
 * `expiresAt`. KEYS: e, c, x. ARGV: id, createdAt, expiresAt, ttl.
 * Returns 2 when it added the id, 1 when it was there, 0 when the id is
 * being evicted (left alone so an eviction is never undone).
 */
export const INDEX_UPSERT = script(
  "index-upsert",
  3,
  `${EXTEND}
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not current or tonumber(current) < tonumber(ARGV[3]) then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
local ttl = tonumber(ARGV[4])
extend(KEYS[1], ttl); extend(KEYS[2], ttl)
if current then return 1 end
return 2
`,
);

/** Removes ids from a user's index. KEYS: e, c, x. ARGV: ids. Returns nothing useful. */
export const INDEX_REMOVE = script(
  "index-remove",
  3,
  `${REMOVE_ALL}
if #ARGV > 0 then removeAll(KEYS[1], ARGV); removeAll(KEYS[2], ARGV); removeAll(KEYS[3], ARGV) end
return 1
`,
);

/**
 * Ids of a user's index. KEYS: e, x. ARGV: now, or "" for every entry
 * including expired ones. Returns the live (or all) indexed ids followed by
 * the ids awaiting eviction.
 */
export const INDEX_MEMBERS = script(
  "index-members",
  2,
  `
local ids
if ARGV[1] == '' then ids = redis.call('ZRANGE', KEYS[1], 0, -1)
else ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf') end
local pending = redis.call('ZRANGE', KEYS[2], 0, -1)
for i = 1, #pending do ids[#ids + 1] = pending[i] end
return ids
`,
);

/** Deletes a record and returns its userId (or nothing). KEYS: record. Returns `{deleted, userId?}`. */
export const DELETE_RECORD = script(
  "delete-record",
  1,
  `
local user = redis.call('HGET', KEYS[1], 'u')
local deleted = redis.call('DEL', KEYS[1])
if user then return {deleted, user} end
return {deleted}
`,
);

/** Deletes a record only if it belongs to the user. KEYS: record. ARGV: userId. Returns 1 or 0. */
export const DELETE_IF_OWNED = script(
  "delete-if-owned",
  1,
  `
if redis.call('HGET', KEYS[1], 'u') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/**
 * Deletes a record whose expiresAt is at or before `now`. KEYS: record.
 * ARGV: now. Returns `{0}`, `{1}` or `{1, userId}`.
 */
export const SWEEP_RECORD = script(
  "sweep-record",
  1,
  `
local fields = redis.call('HMGET', KEYS[1], 'e', 'u')
if not fields[1] or tonumber(fields[1]) > tonumber(ARGV[1]) then return {0} end
redis.call('DEL', KEYS[1])
if fields[2] then return {1, fields[2]} end
return {1}
`,
);

/** Drops index entries whose expiry is at or before `now`. KEYS: e, c. ARGV: now. Returns how many. */
export const PRUNE_INDEX = script(
  "prune-index",
  2,
  `${REMOVE_ALL}
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #dead > 0 then removeAll(KEYS[1], dead); removeAll(KEYS[2], dead) end
return #dead
`,
);
