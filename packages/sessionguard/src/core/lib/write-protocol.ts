import { expiryReason, graceDeadline, isDue, type SessionTiming, sessionDeadline } from "../deadlines.js";
import { isSessionError, SessionError } from "../errors.js";
import type { SessionEvent, SessionEventType } from "../events.js";
import type { LoadedKeyRing } from "../key-ring.js";
import type { ResolvedOptions } from "../options.js";
import type { RegenerateOptions } from "../session.js";
import type { SessionMeta, SessionRecord } from "../store.js";
import { generateToken, type RandomSource } from "../token.js";
import { KeyedMutex } from "./keyed-mutex.js";
import { openRecord, publicId, type SessionPayload, sealRecord, storeKey } from "./record-codec.js";
import { applyChanges, collectMutations, currentData, emptyState, type SessionState } from "./session-state.js";

const MAX_WRITE_ATTEMPTS = 25;

/** Emits one lifecycle event (the manager filters on listeners). */
export type EmitEvent = (
  type: SessionEventType,
  at: number,
  sid: string | null,
  userId: string | null,
  extra: Partial<Pick<SessionEvent, "reason" | "previousSid" | "ip" | "userAgent">>,
) => void;

/** A live record with its opened data. */
interface Current {
  readonly record: SessionRecord;
  readonly payload: SessionPayload;
}

/** True when the request has something to write besides activity. */
export function isDirty(state: SessionState): boolean {
  return state.changes.size > 0 || state.forceWrite || state.csrfChanged;
}

/** Client IP and User-Agent as optional fields (absent, never `undefined`). */
export function clientFields(client: SessionState["client"]): { ip?: string; userAgent?: string } {
  return {
    ...(client.ip === undefined ? {} : { ip: client.ip }),
    ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent }),
  };
}

/**
 * Milliseconds to wait before write attempt `attempt + 1`: up to 5 ms per
 * attempt so far, from the manager's injected randomness, so parallel
 * writers that lost to each other do not retry in lockstep.
 */
export function retryDelay(random: RandomSource, attempt: number): number {
  const byte = new Uint8Array(1);
  random(byte);
  return ((byte[0] as number) / 256) * 5 * (attempt + 1);
}

/**
 * How a request's session reaches the store: creation, versioned writes of
 * the change set merged on top of concurrent writers (SPEC L11), throttled
 * activity, replacement at login (no grace: fixation) and periodic rotation
 * with a grace alias (SPEC L6).
 */
export class WriteProtocol {
  readonly #o: ResolvedOptions;
  readonly #emit: EmitEvent;
  readonly #mutex = new KeyedMutex();

  constructor(options: ResolvedOptions, emit: EmitEvent) {
    this.#o = options;
    this.#emit = emit;
  }

