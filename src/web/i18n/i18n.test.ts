/**
 * The two languages carry the same keys, and every key the code asks for exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveries, levels, onlineLevels } from '../../server/modules/catalog/catalog.schemas';
import { unitTypes } from '../../server/modules/org/org.codes';
import { agencyKinds } from '../../server/modules/org/org.schemas';
import { allPermissions } from '../../server/platform/auth/permissions';
import en from './en.json';
import vi from './vi.json';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : flatten(v, `${prefix}${k}.`)));
}

/** "list.shown_other" and "list.shown" are the same message for our purposes. */
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');
const viKeys = new Set(flatten(vi as Tree).map(base));
const enKeys = new Set(flatten(en as Tree).map(base));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(d.name) && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('i18n catalogues', () => {
  it('Vietnamese and English have the same keys', () => {
    expect([...viKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !viKeys.has(k))).toEqual([]);
  });

  it('every literal key used in the code exists', () => {
    const webDir = path.resolve(import.meta.dirname, '..');
    const used = new Set<string>();
    for (const file of sourceFiles(webDir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1] as string);
      for (const m of text.matchAll(/'((?:validation|login\.errors)\.[a-zA-Z]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !viKeys.has(k))).toEqual([]);
  });

  it('covers every value of the enumerations shown through dynamic keys', () => {
    const missing = [
      ...unitTypes.map((x) => `units.types.${x}`),
      ...['province', 'district', 'commune'].map((x) => `units.levels.${x}`),
      ...agencyKinds.map((x) => `agencies.kinds.${x}`),
      ...['email', 'sms', 'zalo'].map((x) => `outbox.channels.${x}`),
      ...['queued', 'sent', 'failed'].map((x) => `outbox.statuses.${x}`),
      ...['admin', 'motcua', 'chuyenvien', 'lanhdao', 'vanthu', 'congdan'].map((x) => `roles.${x}`),
      ...levels.map((x) => `catalog.levels.${x}`),
      ...onlineLevels.flatMap((x) => [`catalog.onlineLevels.${x}`, `catalog.onlineLevelText.${x}`]),
      ...deliveries.map((x) => `catalog.deliveries.${x}`),
      ...['units', 'agencies', 'staff', 'roles', 'procedures', 'audit', 'outbox'].flatMap((x) => [
        `admin.sections.${x}.title`,
        `admin.sections.${x}.text`,
      ]),
    ].filter((k) => !viKeys.has(k) || !enKeys.has(k));
    expect(missing).toEqual([]);
    // The permission labels come from the server; nothing to translate here, but the catalogue must not be empty.
    expect(allPermissions.length).toBeGreaterThan(0);
  });

  it('Vietnamese strings are written with diacritics (no ASCII-only headings)', () => {
    const headings = ['nav.home', 'login.title', 'office.title', 'admin.title', 'portal.homeTitle', 'catalog.title', 'catalog.submitSoon'];
    const get = (k: string) => k.split('.').reduce<unknown>((t, p) => (t as Tree)[p], vi) as string;
    const vietnameseLetter = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
    for (const h of headings) expect(get(h)).toMatch(vietnameseLetter);
  });
});
