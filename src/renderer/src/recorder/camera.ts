/**
 * The recording camera, a pure function of simulated time and (for 'follow') the followed
 * body's position, so the same scenario films the same way on any machine.
 * Positions here are in three.js's Y-up view frame; scenario targets are in the scene's frame.
 */
import * as THREE from 'three';
import type { ScenarioCamera } from '../../../shared/scenario';
import type { SceneSpec, Vec3 } from '../../../shared/scene';

export function toView(p: Vec3, upAxis: SceneSpec['upAxis']): THREE.Vector3 {
  return upAxis === 'z' ? new THREE.Vector3(p[0], p[2], -p[1]) : new THREE.Vector3(p[0], p[1], p[2]);
}

/** Index of the followed body: by name or index; 0 when unspecified. Throws on unknown names. */
export function followedBody(cam: ScenarioCamera, spec: SceneSpec): number {
  if (cam.mode !== 'follow' || cam.body === undefined) return 0;
  if (typeof cam.body === 'number') {
    if (cam.body >= spec.bodies.length) throw new Error(`camera.body ${cam.body}: the scene has ${spec.bodies.length} bodies`);
    return cam.body;
  }
  const i = spec.bodies.findIndex((b) => b.name === cam.body);
  if (i < 0) throw new Error(`camera.body "${cam.body}" is not a body of the scene (bodies: ${spec.bodies.slice(0, 8).map((b) => b.name).join(', ')}…)`);
  return i;
}

export class RecordingCamera {
  private smoothed: THREE.Vector3 | null = null;

  constructor(private readonly cam: ScenarioCamera, private readonly spec: SceneSpec, private readonly fps: number) {}

  /** Places `camera` for simulated time `t`; `body` is the followed body's view-frame position. */
  place(camera: THREE.PerspectiveCamera, t: number, body: THREE.Vector3 | null): THREE.Vector3 {
    const c = this.cam;
    if (c.mode === 'orbit') {
      const target = toView(c.target ?? [0, 0, 0], this.spec.upAxis);
      const radius = c.radius ?? 6;
      const period = c.period ?? 20;
      const az = THREE.MathUtils.degToRad(c.azimuth ?? 30) + (period > 0 ? (2 * Math.PI * t) / period : 0);
      camera.position.set(target.x + radius * Math.cos(az), target.y + (c.height ?? 3), target.z + radius * Math.sin(az));
      camera.lookAt(target);
      return target;
    }
    // Follow: a low-passed target (time constant 0.25 s) so the view does not shake. A low-pass
    // trails a moving body by speed x 0.25 s, which for a falling or thrown quad is more than the
    // frame holds; so the lag is capped at a quarter of the camera's distance, which keeps the body
    // within ~14 degrees of the view's centre (the view is 45 degrees high).
    const az = THREE.MathUtils.degToRad(c.azimuth ?? 45);
    const d = c.distance ?? 4;
    const h = c.height ?? 1.5;
    const p = body ?? new THREE.Vector3();
    if (!this.smoothed) this.smoothed = p.clone();
    else {
      this.smoothed.lerp(p, 1 - Math.exp(-1 / (this.fps * 0.25)));
      const maxLag = 0.25 * Math.hypot(d, h);
      const lag = this.smoothed.distanceTo(p);
      if (lag > maxLag) this.smoothed.lerp(p, 1 - maxLag / lag);
    }
    const target = this.smoothed;
    camera.position.set(target.x + d * Math.cos(az), target.y + h, target.z + d * Math.sin(az));
    camera.lookAt(target);
    return target;
  }
}
