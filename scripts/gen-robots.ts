/**
 * Writes the built-in robots as URDF: assets/robots/{ant,hopper,quadrotor}.urdf.
 *
 *   npx tsx scripts/gen-robots.ts           # (re)write the files
 *   npx tsx scripts/gen-robots.ts --check   # exit 1 when a file differs from what this writes
 *
 * The URDF files are what the app loads (src/physics/robots/load.ts); this script only records
 * how their numbers were derived from the published parameters, so inertials (MuJoCo's
 * inertiafromgeom at the published densities, exact capsule volumes) need not be computed by hand.
 * Published sources:
 *  - Ant: Gymnasium ant.xml (v4/v5), https://github.com/Farama-Foundation/Gymnasium/blob/main/gymnasium/envs/mujoco/assets/ant.xml
 *  - Hopper: Gymnasium hopper.xml (v4/v5), https://github.com/Farama-Foundation/Gymnasium/blob/main/gymnasium/envs/mujoco/assets/hopper.xml
 *  - Quadrotor with a suspended payload: after Belkhale et al., "Model-Based Meta-Reinforcement
 *    Learning for Flight with Suspended Payloads", IEEE RA-L 2021 (a 0.5 kg X-frame, 0.12 m arms,
 *    0.1 kg payload on a 0.5 m cable).
 * Actuator properties URDF cannot express (Gym's gear, MuJoCo's armature, rotor constants) are not
 * written here: they are the actuator tables in src/physics/robots/*.ts (see assets/robots/README.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Collision, Geometry, Joint, Link, Pose, Quat, RobotModel, Rgba, Vec3, Visual } from '../src/physics/robot/model.js';
import { fromTo, inertialFromGeoms } from '../src/physics/robot/inertia.js';

const pose = (xyz: Vec3 = [0, 0, 0], quat: Quat = [0, 0, 0, 1]): Pose => ({ xyz, quat });

interface GeomDef {
  name?: string;
  geometry: Geometry;
  origin: Pose;
  friction?: number;
  color?: Rgba;
}

function capsuleFromTo(a: Vec3, b: Vec3, radius: number, extra: Partial<GeomDef> = {}): GeomDef {
  const { origin, length } = fromTo(a, b);
  return { geometry: { kind: 'capsule', radius, length }, origin, ...extra };
}

/** A link whose inertial is computed from its geoms at uniform density (MuJoCo inertiafromgeom). */
function linkFromGeoms(name: string, geoms: GeomDef[], density: number, color: Rgba): Link {
  return {
    name,
    inertial: inertialFromGeoms(geoms, density),
    visuals: geoms.map((g): Visual => ({ name: g.name, origin: g.origin, geometry: g.geometry, material: { color: g.color ?? color } })),
    collisions: geoms.map((g): Collision => ({ name: g.name, origin: g.origin, geometry: g.geometry, friction: g.friction })),
  };
}

/** An MJCF hinge with range in degrees; damping goes to <dynamics>, effort is the motor's peak torque (gear). */
function hinge(name: string, parent: string, child: string, origin: Vec3, axis: Vec3, rangeDeg: [number, number], effort: number, damping: number): Joint {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  return {
    name,
    type: 'revolute',
    parent,
    child,
    origin: pose(origin),
    axis: [axis[0] / n, axis[1] / n, axis[2] / n],
    limit: { lower: (rangeDeg[0] * Math.PI) / 180, upper: (rangeDeg[1] * Math.PI) / 180, effort, velocity: 100 },
    dynamics: { damping, friction: 0 },
  };
}

