/**
 * A population's robots (SceneSpec.population) coloured per robot: by a parameter column or by
 * return (state/population.ts, what the legend shows), dimmed once their episode has ended, and
 * a marker over the selected robot. The data is the scene's PopulationFrame. The bodies are the
 * view's instanced meshes (identical visuals share one InstancedMesh: 64 hoppers are four draw
 * calls); this overlay only sets their instance colours.
 */
import * as THREE from 'three';
import type { PopulationFrame } from '../../../../shared/snapshot';
import { populationView, robotColours, worstRobots } from '../../state/population';
import type { BodyStyler, OverlayContext, OverlayModule } from './overlay';

interface State {
  bodies: BodyStyler;
  count: number;
  perRobot: number;
  robotRgb: Float32Array;
  bodyRgb: Float32Array;
  marker: THREE.Mesh;
  /** red rings on the ground under the worst-epsilon robots (EPOpt's kept trajectories) */
  rings: THREE.Mesh[];
  /** world "up" (the marker floats above the selected robot's root body) */
  up: THREE.Vector3;
  /** what the colours were made from: recolour only when one changes */
  data: unknown;
  by: string;
  focus: OverlayContext['focus'];
  /** the camera's point, gliding toward the running robots' centre */
  centre: THREE.Vector3 | null;
}

const isFrame = (d: unknown, n: number): d is PopulationFrame => !!d && (d as PopulationFrame).returns?.length === n;

const population: OverlayModule<State | null> = {
  kind: 'population',
  create({ world, spec, bodies, focus }) {
    const pop = spec.population;
    if (!pop) return null;
    const up = spec.upAxis === 'z' ? new THREE.Vector3(0, 0, 1) : new THREE.Vector3(0, 1, 0);
    // a cone pointing down at the selected robot
    const marker = new THREE.Mesh(new THREE.ConeGeometry(0.07, 0.18, 16), new THREE.MeshBasicMaterial({ color: 0xffffff }));
    marker.quaternion.setFromUnitVectors(new THREE.Vector3(0, -1, 0), up.clone().negate());
    marker.visible = false;
    world.add(marker);
    const ringGeometry = new THREE.RingGeometry(0.15, 0.21, 32);
    const ringMaterial = new THREE.MeshBasicMaterial({ color: 0xe5534b, side: THREE.DoubleSide, transparent: true, opacity: 0.9, depthWrite: false });
    const rings = Array.from({ length: pop.count }, () => {
      const m = new THREE.Mesh(ringGeometry, ringMaterial);
      // RingGeometry lies in the xy plane: flat on the ground already when z is up
      if (spec.upAxis !== 'z') m.quaternion.setFromUnitVectors(new THREE.Vector3(0, 0, 1), up);
      m.visible = false;
      m.renderOrder = 2;
      world.add(m);
      return m;
    });
    return {
      bodies,
      count: pop.count,
      perRobot: pop.bodiesPerRobot,
      robotRgb: new Float32Array(pop.count * 3),
      bodyRgb: new Float32Array(pop.count * pop.bodiesPerRobot * 3),
      marker,
      rings,
      up,
      data: null,
      by: '',
      focus,
      centre: null,
    };
  },
  update(st, data, frame) {
    if (!st) return;
    if (isFrame(data, st.count) && (data !== st.data || populationView.colourBy !== st.by)) {
      st.data = data;
      st.by = populationView.colourBy;
      robotColours(data, st.by, st.robotRgb);
      for (let i = 0; i < st.count; i++)
        for (let b = 0; b < st.perRobot; b++) st.bodyRgb.set(st.robotRgb.subarray(i * 3, i * 3 + 3), (i * st.perRobot + b) * 3);
      st.bodies.colour(st.bodyRgb);
    }
    if (isFrame(data, st.count)) {
      follow(st, data, frame.bodyMatrices);
      outlineWorst(st, data, frame.bodyMatrices);
    }
    const sel = populationView.selected;
    const root = frame.bodyMatrices[sel * st.perRobot];
    st.marker.visible = sel >= 0 && sel < st.count && !!root;
    if (st.marker.visible) st.marker.position.setFromMatrixPosition(root).addScaledVector(st.up, 0.45);
  },
  dispose(st) {
    if (!st) return;
    st.marker.removeFromParent();
    st.marker.geometry.dispose();
    (st.marker.material as THREE.Material).dispose();
    for (const r of st.rings) r.removeFromParent();
    st.rings[0]?.geometry.dispose();
    (st.rings[0]?.material as THREE.Material | undefined)?.dispose();
    st.bodies.colour(null);
    st.focus?.(null);
  },
};
/** Rings under the worst-epsilon robots by return this episode (the legend's epsilon; none at 0). */
function outlineWorst(st: State, data: PopulationFrame, bodyMatrices: readonly THREE.Matrix4[]): void {
  const worst = new Set(worstRobots(data.returns, populationView.epsilon));
  const p = new THREE.Vector3();
  st.rings.forEach((ring, i) => {
    const m = bodyMatrices[i * st.perRobot];
    ring.visible = worst.has(i) && !!m;
    if (!ring.visible) return;
    // under the root body, just above the ground
    p.setFromMatrixPosition(m);
    ring.position.copy(p.addScaledVector(st.up, 0.015 - p.dot(st.up)));
  });
}

/**
 * The camera follows the robots still running (all of them between episodes): the fallen ones
 * stay behind, the ones the policy keeps going stay in view.
 */
function follow(st: State, data: PopulationFrame, bodyMatrices: readonly THREE.Matrix4[]): void {
  const p = new THREE.Vector3(), c = new THREE.Vector3();
  const any = data.alive.includes(1);
  let n = 0;
  for (let i = 0; i < st.count; i++) {
    const m = bodyMatrices[i * st.perRobot];
    if (!m || (any && !data.alive[i])) continue;
    c.add(p.setFromMatrixPosition(m));
    n++;
  }
  if (!n) return;
  c.divideScalar(n);
  // glide rather than jump when a robot falls out or an episode restarts
  st.centre = st.centre ? st.centre.lerp(c, 0.08) : c;
  st.focus?.(st.centre);
}

export default population;
