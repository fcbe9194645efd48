import { expect, test } from 'vitest';
import { loadRapier } from '../rapier.js';
import { FallingBodiesScene } from './falling-bodies.js';

test('the falling bodies come to rest on the ground and stay there (60 s)', async () => {
  const scene = new FallingBodiesScene(await loadRapier(), 0);
  const n = scene.spec().bodies.length;
  const poses = new Float32Array(7 * n);
  for (let i = 0; i < 60 / scene.dt; i++) scene.step();
  scene.writePoses(poses);
  for (let b = 0; b < n; b++) expect(poses[7 * b + 2], `body ${b} fell below the ground`).toBeGreaterThan(0);
  expect(scene.telemetry().kinetic_energy).toBeLessThan(1);
  scene.dispose();
});
