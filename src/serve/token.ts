import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The bearer token: 32 random bytes, shown once, kept only as its SHA-256 (a token has 256 bits of entropy, so a
 * fast hash is enough: there is nothing to guess a dictionary from).
 */
export const tokenHashKey = 'token.sha256';

export function newToken(): string {
  return `sfw_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `presented` is the token whose hash is `hash`, in constant time. */
export function tokenMatches(presented: string | undefined, hash: string | undefined): boolean {
  if (presented === undefined || hash === undefined) return false;
  const a = Buffer.from(tokenHash(presented), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A token as read from a file: surrounding white space and a trailing newline are not part of it. */
export function readableToken(text: string): string | undefined {
  const t = text.trim();
  return /^[\x21-\x7e]{16,512}$/.test(t) ? t : undefined;
}
