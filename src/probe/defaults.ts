/*
 * The probe defaults, apart from the probe engine (check.ts), so that the verify-powershell target can write them
 * into its scripts without loading the engine and the results schema (zod).
 */

/** Defaults fit for a WAN: a 3 s wait covers a slow intercontinental SYN-ACK; one retry tells loss from a drop. */
export const checkDefaults = { timeoutMs: 3000, retries: 1, concurrency: 64, sample: 2 } as const;