  /** Writes whatever the request changed; the single write path of a request. */
  async save(state: SessionState): Promise<void> {
    const now = this.#o.clock();
    const ring = await this.#o.keyRing();
    collectMutations(state);
    const dirty = isDirty(state);
    if (state.record === null) {
      if (!dirty || state.issuedToken === null) return;
      await this.#createAnonymous(state, ring, now);
    } else if (state.rotate) {
      await this.#rotateWithGrace(state, ring, now);
    } else if (dirty) {
      await this.#mutex.run(state.record.id, () => this.#writeMerged(state, ring, now));
    } else if (isDue(state.record.lastSeenAt, this.#o.touchInterval, now)) {
      await this.#touch(state, ring, now);
    }
    state.changes = new Map();
    state.forceWrite = false;
    state.csrfChanged = false;
  }

  /**
   * Issues a new token and record for a login (`authenticated`) or a
   * privilege change (`rotated`); the old record is deleted at once (no
   * grace: fixation, SPEC L6).
   */
  async replace(
    state: SessionState,
    userId: string | null,
    options: RegenerateOptions,
    event: "authenticated" | "rotated",
  ): Promise<void> {
    const o = this.#o;
    const now = o.clock();
    const ring = await o.keyRing();
    const old = state.record;
    const keep = options.keep ?? [];
    const data = currentData(state);
    const kept =
      keep === "all" ? { ...data } : Object.fromEntries(keep.filter((k) => k in data).map((k) => [k, data[k]]));
    const authenticating = event === "authenticated";
    const fresh = authenticating || old === null;
    const token = generateToken(o.random);
    const id = await storeKey(ring, token);
    const idle = state.timeouts?.idle ?? (fresh ? o.idleTimeout : old.idleTimeout);
    const absolute = state.timeouts?.absolute ?? (fresh ? o.absoluteTimeout : old.absoluteTimeout);
    const createdAt = fresh ? now : old.createdAt;
    const csrf = authenticating ? null : state.csrf;
    const timing = { createdAt, lastSeenAt: now, idleTimeout: idle, absoluteTimeout: absolute };
    const record = await sealRecord(
      ring,
      {
        id,
        userId,
        authenticatedAt: authenticating ? now : (old?.authenticatedAt ?? null),
        ...timing,
        expiresAt: sessionDeadline(timing),
        version: 1,
        meta: meta(state, now),
      },
      kept,
      csrf,
      o.maxDataBytes,
    );
    if (old !== null && !authenticating && !(await isLive(o, ring, old.id, now))) {
      // Revoked or expired since this request loaded it: a privilege change must not bring it back.
      this.lost(state);
      throw new SessionError("ERR_SESSION_STATE", "the session ended while this request was running; sign in again");
    }
    if (old !== null && authenticating && old.userId === userId) await o.store.delete(old.id);
    const result = await o.store.create(record, userId !== null && o.limit !== null ? o.limit : undefined);
    if (result.outcome === "rejected") {
      throw new SessionError(
        "ERR_SESSION_LIMIT",
        "this user already has the maximum number of sessions; sign out elsewhere or raise maxSessionsPerUser",
      );
    }
    if (old !== null) await o.store.delete(old.id);
    const previousSid = state.publicId;
    Object.assign(state, {
      record,
      publicId: await publicId(ring, id),
      presentedToken: null,
      issuedToken: token,
      loaded: kept,
      changes: new Map(),
      reads: new Map(),
      csrf,
      csrfChanged: false,
      timeouts: null,
      forceWrite: false,
      cookie: "set",
      rotate: false,
      decided: true,
      refreshCookie: false,
      viaGrace: false,
    } satisfies Partial<SessionState>);
    this.#emit(event, now, state.publicId, userId, previousSid === null ? {} : { previousSid });
    if (fresh) this.#emit("created", now, state.publicId, userId, {});
    for (const evicted of result.evicted) {
      this.#emit("revoked", now, await publicId(ring, evicted), userId, { reason: "session-limit" });
    }
  }

  /** The session was revoked or expired under this request: drop its writes and clear the cookie. */
  lost(state: SessionState): void {
    Object.assign(state, emptyState(state.client));
    state.cookie = "clear";
  }

  async #createAnonymous(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    const token = state.issuedToken as string;
    const id = await storeKey(ring, token);
    const data = currentData(state);
    const timing = {
      createdAt: now,
      lastSeenAt: now,
      idleTimeout: state.timeouts?.idle ?? this.#o.idleTimeout,
      absoluteTimeout: state.timeouts?.absolute ?? this.#o.absoluteTimeout,
    };
    const record = await sealRecord(
      ring,
      {
        id,
        userId: null,
        authenticatedAt: null,
        ...timing,
        expiresAt: sessionDeadline(timing),
        version: 1,
        meta: meta(state, now),
      },
      data,
      state.csrf,
      this.#o.maxDataBytes,
    );
    await this.#o.store.create(record);
    state.record = record;
    state.loaded = data;
    state.publicId = await publicId(ring, id);
    this.#emit("created", now, state.publicId, null, {});
  }

