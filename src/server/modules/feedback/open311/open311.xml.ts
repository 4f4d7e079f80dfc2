/**
 * The XML form of Open311 answers (GeoReport v2: `<services><service>…`, `<service_requests><request>…`). A small
 * serializer: objects become elements, arrays repeat the element named for their items, null becomes an empty
 * element. (fast-xml-parser is only a transitive v3 dependency here, without XMLBuilder: not used.)
 */

/** Element name of the items of each list field. */
const ITEM_NAMES: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they are dropped.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function element(name: string, value: unknown, indent: string): string {
  if (value === null || value === undefined || value === '') return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name] ?? 'item';
    const inner = value.map((v) => element(item, v, `${indent}  `)).join('\n');
    return value.length ? `${indent}<${name}>\n${inner}\n${indent}</${name}>` : `${indent}<${name}/>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v, `${indent}  `))
      .join('\n');
    return `${indent}<${name}>\n${inner}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${escapeXml(String(value).replace(INVALID_XML, ''))}</${name}>`;
}

/** `<root><item>…</item>…</root>` for a list, or `<root>…</root>` for one object. */
export function toXml(root: string, value: unknown, item?: string): string {
  const body = Array.isArray(value)
    ? value.length
      ? `<${root}>\n${value.map((v) => element(item ?? 'item', v, '  ')).join('\n')}\n</${root}>`
      : `<${root}/>`
    : element(root, value, '');
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`;
}