// ---------------------------------------------------------------------------------------------
// Ant (ant.xml): density 5, torso sphere r .25, leg capsules r .08, hips ±30°, ankles 30..70°
// (legs 1, 4) / -70..-30° (legs 2, 3); every hinge damping 1 (armature 1, gear 150: actuator
// table); contact friction 1. The hip "aux" capsules belong to the torso (MJCF bodies without
// joints are welded to their parent).
function ant(): RobotModel {
  const density = 5, legR = 0.08, friction = 1, gear = 150, damping = 1;
  const brown: Rgba = [0.8, 0.6, 0.4, 1];
  const legs: { dir: [number, number]; ankleAxis: Vec3; ankleRange: [number, number] }[] = [
    { dir: [1, 1], ankleAxis: [-1, 1, 0], ankleRange: [30, 70] },
    { dir: [-1, 1], ankleAxis: [1, 1, 0], ankleRange: [-70, -30] },
    { dir: [-1, -1], ankleAxis: [-1, 1, 0], ankleRange: [-70, -30] },
    { dir: [1, -1], ankleAxis: [1, 1, 0], ankleRange: [30, 70] },
  ];
  const torsoGeoms: GeomDef[] = [{ name: 'torso_geom', geometry: { kind: 'sphere', radius: 0.25 }, origin: pose(), friction }];
  const links: Link[] = [];
  const joints: Joint[] = [];
  legs.forEach((leg, i) => {
    const k = i + 1;
    const [dx, dy] = leg.dir;
    const hipPos: Vec3 = [0.2 * dx, 0.2 * dy, 0];
    torsoGeoms.push(capsuleFromTo([0, 0, 0], hipPos, legR, { name: `aux_${k}_geom`, friction }));
    links.push(linkFromGeoms(`aux_${k}`, [capsuleFromTo([0, 0, 0], [0.2 * dx, 0.2 * dy, 0], legR, { name: `leg_${k}_geom`, friction })], density, brown));
    links.push(linkFromGeoms(`foot_${k}`, [capsuleFromTo([0, 0, 0], [0.4 * dx, 0.4 * dy, 0], legR, { name: `ankle_${k}_geom`, friction })], density, brown));
    joints.push(hinge(`hip_${k}`, 'torso', `aux_${k}`, hipPos, [0, 0, 1], [-30, 30], gear, damping));
    joints.push(hinge(`ankle_${k}`, `aux_${k}`, `foot_${k}`, [0.2 * dx, 0.2 * dy, 0], leg.ankleAxis, leg.ankleRange, gear, damping));
  });
  links.unshift(linkFromGeoms('torso', torsoGeoms, density, brown));
  return { name: 'ant', links, joints, root: 'torso' };
}

// Hopper (hopper.xml): density 1000 (MuJoCo default); capsules torso r .05 (z 1.45..1.05), thigh
// r .05 (1.05..0.6), leg r .04 (0.6..0.1), foot r .06 (x -0.13..0.26 at z 0.1); hinges about -y
// with ranges -150..0°, -150..0°, -45..45°, damping 1 (armature 1, gear 200: actuator table);
// friction .9 (foot 2.0). The root is a planar joint from `world` (MJCF rootx/rootz/rooty).
// Link frames sit at each joint; the torso frame at its centre (z = 1.25 in the world).
function hopper(): RobotModel {
  const density = 1000, gear = 200, damping = 1, friction = 0.9, footFriction = 2.0;
  const c: Rgba = [0.8, 0.6, 0.4, 1];
  const torso = linkFromGeoms('torso', [capsuleFromTo([0, 0, 0.2], [0, 0, -0.2], 0.05, { name: 'torso_geom', friction })], density, c);
  const thigh = linkFromGeoms('thigh', [capsuleFromTo([0, 0, 0], [0, 0, -0.45], 0.05, { name: 'thigh_geom', friction })], density, c);
  const leg = linkFromGeoms('leg', [capsuleFromTo([0, 0, 0], [0, 0, -0.5], 0.04, { name: 'leg_geom', friction })], density, c);
  const foot = linkFromGeoms('foot', [capsuleFromTo([-0.13, 0, 0], [0.26, 0, 0], 0.06, { name: 'foot_geom', friction: footFriction })], density, c);
  return {
    name: 'hopper',
    root: 'world',
    links: [{ name: 'world', visuals: [], collisions: [] }, torso, thigh, leg, foot],
    joints: [
      { name: 'root', type: 'planar', parent: 'world', child: 'torso', origin: pose([0, 0, 1.25]), axis: [0, 1, 0] },
      hinge('thigh_joint', 'torso', 'thigh', [0, 0, -0.2], [0, -1, 0], [-150, 0], gear, damping),
      hinge('leg_joint', 'thigh', 'leg', [0, 0, -0.45], [0, -1, 0], [-150, 0], gear, damping),
      hinge('foot_joint', 'leg', 'foot', [0, 0, -0.5], [0, -1, 0], [-45, 45], gear, damping),
    ],
  };
}

