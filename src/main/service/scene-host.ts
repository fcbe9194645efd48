/**
 * The scene host: the one owner of a session's clock, episodes, resets, fault timeline and
 * events, whatever scene it runs. Time is session time (seconds since open or reset), never
 * reset by an episode ending or a heal, so fault times, events and charts share one time base;
 * the episode-relative time is reported beside it.
 */
import { z } from 'zod';
import type { SceneSpec } from '../../shared/scene';
import type { ControlDecl } from '../../shared/scene-decl';
import type { SimEvent } from '../../shared/snapshot';
import type { Fault } from '../../physics/envs/types';
import { FaultTimeline } from './fault-timeline';
import type { HostContext, Scene, SceneDeclared, SceneDefinition } from './scene';

/** Controls the host adds to a scene with legs: it owns faults and episodes. */
export function hostControls(legs: number): ControlDecl[] {
  return [
    { id: 'fault', kind: 'fault', label: 'Break leg', danger: true, hint: 'session time (s) to break it at; empty = now', options: Array.from({ length: legs }, (_, i) => ({ value: String(i), label: `leg ${i}` })) },
    { id: 'heal', kind: 'button', label: 'Heal', hint: 'clear faults and restart the episode' },
  ];
}

const hostCommands = {
  fault: z.object({ leg: z.number().int().min(0).max(63), at: z.number().min(0).max(1e6).optional() }).strict(),
  heal: z.null().optional(),
};

/** A scene's declaration with the host's own controls added. */
export async function declaration(def: Pick<SceneDefinition, 'declare'>): Promise<SceneDeclared> {
  const d = await def.declare();
  const overlays = d.legs ? [...new Set([...d.overlays, 'highlight'])] : d.overlays;
  return { ...d, overlays, controls: d.legs ? [...d.controls, ...hostControls(d.legs)] : d.controls };
}

export class SceneHost {
  /** Session time (s) and physics frames since open or reset. */
  time = 0;
  frame = 0;
  /** Episodes ended since open or reset, and the session time the current one began. */
  episode = 0;
  private episodeStart = 0;
  private events: SimEvent[] = [];
  private readonly faults: FaultTimeline;
  private readonly context: HostContext;
  private readonly commands: SceneDeclared['commands'];
  private readonly overlayKinds: readonly string[];
  private readonly legs: number;

  constructor(
    readonly scene: Scene,
    declared: Pick<SceneDeclared, 'commands' | 'overlays' | 'legs'>,
    private seed: number,
  ) {
    this.commands = declared.commands;
    this.overlayKinds = declared.overlays;
    // the host's fault controls exist where the scene declared legs and can break them
    this.legs = declared.legs && scene.applyFault && scene.legs ? declared.legs : 0;
    this.faults = new FaultTimeline(
      (f) => this.scene.applyFault!(f),
      (f) => (f.kind === 'cripple' ? (this.scene.legs?.()[f.leg]?.bodies ?? []) : []),
      (time, kind, label) => this.events.push({ time, kind, label }),
    );
    const host = this;
    this.context = {
      get time() {
        return host.time;
      },
      note: (kind, label) => this.note(kind, label),
      restartEpisode: () => this.startEpisode(false),
    };
  }

  /** Opens a registered scene (its first episode starts with `seed`). */
  static async open(def: SceneDefinition, seed: number): Promise<SceneHost> {
    const [scene, listing] = await Promise.all([def.create(seed), declaration(def)]);
    return new SceneHost(scene, listing, seed);
  }

  get dt(): number {
    return this.scene.dt;
  }

  get episodeTime(): number {
    return this.time - this.episodeStart;
  }

  spec(): SceneSpec {
    return { ...this.scene.spec(), overlays: [...this.overlayKinds] };
  }

  /** Back to time 0 and the first episode (a new seed if given); scheduled faults are dropped. */
  reset(seed?: number): void {
    if (seed !== undefined) this.seed = seed;
    this.time = 0;
    this.frame = 0;
    this.episode = 0;
    this.events = [];
    this.startEpisode(false);
  }

  /** Faults due now fire before the step; an episode that ends starts the next one. */
  async step(): Promise<void> {
    this.faults.fireDue(this.time);
    const r = await this.scene.step();
    this.frame++;
    this.time += this.scene.dt;
    if (r?.done) {
      this.note('episode', `episode ${this.episode} ended${r.note ? `: ${r.note}` : ''}`);
      this.episode++;
      // faults scheduled for later still fire: their time is session time, not episode time
      this.startEpisode(true);
    }
  }

  private startEpisode(keepScheduled: boolean): void {
    this.faults.episodeStarted(keepScheduled);
    this.scene.reset(this.seed + this.episode);
    this.episodeStart = this.time;
  }

  private note(kind: string, label: string): void {
    this.events.push({ time: this.time, kind, label });
  }

  /** Carries out a control: the host's own (fault, heal) or one the scene declared, its value checked by the scene's schema. */
  async command(control: string, value: unknown): Promise<string> {
    const legs = this.legs;
    if (control === 'fault' && legs > 0) {
      const v = parse(hostCommands.fault, value, control);
      if (v.leg >= legs) throw new Error(`no leg ${v.leg}: this robot has ${legs} (0 to ${legs - 1})`);
      const fault: Fault = { kind: 'cripple', leg: v.leg };
      return this.faults.request(fault, v.at, this.time);
    }
    if (control === 'heal' && legs > 0) {
      parse(hostCommands.heal, value, control);
      this.note('reset', 'healed (episode restarted)');
      this.startEpisode(false);
      return 'faults cleared; episode restarted';
    }
    const schema = this.commands[control];
    if (!schema || !this.scene.command) {
      const known = [...(legs > 0 ? ['fault', 'heal'] : []), ...Object.keys(this.commands)];
      throw new Error(`this scene has no control "${control}" (it has: ${known.join(', ') || 'none'})`);
    }
    return this.scene.command(control, parse(schema, value, control), this.context);
  }

  telemetry(): Record<string, number> {
    return this.scene.telemetry();
  }

  /** The scene's overlay data plus the host's: the broken bodies. */
  overlays(): Record<string, unknown> {
    const o = { ...(this.scene.overlays?.() ?? {}) };
    if (this.overlayKinds.includes('highlight')) o.highlight = this.faults.highlight();
    return o;
  }

  drainEvents(): SimEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  dispose(): void {
    this.scene.dispose();
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, control: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new Error(`invalid value for "${control}"${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`);
}
