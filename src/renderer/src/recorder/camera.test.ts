import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { SceneSpec } from '../../../shared/scene';
import { RecordingCamera, followedBody, toView } from './camera';

const spec: SceneSpec = { name: 's', upAxis: 'z', groundHalfSize: 1, bodies: [{ name: 'torso', visuals: [] }, { name: 'leg', visuals: [] }] };

describe('recording camera', () => {
  it('maps Z-up scene points into the Y-up view', () => {
    expect(toView([1, 2, 3], 'z').toArray()).toEqual([1, 3, -2]);
    expect(toView([1, 2, 3], 'y').toArray()).toEqual([1, 2, 3]);
  });

  it('orbits as a function of simulated time only', () => {
    const cam = new RecordingCamera({ mode: 'orbit', radius: 5, height: 2, period: 4, azimuth: 0 }, spec, 30);
    const c = new THREE.PerspectiveCamera();
    cam.place(c, 0, null);
    expect(c.position.toArray().map((v) => +v.toFixed(6))).toEqual([5, 2, 0]);
    cam.place(c, 1, null); // a quarter turn
    expect(c.position.toArray().map((v) => +v.toFixed(6))).toEqual([0, 2, 5]);
  });

  it('follows a body by name or index, and refuses unknown ones', () => {
    expect(followedBody({ mode: 'follow', body: 'leg' }, spec)).toBe(1);
    expect(followedBody({ mode: 'follow' }, spec)).toBe(0);
    expect(() => followedBody({ mode: 'follow', body: 'tail' }, spec)).toThrow(/camera.body "tail" is not a body/);
    expect(() => followedBody({ mode: 'follow', body: 5 }, spec)).toThrow(/2 bodies/);
    const cam = new RecordingCamera({ mode: 'follow', distance: 3, height: 1, azimuth: 0 }, spec, 30);
    const c = new THREE.PerspectiveCamera();
    const target = cam.place(c, 0, new THREE.Vector3(10, 0, 0));
    expect(target.x).toBe(10);
    expect(c.position.toArray()).toEqual([13, 1, 0]);
  });

  it('keeps a fast body in frame: a quad falling at 15 m/s and flying off at 20 m/s', () => {
    const cam = new RecordingCamera({ mode: 'follow', distance: 4, height: 1.5, azimuth: 45 }, spec, 30);
    const c = new THREE.PerspectiveCamera(45, 16 / 9, 0.02, 200);
    let worst = 0;
    for (let f = 0; f < 90; f++) {
      const t = f / 30;
      const body = new THREE.Vector3(20 * t, 10 - 15 * Math.min(t, 0.6), -8 * t);
      cam.place(c, t, body);
      c.updateMatrixWorld();
      const ndc = body.clone().project(c);
      worst = Math.max(worst, Math.abs(ndc.x), Math.abs(ndc.y));
    }
    expect(worst).toBeLessThan(0.8); // inside the frame, with a margin
  });
});
