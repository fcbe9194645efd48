/**
 * The quadrotor adaptation view's scene (Belkhale et al. 2021): QuadPayloadVel-v0 flies a
 * reference path carrying a payload of unknown mass on a cable of unknown length. The latent
 * model infers a payload variable z online and plans through the z-conditioned dynamics; MB,
 * MB + history, the oracle (told the true payload) and the per-axis PID are its baselines.
 * "Swap payload now" sets the payload mid-flight (a setParams fault) to the sliders' values:
 * z should move and its read-out follow the true values. The camera follows the quad; the
 * reference and the payload's trail are drawn.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SceneSpec } from '../../shared/scene';
import type { ControlDecl, TelemetryDecl } from '../../shared/scene-decl';
import { makeEnv } from '../../physics/envs/registry';
import { QUAD_OBS, QUAD_REFERENCES, type QuadReference } from '../../physics/envs/quadPayload';
import type { QuadPayloadVelEnv } from '../../physics/envs/quadPayloadVel';
import { quadPid, type QuadPid } from '../../physics/controllers/quad-pid';
import type { AdaptiveController, StepDiagnostics } from '../../meta/mbrl/controller';
import type { QuadMethod } from '../../meta/mbrl/eval-quad';
import { QUAD_MB_CONFIG, QUAD_TASK_ID, quadCheckpointPath } from '../../meta/mbrl/quad';
import type { HostContext, Scene, SceneDeclared } from './scene';
import { Trail, TRAIL_SECONDS } from './trail';
import { ASSETS } from '../cli/paths';

const QUAD_ENV = QUAD_TASK_ID;

/** eval-adapt's quadrotor methods (eval-quad.ts), as the select shows them. */
export const QUAD_METHODS: readonly { value: QuadMethod; label: string }[] = [
  { value: 'latent', label: 'Latent z' },
  { value: 'mb', label: 'MB' },
  { value: 'mbhist', label: 'MB + history' },
  { value: 'oracle', label: 'Oracle' },
  { value: 'pid', label: 'PID' },
];
/** The methods that plan with a learned model (a checkpoint each). */
type ModelMethod = Exclude<QuadMethod, 'pid'>;

/** The payload the sliders offer (the training range and a little beyond), and where they start: the scenario's swap. */
export const PAYLOAD_RANGE = {
  payload_mass: { label: 'Payload mass', min: 0.05, max: 0.4, step: 0.01, unit: 'kg', initial: 0.25 },
  cable_length: { label: 'Cable length', min: 0.2, max: 1.4, step: 0.05, unit: 'm', initial: 1.0 },
} as const;
type PayloadKey = keyof typeof PAYLOAD_RANGE;
const PAYLOAD_KEYS = Object.keys(PAYLOAD_RANGE) as PayloadKey[];
const payloadValue = (k: PayloadKey) => z.number().min(PAYLOAD_RANGE[k].min).max(PAYLOAD_RANGE[k].max);
const payloadSchema = z.object({ payload_mass: payloadValue('payload_mass'), cable_length: payloadValue('cable_length') }).partial().strict();
export type PayloadSwap = z.infer<typeof payloadSchema>;

export const QUAD_TELEMETRY: TelemetryDecl[] = [
  { key: 'tracking_error', label: 'payload tracking error', unit: 'm', group: 'tracking error' },
  // the true value is named in full: without the latent model it is its chart's only series
  { key: 'true:cable_length', label: 'true cable length', unit: 'm', group: 'cable length' },
  { key: 'inferred:cable_length', label: 'inferred from z', unit: 'm', group: 'cable length' },
  { key: 'true:payload_mass', label: 'true payload mass', unit: 'kg', group: 'payload mass' },
  { key: 'inferred:payload_mass', label: 'inferred from z', unit: 'kg', group: 'payload mass' },
  // the chart has no bands: the posterior's mean and std are two charts
  { key: 'z:*', label: 'z', unit: '', group: 'latent z (mean)' },
  { key: 'zstd:*', label: 'z std', unit: '', group: 'latent z (std)' },
  { key: 'control_ms', label: 'controller', unit: 'ms', group: 'control step' },
];

/** The latent model's q(z) and its read-out as payload parameters. */
type LatentDiagnostics = NonNullable<StepDiagnostics['latent']>;

/** A method's shipped checkpoint, under the package's assets ($ADAPTLAB_CHECKPOINTS overrides the root, as for the ant). */
export function checkpointOf(method: ModelMethod): string {
  return quadCheckpointPath(method, process.env.ADAPTLAB_CHECKPOINTS ?? join(ASSETS, 'checkpoints'));
}

