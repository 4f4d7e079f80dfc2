/** Display names of the built-in role codes; roles created by admins show their own name. */
const known = ['admin', 'motcua', 'chuyenvien', 'lanhdao', 'vanthu', 'congdan'];

export function roleLabel(code: string, t: (k: string) => string): string {
  return known.includes(code) ? t(`roles.${code}`) : code;
}
