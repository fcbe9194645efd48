import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { SceneSpec } from '../../../../shared/scene';
import type { DarcFrame } from '../../../../shared/snapshot';
import { mostBlamed } from '../../state/darc';
import darc from './darc.overlay';

function frameOf(trail: number[]): DarcFrame {
  return {
    pair: 'p', description: '', policy: 'DARC', versus: 'RL on source', versusReturn: 0, domain: 'source', ghostEvery: 30, trail: Float32Array.from(trail),
    actuators: ['a', 'b'], due: Float32Array.of(0.01, -0.3), correlation: Float32Array.of(-0.1, -0.7), bins: new Float32Array(10), binCounts: new Uint32Array(10), samples: 3, training: null,
  };
}

describe('the darc overlay', () => {
  it('draws the trail coloured by dr (negative red) and links the robot to its ghost', () => {
    const world = new THREE.Group();
    const spec: SceneSpec = { name: 's', upAxis: 'z', bodies: Array.from({ length: 8 }, (_, i) => ({ name: `b${i}`, visuals: [] })), groundHalfSize: 0 };
    const st = darc.create({ world, spec, bodies: { tint: () => undefined, stretch: () => undefined, colour: () => undefined } });
    const m = (x: number) => new THREE.Matrix4().makeTranslation(x, 0, 1);
    const bodyMatrices = [m(0), m(0), m(0), m(0), m(0.3), m(0), m(0), m(0)];
    darc.update(st, frameOf([0, 0, 1, -3, 0.1, 0, 1, 0, 0.2, 0, 1, 3]), { bodyMatrices });
    expect(st.trail.visible).toBe(true);
    expect(st.trail.geometry.drawRange.count).toBe(3);
    const c = st.trail.geometry.getAttribute('color') as THREE.BufferAttribute;
    // dr -3 (20x less likely in the target): red; 0: grey; +3: blue
    expect(c.getX(0)).toBeGreaterThan(0.8);
    expect(c.getZ(0)).toBeLessThan(0.3);
    expect(c.getX(1)).toBeCloseTo(c.getZ(1), 5);
    expect(c.getZ(2)).toBeGreaterThan(c.getX(2));
    const p = st.trail.geometry.getAttribute('position') as THREE.BufferAttribute;
    expect(p.getX(2)).toBeCloseTo(0.2, 6);
    expect(st.link.visible).toBe(true);
    expect((st.link.geometry.getAttribute('position') as THREE.BufferAttribute).getX(1)).toBeCloseTo(0.3, 6); // the ghost root: body 4
    darc.update(st, undefined, { bodyMatrices });
    expect(st.trail.visible).toBe(false);
    darc.dispose(st);
    expect(world.children).toHaveLength(0);
  });

  it('names the actuator dr blames most', () => {
    expect(mostBlamed([-0.1, -0.7, 0.3])).toBe(1);
    expect(mostBlamed([0.1, NaN])).toBe(-1);
  });
});