/** The methods offered: those whose checkpoint exists, and PID always. */
export function availableMethods(): QuadMethod[] {
  return QUAD_METHODS.map((m) => m.value).filter((m) => m === 'pid' || existsSync(checkpointOf(m)));
}

/** The scene opens with the latent model where it ships, else PID. */
export function defaultMethod(available = availableMethods()): QuadMethod {
  return available.includes('latent') ? 'latent' : 'pid';
}

export class QuadScene implements Scene {
  readonly dt: number;
  private obs: Float32Array;
  /** The payload's distance from the reference now (m); a step reports it, a reset's obs holds it. */
  private trackingError = 0;
  private ctl: AdaptiveController | null = null;
  private pid: QuadPid;
  private readonly action = new Float32Array(3);
  private readonly trail: Trail;
  /** The payload "swap payload now" applies (the sliders). */
  private readonly next: Required<PayloadSwap> = { payload_mass: PAYLOAD_RANGE.payload_mass.initial, cable_length: PAYLOAD_RANGE.cable_length.initial };
  private controlMs = 0;
  private latent: LatentDiagnostics | null = null;
  private errorSum = 0;
  private steps = 0;

  private constructor(
    private env: QuadPayloadVelEnv,
    private seed: number,
    private method: QuadMethod,
    private reference: QuadReference,
  ) {
    this.dt = env.dt;
    this.trail = new Trail(TRAIL_SECONDS, env.dt);
    this.pid = quadPid(env.dt, env.maxSpeed);
    this.obs = new Float32Array(env.observationSize);
  }

  /** Its declaration: the methods whose checkpoints ship, the payload sliders and swap, the reference. */
  static describe(): SceneDeclared {
    const methods = availableMethods();
    const controls: ControlDecl[] = [
      { id: 'method', kind: 'select', label: 'Method', options: QUAD_METHODS.filter((m) => methods.includes(m.value)).map((m) => ({ ...m })), initial: defaultMethod(methods), hint: 'what flies the quad: MPC through a learned model (latent payload z; MB without it; MB + history; the oracle told the true payload), or the per-axis PID' },
      ...PAYLOAD_KEYS.map((k): ControlDecl => {
        const { label, min, max, step, unit, initial } = PAYLOAD_RANGE[k];
        return { id: k, kind: 'slider', label, min, max, step, unit, initial, hint: `${label.toLowerCase()} the next swap sets` };
      }),
      { id: 'swap', kind: 'button', label: 'Swap payload now', danger: true, hint: 'set the payload to the sliders\u2019 values mid-flight' },
      { id: 'reference', kind: 'select', label: 'Reference', options: QUAD_REFERENCES.map((r) => ({ value: r, label: r })), initial: 'figure8', hint: 'the path the payload should follow (restarts the episode)' },
    ];
    return {
      controls,
      commands: {
        method: z.enum(methods as [QuadMethod, ...QuadMethod[]]),
        payload_mass: payloadValue('payload_mass'),
        cable_length: payloadValue('cable_length'),
        // the button sends null (the sliders' payload); a scenario may name the payload itself
        swap: payloadSchema.nullable(),
        reference: z.enum(QUAD_REFERENCES),
      },
      telemetry: QUAD_TELEMETRY,
      overlays: ['tethers', 'trackPath'],
    };
  }

  static async create(seed: number, method: QuadMethod = defaultMethod(), reference: QuadReference = 'figure8'): Promise<QuadScene> {
    const scene = new QuadScene(await QuadScene.makeEnv(reference), seed, method, reference);
    scene.ctl = await scene.controller(method);
    scene.reset(seed);
    return scene;
  }

  /** The interface the checkpoints were trained and evaluated on (0.2 s commands); PID flies it too, as in eval-adapt. */
  private static async makeEnv(reference: QuadReference): Promise<QuadPayloadVelEnv> {
    return (await makeEnv(QUAD_ENV, { ...QUAD_MB_CONFIG, reference })) as QuadPayloadVelEnv;
  }

  /** The method's model-based controller (null for PID), bound to the current env. */
  private async controller(method: QuadMethod): Promise<AdaptiveController | null> {
    if (method === 'pid') return null;
    const path = checkpointOf(method);
    if (!existsSync(path)) throw new Error(`no pretrained ${method} checkpoint at ${path}; train one for ${QUAD_ENV} (see src/meta/mbrl/README.md) or choose pid`);
    // tfjs loads only when a learned method flies (PID opens without it)
    const [{ initBackend }, { createAdaptiveController }] = await Promise.all([import('../../meta/backend'), import('../../meta/mbrl/controller')]);
    await initBackend();
    // Each method has its own checkpoint, trained with its own method (the oracle's is the model
    // method 'params'): the checkpoint says how to run it. The oracle is told the true payload, swaps included.
    return createAdaptiveController({ checkpoint: path, env: this.env, seed: this.seed, trueParams: () => this.env.params() });
  }

