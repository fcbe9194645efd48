/** Every overlay module in this folder (`*.overlay.ts`), by kind: adding one is adding a file. */
import type { OverlayModule } from './overlay';

const modules = import.meta.glob<{ default: OverlayModule }>('./*.overlay.ts', { eager: true });

export const OVERLAYS: ReadonlyMap<string, OverlayModule> = new Map(Object.values(modules).map((m) => [m.default.kind, m.default]));

export function findOverlay(kind: string): OverlayModule | undefined {
  return OVERLAYS.get(kind);
}
