import { describe, expect, it } from "vitest";
import {
  cookieLifetime,
  expiryReason,
  graceDeadline,
  isDue,
  isRetained,
  sessionDeadline,
} from "../src/core/deadlines.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = 1_700_000_000_000;
const timing = { createdAt: T0, lastSeenAt: T0, idleTimeout: 30 * MIN, absoluteTimeout: 12 * HOUR };

describe("session deadlines (L7)", () => {
  it("end at the idle deadline while activity is recent", () => {
    expect(sessionDeadline(timing)).toBe(T0 + 30 * MIN);
    expect(sessionDeadline({ ...timing, lastSeenAt: T0 + HOUR })).toBe(T0 + HOUR + 30 * MIN);
  });

  it("never pass the absolute deadline, however recent the activity", () => {
    expect(sessionDeadline({ ...timing, lastSeenAt: T0 + 12 * HOUR - MIN })).toBe(T0 + 12 * HOUR);
  });

  it("name the idle timeout once the idle deadline is reached, not a millisecond earlier", () => {
    expect(expiryReason(timing, T0 + 30 * MIN - 1)).toBeNull();
    expect(expiryReason(timing, T0 + 30 * MIN)).toBe("idle");
  });

  it("name the absolute timeout when both deadlines have passed", () => {
    expect(expiryReason({ ...timing, lastSeenAt: T0 + 12 * HOUR - MIN }, T0 + 12 * HOUR)).toBe("absolute");
    expect(expiryReason(timing, T0 + 13 * HOUR)).toBe("absolute");
  });

  it("honour a stored deadline that is earlier than the timeouts say", () => {
    expect(expiryReason({ ...timing, expiresAt: T0 + MIN }, T0 + MIN)).toBe("idle");
    expect(expiryReason({ ...timing, expiresAt: T0 + MIN }, T0 + MIN - 1)).toBeNull();
  });
});

describe("cookie lifetime (L7)", () => {
  it("is the idle timeout for a session active now", () => {
    expect(cookieLifetime(timing, T0)).toBe(30 * MIN);
  });

  it("counts idleness from now when the stored activity is older (throttled writes)", () => {
    expect(cookieLifetime(timing, T0 + 10 * MIN)).toBe(30 * MIN);
  });

  it("never outlives the absolute deadline", () => {
    expect(cookieLifetime(timing, T0 + 12 * HOUR - 5 * MIN)).toBe(5 * MIN);
  });
});

describe("grace windows and intervals (L6)", () => {
  it("a rotated-out token's grace ends after `grace`, never after the session itself", () => {
    expect(graceDeadline(T0, 30_000, T0 + HOUR)).toBe(T0 + 30_000);
    expect(graceDeadline(T0, 30_000, T0 + 10_000)).toBe(T0 + 10_000);
  });

  it("an interval is due exactly when it has fully elapsed", () => {
    expect(isDue(T0, MIN, T0 + MIN - 1)).toBe(false);
    expect(isDue(T0, MIN, T0 + MIN)).toBe(true);
  });

  it("an expired record is retained for the retention window only", () => {
    expect(isRetained(T0, HOUR, T0 + HOUR - 1)).toBe(true);
    expect(isRetained(T0, HOUR, T0 + HOUR)).toBe(false);
  });
});
