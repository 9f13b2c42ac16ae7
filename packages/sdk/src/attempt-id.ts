/** A fresh attempt id (one per submission): 28 characters of [0-9a-z] carrying 128 random bits. */
export function createAttemptId(): string {
  // Each 32-bit word plus 2^32 is always 7 base-36 digits, so the id has a fixed length. (Not
  // crypto.randomUUID: it exists only in secure contexts, and a test page on plain http must work.)
  return Array.from(crypto.getRandomValues(new Uint32Array(4)), (word) => (word + 2 ** 32).toString(36)).join(
    '',
  );
}