// Quadrotor (Belkhale et al. 2021-like): 0.5 kg X-frame (plate 0.1 x 0.1 x 0.04, two arms of
// 2 x 0.12 m, four rotor discs r .05 at 0.12 m from the centre, inertia from these shapes at uniform
// density, scaled to 0.5 kg); 0.1 kg payload sphere r .03 hanging 0.5 m below the body's bottom.
// The cable is not a link: the env makes it a rope constraint; the `cable` joint (floating) only
// places the payload as a free body.
function quadrotor(): RobotModel {
  const bodyMass = 0.5, armLength = 0.12, payloadMass = 0.1, payloadRadius = 0.03, cableLength = 0.5, halfHeight = 0.02;
  const grey: Rgba = [0.3, 0.3, 0.35, 1];
  const a = armLength / Math.SQRT2;
  const plate: GeomDef = { geometry: { kind: 'box', size: [0.1, 0.1, 2 * halfHeight] }, origin: pose() };
  const arms: GeomDef[] = [Math.PI / 8, -Math.PI / 8].map((h) => ({ geometry: { kind: 'box', size: [2 * armLength, 0.02, 0.01] }, origin: pose([0, 0, 0], [0, 0, Math.sin(h), Math.cos(h)]) }));
  const rotorPos: [number, number][] = [[a, a], [-a, a], [-a, -a], [a, -a]];
  const rotors: GeomDef[] = rotorPos.map(([x, y], i) => ({
    name: `rotor_${i}`,
    geometry: { kind: 'cylinder', radius: 0.05, length: 0.01 },
    origin: pose([x, y, halfHeight]),
    color: i < 2 ? [0.9, 0.3, 0.2, 1] : [0.2, 0.5, 0.9, 1],
  }));
  const body = linkFromGeoms('body', [plate, ...arms, ...rotors], 1, grey);
  const k = bodyMass / body.inertial!.mass;
  const t = body.inertial!.inertia;
  body.inertial = {
    mass: bodyMass,
    origin: body.inertial!.origin,
    inertia: { ixx: t.ixx * k, iyy: t.iyy * k, izz: t.izz * k, ixy: t.ixy * k, ixz: t.ixz * k, iyz: t.iyz * k },
  };
  const yellow: Rgba = [0.95, 0.75, 0.1, 1];
  const payload = linkFromGeoms('payload', [{ name: 'payload_geom', geometry: { kind: 'sphere', radius: payloadRadius }, origin: pose(), color: yellow }], 1, yellow);
  const r2 = 0.4 * payloadMass * payloadRadius ** 2;
  payload.inertial = { mass: payloadMass, origin: pose(), inertia: { ixx: r2, iyy: r2, izz: r2, ixy: 0, ixz: 0, iyz: 0 } };
  return {
    name: 'quadrotor',
    root: 'body',
    links: [body, payload],
    joints: [{ name: 'cable', type: 'floating', parent: 'body', child: 'payload', origin: pose([0, 0, -halfHeight - cableLength]), axis: [0, 0, 1] }],
  };
}

// ---------------------------------------------------------------------------------------------
// RobotModel -> URDF text

/** Shortest round-trip decimal; values below 1e-15 in magnitude (rounding residue) are written as 0. */
function num(x: number): string {
  return Math.abs(x) < 1e-15 ? '0' : String(x);
}
const nums = (v: readonly number[]): string => v.map(num).join(' ');

/** Quaternion [x, y, z, w] -> URDF rpy (R = Rz(yaw) Ry(pitch) Rx(roll)); checked by round trip. */
function rpyFromQuat(q: Quat): Vec3 {
  const [x, y, z, w] = q;
  const r00 = 1 - 2 * (y * y + z * z), r10 = 2 * (x * y + z * w), r20 = 2 * (x * z - y * w);
  const r21 = 2 * (y * z + x * w), r22 = 1 - 2 * (x * x + y * y);
  const r11 = 1 - 2 * (x * x + z * z), r12 = 2 * (y * z - x * w);
  if (Math.abs(r20) > 1 - 1e-12) {
    // gimbal lock: yaw = 0, R = Ry(pitch) Rx(roll)
    return [Math.atan2(-r12, r11), r20 < 0 ? Math.PI / 2 : -Math.PI / 2, 0];
  }
  const a: Vec3 = [Math.atan2(r21, r22), Math.asin(-r20), Math.atan2(r10, r00)];
  // the other solution (roll + pi, pi - pitch, yaw + pi) when it reads simpler, e.g. (0 pi 0) for (pi 0 pi)
  const wrap = (t: number): number => (t > Math.PI ? t - 2 * Math.PI : t <= -Math.PI ? t + 2 * Math.PI : t);
  const b: Vec3 = [wrap(a[0] + Math.PI), wrap(Math.PI - a[1]), wrap(a[2] + Math.PI)];
  const l1 = (v: Vec3): number => Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
  return l1(b) < l1(a) - 1e-9 ? b : a;
}

