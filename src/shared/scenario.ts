/**
 * Recording scenarios: what to simulate, for how long, what happens when, and how to film it.
 * A scenario is a JSON file (assets/scenarios/*.json) validated with `scenarioSchema`; the same
 * recorder runs it in the app (Record dialog) and on the command line (`adaptlab record`).
 */
import { z } from 'zod';

const seconds = z.number().finite().min(0).max(3600);
const vec3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);

/** Things that happen during a recording, at a simulated time `at` (seconds). */
export const scenarioEventSchema = z.discriminatedUnion('action', [
  /** Cripple a leg (the environment's leg numbering). Needs a scene that supports 'breakLeg'. */
  z.object({ at: seconds, action: z.literal('breakLeg'), leg: z.number().int().min(0).max(64) }).strict(),
  /** Switch online adaptation (GrBAL/ReBAL) on or off. Needs a scene that supports 'adaptation'. */
  z.object({ at: seconds, action: z.literal('adaptation'), on: z.boolean() }).strict(),
  /** Show or hide the unadapted twin beside the robot (adapt-ant's side by side). Needs a scene with a 'twin' control. */
  z.object({ at: seconds, action: z.literal('twin'), on: z.boolean() }).strict(),
  /**
   * Swap the quadrotor's payload mid-flight (a setParams fault); an omitted value is the scene's
   * own (its slider). Needs a scene with a 'swap' control (adapt-quad).
   */
  z
    .object({ at: seconds, action: z.literal('swapPayload'), payload_mass: z.number().positive().max(10).optional(), cable_length: z.number().positive().max(10).optional() })
    .strict(),
  /** A labelled marker on the timeline only; every scene supports it. */
  z.object({ at: seconds, action: z.literal('marker'), label: z.string().min(1).max(80) }).strict(),
]);
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;
export type ScenarioEventAction = ScenarioEvent['action'];

export const cameraSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('follow'),
      /** Body to follow: its name in the scene, or its index (default 0, the root/torso). */
      body: z.union([z.string().min(1).max(100), z.number().int().min(0)]).optional(),
      /** Distance behind/beside the body (m), height above it (m), azimuth (degrees, view frame). */
      distance: z.number().positive().max(1000).optional(),
      height: z.number().min(-1000).max(1000).optional(),
      azimuth: z.number().min(-360).max(360).optional(),
    })
    .strict(),
  z
    .object({
      mode: z.literal('orbit'),
      /** Point to orbit, in the scene's world frame (default the origin). */
      target: vec3.optional(),
      radius: z.number().positive().max(1000).optional(),
      height: z.number().min(-1000).max(1000).optional(),
      /** Seconds of simulated time per revolution (default 20); 0 holds still. */
      period: z.number().min(0).max(3600).optional(),
      /** Starting azimuth, degrees. */
      azimuth: z.number().min(-360).max(360).optional(),
    })
    .strict(),
]);
export type ScenarioCamera = z.infer<typeof cameraSchema>;

const evenSize = (max: number) =>
  z.number().int().min(16).max(max).refine((n) => n % 2 === 0, 'must be even (H.264 and VP9 need even sizes)');

export const MAX_WIDTH = 1920;
export const MAX_HEIGHT = 1080;
export const MAX_FPS = 60;
export const MAX_DURATION = 600;

export const scenarioSchema = z
  .object({
    title: z.string().min(1).max(120),
    /** Scene (environment) id, e.g. 'demo-falling' or 'Ant-v0'. */
    env: z.string().min(1).max(200),
    /** Method shown in the overlay, e.g. 'grbal', 'mpc', 'random'. */
    method: z.string().min(1).max(60),
    /** Checkpoint of the method's model, relative to the assets folder. */
    checkpoint: z.string().min(1).max(500).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Length of the clip in simulated seconds. */
    duration: z.number().positive().max(MAX_DURATION),
    fps: z.number().int().min(1).max(MAX_FPS).optional(),
    width: evenSize(MAX_WIDTH).optional(),
    height: evenSize(MAX_HEIGHT).optional(),
    events: z.array(scenarioEventSchema).max(100).default([]),
    camera: cameraSchema.default({ mode: 'orbit' }),
    overlay: z
      .object({
        /** Telemetry key drawn as a sparkline, e.g. 'forward_velocity' or 'reward'. */
        sparkline: z.string().min(1).max(100).optional(),
        /** Label of the sparkline in the legend (default: the key). */
        label: z.string().min(1).max(60).optional(),
        /** Subtitle under the title. */
        subtitle: z.string().min(1).max(160).optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.events.forEach((e, i) => {
      if (e.at > s.duration) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'at'], message: `event at ${e.at} s is after the end of the clip (duration ${s.duration} s)` });
      }
    });
  });
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export type VideoFormat = 'mp4' | 'webm';

/** Options of one recording: the scenario's values unless overridden. */
export const recordOptionsSchema = z
  .object({
    width: evenSize(MAX_WIDTH).optional(),
    height: evenSize(MAX_HEIGHT).optional(),
    fps: z.number().int().min(1).max(MAX_FPS).optional(),
    duration: z.number().positive().max(MAX_DURATION).optional(),
    format: z.enum(['mp4', 'webm']).optional(),
  })
  .strict();
export type RecordOptions = z.infer<typeof recordOptionsSchema>;

export interface ResolvedRecording {
  width: number;
  height: number;
  fps: number;
  duration: number;
  format: VideoFormat;
  /** duration × fps, rounded: the exact number of frames in the file. */
  frames: number;
}

export const DEFAULT_RECORDING = { width: 1280, height: 720, fps: 30, format: 'mp4' as VideoFormat };

