/**
 * Redirect targets taken from a request (`?next=…`, a cookie): only a path of this site, never `//host`,
 * `/\host`, a scheme or control characters — no open redirect. Anything else becomes `/`.
 */
export function sameSitePath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000 || !next.startsWith('/') || next.startsWith('//')) return '/';
  if ([...next].some((ch) => ch < ' ' || ch === '\u007f' || ch === '\\')) return '/';
  try {
    const u = new URL(next, 'http://same.invalid');
    return u.origin === 'http://same.invalid' ? `${u.pathname}${u.search}${u.hash}` : '/';
  } catch {
    return '/';
  }
}
