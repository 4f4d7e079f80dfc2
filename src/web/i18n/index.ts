/**
 * i18next setup: Vietnamese is the default and ships with the app; English is a switch remembered in
 * localStorage and loaded on demand. Every visible string lives in vi.json / en.json (same keys).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import vi from './vi.json';

export const languages = ['vi', 'en'] as const;
export type Language = (typeof languages)[number];
const STORAGE_KEY = 'tinhso.lang';

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

async function loadLanguage(lang: Language): Promise<void> {
  if (lang === 'vi' || i18n.hasResourceBundle(lang, 'translation')) return;
  const mod = await import('./en.json');
  i18n.addResourceBundle('en', 'translation', mod.default, true, true);
}

export async function setLanguage(lang: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the switch still works for this page
  }
  await loadLanguage(lang);
  await i18n.changeLanguage(lang);
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

/** Initialises i18next in the stored language (loading English first when that was chosen). */
export async function initI18n(): Promise<void> {
  await i18n.use(initReactI18next).init({
    resources: { vi: { translation: vi } },
    lng: 'vi',
    fallbackLng: 'vi',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const lang = storedLanguage();
  if (lang !== 'vi') {
    try {
      await setLanguage(lang);
    } catch {
      // English failed to load (offline): stay in Vietnamese.
    }
  }
  document.documentElement.lang = i18n.language;
}

export default i18n;