function quatFromRpy(r: number, p: number, y: number): Quat {
  const cr = Math.cos(r / 2), sr = Math.sin(r / 2), cp = Math.cos(p / 2), sp = Math.sin(p / 2), cy = Math.cos(y / 2), sy = Math.sin(y / 2);
  return [sr * cp * cy - cr * sp * sy, cr * sp * cy + sr * cp * sy, cr * cp * sy - sr * sp * cy, cr * cp * cy + sr * sp * sy];
}

function origin(p: Pose, indent: string): string {
  const rpy = rpyFromQuat(p.quat);
  const back = quatFromRpy(...rpy);
  const dot = back.reduce((s, v, i) => s + v * p.quat[i], 0);
  if (Math.abs(Math.abs(dot) - 1) > 1e-12) throw new Error(`rpy round trip failed for quat ${p.quat.join(' ')}`);
  const isZero = (v: readonly number[]) => v.every((c) => num(c) === '0');
  if (isZero(p.xyz) && isZero(rpy)) return '';
  return `${indent}<origin xyz="${nums(p.xyz)}" rpy="${nums(rpy)}"/>\n`;
}

function geometry(g: Geometry): string {
  switch (g.kind) {
    case 'sphere':
      return `<sphere radius="${num(g.radius)}"/>`;
    case 'box':
      return `<box size="${nums(g.size)}"/>`;
    case 'cylinder':
      return `<cylinder radius="${num(g.radius)}" length="${num(g.length)}"/>`;
    case 'capsule':
      // Non-standard but widespread (Drake, pybullet, MuJoCo exports); our importer reads it as a
      // capsule along Z with `length` excluding the caps, exactly the collider Rapier builds.
      return `<capsule radius="${num(g.radius)}" length="${num(g.length)}"/>`;
    default:
      throw new Error(`geometry ${g.kind} not supported by the generator`);
  }
}

function toUrdf(m: RobotModel, header: string, materialNames: Map<string, string>): string {
  const matName = (c: Rgba): string => {
    const n = materialNames.get(nums(c));
    if (!n) throw new Error(`no material name for colour ${nums(c)}`);
    return n;
  };
  let s = `<?xml version="1.0"?>\n<!--\n${header}\n-->\n<robot name="${m.name}">\n`;
  for (const [rgba, name] of materialNames) s += `  <material name="${name}"><color rgba="${rgba}"/></material>\n`;
  for (const l of m.links) {
    if (!l.inertial && !l.visuals.length && !l.collisions.length) {
      s += `\n  <link name="${l.name}"/>\n`;
      continue;
    }
    s += `\n  <link name="${l.name}">\n`;
    if (l.inertial) {
      const t = l.inertial.inertia;
      s += `    <inertial>\n${origin(l.inertial.origin, '      ')}      <mass value="${num(l.inertial.mass)}"/>\n`;
      s += `      <inertia ixx="${num(t.ixx)}" ixy="${num(t.ixy)}" ixz="${num(t.ixz)}" iyy="${num(t.iyy)}" iyz="${num(t.iyz)}" izz="${num(t.izz)}"/>\n    </inertial>\n`;
    }
    for (const v of l.visuals) {
      s += `    <visual${v.name ? ` name="${v.name}"` : ''}>\n${origin(v.origin, '      ')}      <geometry>${geometry(v.geometry)}</geometry>\n`;
      if (v.material) s += `      <material name="${matName(v.material.color)}"/>\n`;
      s += `    </visual>\n`;
    }
    for (const c of l.collisions) s += `    <collision${c.name ? ` name="${c.name}"` : ''}>\n${origin(c.origin, '      ')}      <geometry>${geometry(c.geometry)}</geometry>\n    </collision>\n`;
    const fr = new Set(l.collisions.map((c) => c.friction));
    if (fr.size > 1) throw new Error(`link ${l.name}: collisions with different frictions cannot be written`);
    const f = [...fr][0];
    if (f !== undefined) s += `    <!-- contact friction (pybullet's <contact>, read by our importer) -->\n    <contact><lateral_friction value="${num(f)}"/></contact>\n`;
    s += `  </link>\n`;
  }
  for (const j of m.joints) {
    s += `\n  <joint name="${j.name}" type="${j.type}">\n    <parent link="${j.parent}"/>\n    <child link="${j.child}"/>\n`;
    s += origin(j.origin, '    ');
    s += `    <axis xyz="${nums(j.axis)}"/>\n`;
    if (j.limit) s += `    <limit lower="${num(j.limit.lower)}" upper="${num(j.limit.upper)}" effort="${num(j.limit.effort)}" velocity="${num(j.limit.velocity)}"/>\n`;
    if (j.dynamics) s += `    <dynamics damping="${num(j.dynamics.damping)}" friction="${num(j.dynamics.friction)}"/>\n`;
    s += `  </joint>\n`;
  }
  return s + `</robot>\n`;
}

