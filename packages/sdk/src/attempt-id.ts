/** A fresh attempt id (one per submission): 32 url-safe random characters. */
export function createAttemptId(): string {
  // 24 bytes are exactly 32 base64 characters, so there is never `=` padding to strip.
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}
