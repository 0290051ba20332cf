/*
 * The plan file's format names and version, apart from its zod schema (schema.ts) so that writing a plan does not
 * load zod. The version rule is schema.ts's.
 */
export const planFormat = 'scomfw-plan';
export const planVersion = 1;
/** The normalised form: flows name their endpoints instead of embedding them (see `planJsonNormalized`). */
export const normalizedPlanFormat = 'scomfw-plan-normalized';