const COMMON = `  Written for AdaptLab by scripts/gen-robots.ts (npx tsx scripts/gen-robots.ts); this file is the
  definition the app loads. Inertials: MuJoCo's inertiafromgeom (uniform density, exact capsule
  volumes) about the link's centre of mass. Units: m, kg, rad. <capsule> is non-standard URDF (see
  assets/robots/README.md); friction is pybullet's <contact><lateral_friction>.
  Actuators (gear, armature) are not robot geometry: see the actuator table in src/physics/robots/.`;

export function generateRobotUrdfs(): Record<'ant' | 'hopper' | 'quadrotor', string> {
  const brown = new Map([['0.8 0.6 0.4 1', 'brown']]);
  return {
    ant: toUrdf(ant(), `  Ant: Gymnasium ant.xml (v4/v5) parameters,
  https://github.com/Farama-Foundation/Gymnasium/blob/main/gymnasium/envs/mujoco/assets/ant.xml
  density 5, torso sphere r 0.25, leg capsules r 0.08, hips +-30 deg, ankles 30..70 deg (legs 1, 4)
  and -70..-30 deg (legs 2, 3), joint damping 1, contact friction 1. The aux_N_geom capsules are the
  welded hip stubs of the MJCF (part of the torso). Gym's actuators: gear 150, armature 1.
${COMMON}`, brown),
    hopper: toUrdf(hopper(), `  Hopper: Gymnasium hopper.xml (v4/v5) parameters,
  https://github.com/Farama-Foundation/Gymnasium/blob/main/gymnasium/envs/mujoco/assets/hopper.xml
  density 1000; capsules torso r 0.05 (z 1.45..1.05), thigh r 0.05 (1.05..0.6), leg r 0.04
  (0.6..0.1), foot r 0.06 (x -0.13..0.26 at z 0.1); hinges about -y, ranges -150..0, -150..0,
  -45..45 deg; joint damping 1; friction 0.9 (foot 2.0). MJCF's rootx/rootz/rooty slide-slide-hinge
  root is the URDF planar joint "root" (motion in the x-z plane, normal +y). Gym's actuators: gear
  200, armature 1.
${COMMON}`, brown),
    quadrotor: toUrdf(quadrotor(), `  Quadrotor with a suspended payload, after Belkhale et al., "Model-Based Meta-Reinforcement
  Learning for Flight with Suspended Payloads", IEEE RA-L 2021: 0.5 kg X-frame body, rotors 0.12 m
  from the centre (disc r 0.05), 0.1 kg payload sphere r 0.03, cable 0.5 m from the centre of the
  body's bottom face. Body inertia: the shapes below at uniform density, scaled to 0.5 kg. The cable
  is a rope constraint made by the env (length randomizable); the floating joint "cable" only places
  the payload as a free body at the nominal length. Rotor constants (thrust-to-hover 2, yaw torque
  per newton 0.016 m, spin directions): the actuator table in src/physics/robots/quadrotor.ts.
${COMMON}`, new Map([['0.3 0.3 0.35 1', 'grey'], ['0.9 0.3 0.2 1', 'rotor_front'], ['0.2 0.5 0.9 1', 'rotor_back'], ['0.95 0.75 0.1 1', 'payload']])),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [name, text] of Object.entries(generateRobotUrdfs())) {
    const file = fileURLToPath(new URL(`../assets/robots/${name}.urdf`, import.meta.url));
    if (check) {
      let cur = '';
      try {
        cur = readFileSync(file, 'utf8');
      } catch {
        /* missing */
      }
      if (cur !== text) {
        console.error(`${file} differs from scripts/gen-robots.ts`);
        stale++;
      }
    } else {
      writeFileSync(file, text);
      console.log(`wrote ${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