  /** Versioned write of this request's change set on top of the latest stored data (SPEC L11). */
  async #writeMerged(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    let base = state.record as SessionRecord;
    let baseData = state.loaded;
    let baseCsrf = state.csrf;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        const current = await this.#current(ring, base.id, now);
        if (current === null) {
          // Revoked or expired meanwhile: never resurrect it with this request's writes.
          this.lost(state);
          return;
        }
        if (current.record.id !== base.id) adopt(state, current);
        base = current.record;
        baseData = current.payload.d;
        baseCsrf = current.payload.c ?? null;
      }
      const merged = applyChanges(baseData, state.changes);
      const csrf = state.csrfChanged ? state.csrf : baseCsrf;
      const next = await sealRecord(
        ring,
        { ...base, ...activeTiming(state, base, now), version: base.version + 1 },
        merged,
        csrf,
        this.#o.maxDataBytes,
      );
      if (await this.#o.store.update(next, base.version)) {
        state.record = next;
        state.loaded = merged;
        state.csrf = csrf;
        return;
      }
      const delay = retryDelay(this.#o.random, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    throw new SessionError(
      "ERR_STORE_CONFLICT",
      "the session kept changing under concurrent writes; retry the request",
    );
  }

  async #touch(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    const base = state.record as SessionRecord;
    // The version is authenticated, so even an activity write re-seals (under the current key).
    const next = await sealRecord(
      ring,
      { ...base, lastSeenAt: now, expiresAt: sessionDeadline({ ...base, lastSeenAt: now }), version: base.version + 1 },
      state.loaded,
      state.csrf,
      this.#o.maxDataBytes,
    );
    // A lost race means another request just wrote the session, activity included.
    if (await this.#o.store.update(next, base.version)) {
      state.record = next;
      this.#emit("refreshed", now, state.publicId, base.userId, {});
    }
  }

  /**
   * Periodic rotation with a grace period. The successor is created first and
   * then the old record is claimed with a versioned write that turns it into
   * the alias; a lost race (the old record was written, rotated or revoked
   * meanwhile) deletes the successor again, so a revoked session is never
   * resurrected and parallel requests never split one session into two.
   */
  async #rotateWithGrace(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    const old = state.record as SessionRecord;
    const token = state.issuedToken as string;
    const id = await storeKey(ring, token);
    const data = currentData(state);
    const record = await sealRecord(
      ring,
      { ...old, id, ...activeTiming(state, old, now), version: 1, meta: { ...old.meta, issuedAt: now } },
      data,
      state.csrf,
      this.#o.maxDataBytes,
    );
    await this.#o.store.create(record);
    const grace = (this.#o.rotation as { grace: number }).grace;
    // The alias has no user: it must not count toward the per-user limit or appear in listings.
    const alias = await sealRecord(
      ring,
      {
        ...old,
        userId: null,
        version: old.version + 1,
        expiresAt: graceDeadline(now, grace, old.expiresAt),
        successor: id,
      },
      {},
      null,
      this.#o.maxDataBytes,
    );
    if (await this.#o.store.update(alias, old.version)) {
      const previousSid = state.publicId;
      state.record = record;
      state.loaded = data;
      state.changes = new Map();
      state.publicId = await publicId(ring, id);
      state.rotate = false;
      this.#emit("rotated", now, state.publicId, record.userId, previousSid === null ? {} : { previousSid });
      return;
    }
    await this.#o.store.delete(id);
    state.rotate = false;
    state.issuedToken = null;
    state.cookie = "keep";
    const current = await this.#current(ring, old.id, now);
    if (current === null) {
      this.lost(state);
      return;
    }
    // Another request rotated (follow its successor) or wrote (rotate next time); keep this request's changes.
    if (current.record.id !== old.id) adopt(state, current);
    if (isDirty(state)) {
      await this.#mutex.run(state.record?.id ?? old.id, () => this.#writeMerged(state, ring, now));
    }
  }

  /** The live record behind `id`, following one rotation alias, with its data; `null` when gone or expired. */
  async #current(ring: LoadedKeyRing, id: string, now: number): Promise<Current | null> {
    const read = await readFollowingAlias(this.#o, ring, id, now);
    if (read.kind !== "found") return null;
    const record = read.record;
    if (record.successor !== undefined || expiryReason(record, now) !== null) return null;
    return { record, payload: read.payload };
  }
}

