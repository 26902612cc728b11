/**
 * Rendering options. Renderers stay pure functions of the report; these only
 * carry context the report model does not (yet) hold.
 */

/** The policy floor used when neither the report nor the options give one (SPEC §2.2 default). */
export const DEFAULT_MIN_ENTROPY_BITS = 64;

/** Options shared by every renderer. */
export interface RenderOptions {
  /**
   * The organisation's entropy floor in bits (`policy.minEntropyBits`), drawn
   * as the reference line of the entropy chart and quoted in the token
   * analysis. Default {@link DEFAULT_MIN_ENTROPY_BITS}.
   */
  readonly minEntropyBits?: number;
}
