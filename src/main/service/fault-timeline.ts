/**
 * Faults of a live scene over sim time: fire now or at a time, remember which bodies are broken
 * (drawn highlighted), and report each as an event for the charts and the log.
 */
import type { SceneSpec } from '../../shared/scene';
import type { SimEvent } from '../../shared/snapshot';
import type { Fault } from '../../physics/envs/types';
import { legBodies } from './scene-runner';

export class FaultTimeline {
  private pending: { at: number; fault: Fault }[] = [];
  private readonly broken = new Set<number>();
  private events: SimEvent[] = [];

  constructor(
    private readonly apply: (f: Fault) => void,
    private readonly spec: () => SceneSpec,
  ) {}

  /** Fires the fault now, or schedules it when `at` lies ahead; returns a line for the log. */
  request(fault: Fault, at: number | undefined, now: number): string {
    if (at !== undefined && at > now) {
      this.pending.push({ at, fault });
      return `${fault.kind} scheduled at t = ${at.toFixed(2)} s`;
    }
    this.fire(fault, now);
    return `${fault.kind} applied at t = ${now.toFixed(2)} s`;
  }

  /** Call before each step: fires what is due. */
  fireDue(now: number): void {
    const due = this.pending.filter((p) => p.at <= now + 1e-9);
    this.pending = this.pending.filter((p) => p.at > now + 1e-9);
    for (const p of due) this.fire(p.fault, now);
  }

  private fire(fault: Fault, now: number): void {
    this.apply(fault);
    if (fault.kind === 'cripple') for (const b of legBodies(this.spec(), fault.leg)) this.broken.add(b);
    const label =
      fault.kind === 'cripple' ? `leg ${fault.leg} broken` : fault.kind === 'lockJoint' ? `joint ${fault.joint} locked` : `motor ${fault.joint} weakened to ${fault.factor}`;
    this.note(now, 'fault', label);
  }

  note(time: number, kind: string, label: string): void {
    this.events.push({ time, kind, label });
  }

  /** A new episode: faults are gone (the env's reset clears them); keep scheduled ones if asked. */
  episodeStarted(keepScheduled = false): void {
    this.broken.clear();
    if (!keepScheduled) this.pending = [];
  }

  highlight(): number[] {
    return [...this.broken];
  }

  drainEvents(): SimEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }
}
