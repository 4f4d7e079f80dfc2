/**
 * Registers every domain module's routes. Order matters only where one module hands another a
 * dependency (identity needs org's grant lookup).
 */
import type { Platform } from '../platform';
import type { App } from '../platform/http/types';

export async function registerModules(app: App, platform: Platform): Promise<void> {
  void app;
  void platform;
}