/** What an authenticated read of one store key found. */
export type VerifiedRecord =
  | { readonly kind: "found"; readonly record: SessionRecord; readonly payload: SessionPayload }
  | { readonly kind: "absent" }
  /** A record that cannot be decoded or does not authenticate; it has been deleted. */
  | { readonly kind: "tampered" };

/**
 * Reads store key `id` and authenticates the record (one round trip). A
 * record the store cannot decode (`ERR_STORE_CORRUPT`) or that does not
 * authenticate is deleted by the key it was read under, never by the id it
 * claims, so a planted copy cannot make the manager delete another session.
 */
export async function getVerified(
  o: Pick<ResolvedOptions, "store">,
  ring: LoadedKeyRing,
  id: string,
): Promise<VerifiedRecord> {
  let record: SessionRecord | null;
  try {
    record = await o.store.get(id);
  } catch (error) {
    if (!isSessionError(error, "ERR_STORE_CORRUPT")) throw error;
    await o.store.delete(id);
    return { kind: "tampered" };
  }
  if (record === null) return { kind: "absent" };
  const payload = await openRecord(ring, id, record);
  if (payload === null) {
    await o.store.delete(id);
    return { kind: "tampered" };
  }
  return { kind: "found", record, payload };
}

/**
 * Reads `id` and, when it is a rotation alias still inside its grace period,
 * its successor (one store read more); both are authenticated before they
 * are believed. `viaGrace` tells whether an alias was followed; a spent
 * alias counts as absent.
 */
export async function readFollowingAlias(
  o: Pick<ResolvedOptions, "store">,
  ring: LoadedKeyRing,
  id: string,
  now: number,
): Promise<VerifiedRecord & { readonly viaGrace: boolean }> {
  const first = await getVerified(o, ring, id);
  if (first.kind !== "found" || first.record.successor === undefined) return { ...first, viaGrace: false };
  if (first.record.expiresAt <= now) return { kind: "absent", viaGrace: true };
  return { ...(await getVerified(o, ring, first.record.successor)), viaGrace: true };
}

/** True when `id` is stored, authentic and not expired (stores keep answering for expired records a while). */
async function isLive(
  o: Pick<ResolvedOptions, "store">,
  ring: LoadedKeyRing,
  id: string,
  now: number,
): Promise<boolean> {
  const read = await getVerified(o, ring, id);
  return read.kind === "found" && expiryReason(read.record, now) === null;
}

/**
 * This request continues on a successor another request created: its data
 * becomes the merge base, and its token stays the client's old one.
 */
function adopt(state: SessionState, current: Current): void {
  state.record = current.record;
  state.loaded = current.payload.d;
  if (!state.csrfChanged) state.csrf = current.payload.c ?? null;
  state.presentedToken = null;
  state.viaGrace = true;
}

/**
 * The timing of `base` after activity at `now`, with this request's timeout
 * overrides, and the deadline that follows from it.
 */
function activeTiming(state: SessionState, base: SessionRecord, now: number): SessionTiming & { expiresAt: number } {
  const timing: SessionTiming = {
    createdAt: base.createdAt,
    lastSeenAt: now,
    idleTimeout: state.timeouts?.idle ?? base.idleTimeout,
    absoluteTimeout: state.timeouts?.absolute ?? base.absoluteTimeout,
  };
  return { ...timing, expiresAt: sessionDeadline(timing) };
}

function meta(state: SessionState, now: number): SessionMeta {
  return { ...clientFields(state.client), issuedAt: now };
}