export function resolveRecording(s: Scenario, o: RecordOptions = {}): ResolvedRecording {
  const fps = o.fps ?? s.fps ?? DEFAULT_RECORDING.fps;
  const duration = o.duration ?? s.duration;
  return {
    width: o.width ?? s.width ?? DEFAULT_RECORDING.width,
    height: o.height ?? s.height ?? DEFAULT_RECORDING.height,
    fps,
    duration,
    format: o.format ?? DEFAULT_RECORDING.format,
    frames: Math.max(1, Math.round(duration * fps)),
  };
}

/** Parses a scenario; the error names the file, the field and what is wrong. */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.slice(0, 5).map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  throw new ScenarioError(`${source} is not a valid scenario:\n${lines.join('\n')}`);
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** What the recorder needs to know of a scene (a subset of SceneInfo): its declared controls. */
export interface SceneCapabilities {
  id: string;
  controls?: readonly { id: string; options?: readonly { value: string }[] }[];
  legs?: number;
}

/** The control an event needs; null when it is the recorder's own (a marker). */
export function eventControl(e: ScenarioEvent): string | null {
  return e.action === 'breakLeg' ? 'fault' : e.action === 'adaptation' ? 'adaptation' : e.action === 'twin' ? 'twin' : e.action === 'swapPayload' ? 'swap' : null;
}

/**
 * The scene command (contract 'sim.command') that carries out an event; null for markers. A
 * broken leg carries its time: the scene host fires it on its own clock, as it does a fault
 * scheduled from the controls panel.
 */
export function eventCommand(e: ScenarioEvent): { control: string; value: unknown } | null {
  if (e.action === 'breakLeg') return { control: 'fault', value: { leg: e.leg, at: e.at } };
  if (e.action === 'adaptation') return { control: 'adaptation', value: e.on };
  if (e.action === 'twin') return { control: 'twin', value: e.on };
  if (e.action === 'swapPayload') return { control: 'swap', value: payloadOf(e) };
  return null;
}

/** A swap's named payload values (the scene keeps its own for the others). */
function payloadOf(e: Extract<ScenarioEvent, { action: 'swapPayload' }>): { payload_mass?: number; cable_length?: number } {
  return { ...(e.payload_mass !== undefined ? { payload_mass: e.payload_mass } : {}), ...(e.cable_length !== undefined ? { cable_length: e.cable_length } : {}) };
}

/** Controls that select what drives the robot, in the order a scenario's method is looked up. */
const METHOD_CONTROLS = ['method', 'policy'] as const;

/**
 * The scene command that selects the scenario's method: the first of the scene's 'method' and
 * 'policy' controls that offers it (by option value); null when the scene has neither (the
 * method is then a caption, e.g. the demo). Throws when the scene has such a control but none
 * of them offers this method.
 */
export function methodCommand(s: Scenario, scene: SceneCapabilities): { control: string; value: string } | null {
  const controls = (scene.controls ?? []).filter((c) => (METHOD_CONTROLS as readonly string[]).includes(c.id));
  if (!controls.length) return null;
  const m = s.method.toLowerCase();
  for (const c of controls) if (c.options?.some((o) => o.value === m)) return { control: c.id, value: m };
  const offers = controls.flatMap((c) => (c.options ?? []).map((o) => o.value));
  throw new ScenarioError(`scene ${scene.id} cannot run method "${s.method}" (it offers: ${offers.join(', ')})`);
}

/**
 * What keeps a scenario from being recorded with the given scenes: the scene is missing, its
 * method cannot be selected there, or an event is not supported (or names a leg it lacks).
 */
export function scenarioProblems(s: Scenario, scenes: readonly SceneCapabilities[]): string[] {
  const scene = scenes.find((x) => x.id === s.env);
  if (!scene) return [`scene ${s.env} is not available (available: ${scenes.map((x) => x.id).join(', ') || 'none'})`];
  const problems: string[] = [];
  try {
    methodCommand(s, scene);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const controls = new Set((scene.controls ?? []).map((c) => c.id));
  for (const e of s.events) {
    const need = eventControl(e);
    if (need && !controls.has(need)) {
      problems.push(`scene ${s.env} does not support the event "${e.action}" (${describeEvent(e)}): it has no "${need}" control`);
    } else if (e.action === 'breakLeg' && scene.legs !== undefined && e.leg >= scene.legs) {
      problems.push(`scene ${s.env} has ${scene.legs} legs (0 to ${scene.legs - 1}): cannot break leg ${e.leg}`);
    }
  }
  return problems;
}

/** "leg 3 broken at t = 4.0 s", "adaptation on at t = 2.0 s", "label at t = 1.0 s". */
export function describeEvent(e: ScenarioEvent): string {
  const at = `t = ${e.at.toFixed(1)} s`;
  switch (e.action) {
    case 'breakLeg':
      return `leg ${e.leg} broken at ${at}`;
    case 'adaptation':
      return `adaptation ${e.on ? 'on' : 'off'} at ${at}`;
    case 'twin':
      return `unadapted twin ${e.on ? 'shown' : 'hidden'} at ${at}`;
    case 'swapPayload': {
      const p = payloadOf(e);
      const what = [p.payload_mass !== undefined ? `${p.payload_mass} kg` : '', p.cable_length !== undefined ? `${p.cable_length} m cable` : ''].filter(Boolean).join(', ');
      return `payload swapped${what ? ` (${what})` : ''} at ${at}`;
    }
    case 'marker':
      return `${e.label} at ${at}`;
  }
}

/** A file name for a recording: the title's letters, the time, the extension. */
export function recordingFileName(title: string, format: VideoFormat, when = new Date()): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'recording';
  const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${slug}-${stamp}.${format}`;
}