  spec(): SceneSpec {
    // followed from far enough that the 2 m figure-8 stays in view, from behind and above its long axis
    return { ...this.env.sceneSpec(), name: 'Quadrotor with an unknown payload', followBody: 0, frameRadius: 1.6, viewFrom: [0.35, -1, 0.6] };
  }

  reset(seed: number): void {
    this.seed = seed;
    const r = this.env.reset({ seed });
    this.obs = r.obs;
    this.trackingError = Math.hypot(r.obs[QUAD_OBS.errX], r.obs[QUAD_OBS.errY], r.obs[QUAD_OBS.errZ]);
    this.pid.reset();
    this.ctl?.reset(seed);
    this.latent = null;
    this.errorSum = 0;
    this.steps = 0;
    this.trail.restart(this.env.trackedPoint());
  }

  step() {
    const t0 = performance.now();
    const action = this.ctl ? this.ctl.act(this.obs) : this.pid.act(this.obs, this.action);
    this.controlMs = performance.now() - t0;
    const r = this.env.step(action);
    this.obs = r.obs;
    if (typeof r.info.tracking_error === 'number') this.trackingError = r.info.tracking_error;
    this.latent = this.ctl?.diagnostics()?.latent ?? null;
    this.trail.push(this.env.trackedPoint());
    this.errorSum += this.trackingError;
    this.steps++;
    const done = r.terminated || r.truncated;
    return { done, note: `${r.terminated ? 'crashed' : 'truncated'}, mean tracking error ${(this.errorSum / this.steps).toFixed(3)} m` };
  }

  overlays(): Record<string, unknown> {
    return { tethers: this.env.tetherLengths(), trackPath: { reference: this.env.referencePath(), trail: this.trail.xyz } };
  }

  async command(control: string, value: unknown, host: HostContext): Promise<string> {
    if (control === 'payload_mass' || control === 'cable_length') {
      this.next[control] = value as number;
      return `next swap: ${describePayload(this.next)}`;
    }
    if (control === 'swap') {
      const params = { ...this.next, ...(value as PayloadSwap | null) };
      this.env.applyFault({ kind: 'setParams', params });
      const line = `payload swapped: ${describePayload(params)}`;
      host.note('fault', line);
      return line;
    }
    if (control === 'method') {
      const method = value as QuadMethod;
      const next = await this.controller(method);
      this.ctl?.dispose();
      this.ctl = next;
      this.ctl?.reset(this.seed);
      this.pid.reset();
      this.method = method;
      this.latent = null;
      host.note('method', `method ${method}`);
      return `method: ${method}`;
    }
    // reference: part of the env's config; a new env (same bodies) and controllers bound to it
    this.reference = value as QuadReference;
    const env = await QuadScene.makeEnv(this.reference);
    this.ctl?.dispose();
    this.env.dispose();
    this.env = env;
    this.pid = quadPid(env.dt, env.maxSpeed);
    this.ctl = await this.controller(this.method);
    host.restartEpisode();
    return `reference: ${this.reference}`;
  }

  writePoses(out: Float32Array): void {
    this.env.writePoses(out);
  }

  telemetry(): Record<string, number> {
    // every key from frame 0 on: a recording's sparkline reads the first snapshot
    const t: Record<string, number> = { control_ms: this.controlMs, tracking_error: this.trackingError };
    const truth = this.env.params();
    for (const k of PAYLOAD_KEYS) t[`true:${k}`] = truth[k];
    const z = this.latent;
    if (z) {
      z.mean.forEach((m, i) => (t[`z:z${i}`] = m));
      z.std.forEach((s, i) => (t[`zstd:z${i}`] = s));
      for (const k of PAYLOAD_KEYS) if (typeof z.params?.[k] === 'number') t[`inferred:${k}`] = z.params[k];
    }
    return t;
  }

  dispose(): void {
    this.ctl?.dispose();
    this.env.dispose();
  }
}

function describePayload(p: PayloadSwap): string {
  return [p.payload_mass !== undefined ? `${p.payload_mass.toFixed(2)} kg` : '', p.cable_length !== undefined ? `on ${p.cable_length.toFixed(2)} m` : ''].filter(Boolean).join(' ');
}
