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
});
