/**
 * The one place Rapier is imported. Everything else in physics takes the module returned by
 * `loadRapier()` (types come from the compat build; the simd build has the same API).
 *
 * Choice: the SIMD build (@dimforge/rapier3d-simd-compat 0.20) is the default — measured faster
 * on our envs (see bench/physics.ts and ACTUATION.md). Set ADAPTLAB_RAPIER=compat to use the plain
 * compat build (0.21), e.g. on a runtime without WASM SIMD.
 */
import type * as RapierNS from '@dimforge/rapier3d-compat';

export type Rapier = typeof RapierNS;
export type RapierFlavor = 'simd' | 'compat';

let loading: Promise<Rapier> | null = null;
let loaded: Rapier | null = null;
let loadedFlavor: RapierFlavor | null = null;

function wantedFlavor(): RapierFlavor {
  const v = typeof process !== 'undefined' ? process.env?.ADAPTLAB_RAPIER : undefined;
  return v === 'compat' ? 'compat' : 'simd';
}

async function importFlavor(flavor: RapierFlavor): Promise<Rapier> {
  const mod =
    flavor === 'simd'
      ? ((await import('@dimforge/rapier3d-simd-compat')) as unknown as { default?: Rapier } & Rapier)
      : ((await import('@dimforge/rapier3d-compat')) as unknown as { default?: Rapier } & Rapier);
  const R: Rapier = (mod.default ?? mod) as Rapier;
  // rapier's init() warns about deprecated parameters under some bundlers; call without args.
  await R.init();
  return R;
}

/** Load and initialise Rapier once (idempotent). */
export function loadRapier(flavor: RapierFlavor = wantedFlavor()): Promise<Rapier> {
  if (loaded && loadedFlavor === flavor) return Promise.resolve(loaded);
  if (!loading || loadedFlavor !== flavor) {
    loadedFlavor = flavor;
    loading = importFlavor(flavor).then((R) => {
      loaded = R;
      return R;
    });
  }
  return loading;
}

/** The loaded module; throws if `loadRapier()` has not resolved yet. */
export function rapier(): Rapier {
  if (!loaded) throw new Error('Rapier is not loaded: await loadRapier() first');
  return loaded;
}

export function rapierFlavor(): RapierFlavor | null {
  return loaded ? loadedFlavor : null;
}
