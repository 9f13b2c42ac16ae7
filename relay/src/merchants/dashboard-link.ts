/**
 * A link into the dashboard for a mailed token: the token rides in the fragment, which browsers
 * never send to a server or in a Referer, so it stays out of access logs. Undefined when no
 * dashboard address is configured (the mail then carries the token alone).
 */
export function dashboardLink(
  base: URL | undefined,
  key: 'token' | 'invite',
  token: string,
): string | undefined {
  return base ? `${base.href.replace(/#.*$/, '')}#${key}=${token}` : undefined;
}
