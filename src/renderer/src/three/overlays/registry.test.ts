import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { BodyStretch, SceneSpec } from '../../../../shared/scene';
import { OVERLAYS, findOverlay } from './registry';

describe('the overlay registry', () => {
  it('finds every *.overlay.ts module by its kind', () => {
    expect([...OVERLAYS.keys()].sort()).toEqual(['darc', 'ghostPath', 'highlight', 'population', 'stretch', 'tethers', 'trackPath']);
    expect(findOverlay('nope')).toBeUndefined();
  });

  it('drives a module through create, update and dispose', () => {
    const tinted: number[][] = [];
    const stretched: BodyStretch[][] = [];
    const world = new THREE.Group();
    const spec: SceneSpec = { name: 's', upAxis: 'z', bodies: [], groundHalfSize: 0 };
    const ctx = { world, spec, bodies: { tint: (b: readonly number[]) => tinted.push([...b]), stretch: (l: readonly BodyStretch[]) => stretched.push([...l]), colour: () => undefined } };
    const frame = { bodyMatrices: [] };
    const h = findOverlay('highlight')!;
    const hs = h.create(ctx);
    h.update(hs, [2, 3], frame);
    h.dispose(hs);
    expect(tinted).toEqual([[2, 3], []]);
    const g = findOverlay('ghostPath')!;
    const gs = g.create(ctx) as THREE.Line;
    expect(world.children).toContain(gs);
    g.update(gs, [0, 0, 0, 1, 0, 0, 2, 0, 0], frame);
    expect(gs.visible).toBe(true);
    g.dispose(gs);
    expect(world.children).not.toContain(gs);
    const t = findOverlay('trackPath')!;
    const ts = t.create(ctx) as { group: THREE.Group; reference: THREE.Line; trail: THREE.Line; marker: THREE.Mesh };
    t.update(ts, { reference: [0, 0, 1], trail: [] }, frame);
    expect([ts.marker.visible, ts.reference.visible, ts.trail.visible]).toEqual([true, false, false]); // a hover point
    t.update(ts, { reference: [0, 0, 1, 1, 0, 1, 1, 1, 1], trail: [0, 0, 0.5, 0.1, 0, 0.5] }, frame);
    expect([ts.marker.visible, ts.reference.visible, ts.trail.visible]).toEqual([false, true, true]);
    expect(ts.trail.geometry.drawRange.count).toBe(2);
    t.dispose(ts);
    expect(world.children).not.toContain(ts.group);
  });
});
