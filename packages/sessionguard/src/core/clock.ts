/** Returns the current time in milliseconds since the Unix epoch. Injectable for tests. */
export type Clock = () => number;

/** The system clock. */
export const systemClock: Clock = () => Date.now();
