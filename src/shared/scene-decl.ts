/**
 * What a scene declares about itself, as plain data the renderer builds its panels from: the
 * controls it takes (each a `sim.command` with the control's id and a value its own schema checks
 * on the main side), the telemetry it reports (key, label, unit, chart group) and the overlays it
 * draws (renderer overlay kinds). No component lists a scene's options; they come from here.
 */

/**
 * - select: one of `options` (value is the option's value);
 * - slider: a number in [min, max] by `step`, in `unit` (value number; sent when released);
 * - toggle: on/off (value boolean);
 * - button: an action (value null);
 * - fault: break a leg, now or at a time (value {leg, at?}); `options` are the legs;
 * - ranges: domain randomization scale ranges (value {key: [low, high]}); the parameters are SceneInfo.parameters.
 * - drTerms: domain randomization as declared terms (value DRTerm[], shared/dr-terms.ts); what
 *   they can target, the suggested and the active terms are SceneInfo.dr.
 */
export type ControlKind = 'select' | 'slider' | 'toggle' | 'button' | 'fault' | 'ranges' | 'drTerms';

export interface ControlOption {
  value: string;
  label: string;
}

export interface ControlDecl {
  /** The command's control id (`sim.command` {control, value}). */
  id: string;
  kind: ControlKind;
  label: string;
  options?: ControlOption[];
  /** Initial value shown (select: an option value; slider: a number; toggle: a boolean). */
  initial?: string | number | boolean;
  /** A slider's range, step and unit. */
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  /** One line shown as a tooltip. */
  hint?: string;
  /** Destructive or drastic (drawn in red). */
  danger?: boolean;
}

export interface TelemetryDecl {
  /** Telemetry key; a trailing '*' matches every key with that prefix (sampled DR parameters). */
  key: string;
  /** What the series is, for people ("adapted", "forward velocity"). */
  label: string;
  /** Unit of the value ('m/s', 'm', '' for none). */
  unit: string;
  /** Chart it is drawn in; series of one group share a chart, groups are drawn in declared order. */
  group: string;
}

export interface SceneDeclaration {
  controls: ControlDecl[];
  telemetry: TelemetryDecl[];
  /** Renderer overlay kinds the scene sends data for (snapshot.overlays[kind]). */
  overlays: string[];
}

/** The declaration a telemetry key falls under, if any (exact keys before prefixes). */
export function telemetryDecl(decls: readonly TelemetryDecl[], key: string): TelemetryDecl | undefined {
  return decls.find((d) => d.key === key) ?? decls.find((d) => d.key.endsWith('*') && key.startsWith(d.key.slice(0, -1)));
}

export interface ChartGroup {
  group: string;
  unit: string;
  series: { key: string; label: string }[];
}

/**
 * Charts for the telemetry keys present: declared groups in declared order, then undeclared keys
 * one chart each (labelled by key, so nothing reported is hidden).
 */
export function chartGroups(decls: readonly TelemetryDecl[], keys: readonly string[]): ChartGroup[] {
  const groups = new Map<string, ChartGroup>();
  const order = (g: string) => {
    const i = decls.findIndex((d) => d.group === g);
    return i < 0 ? decls.length : i;
  };
  for (const key of keys) {
    const d = telemetryDecl(decls, key);
    const group = d?.group ?? key;
    const g = groups.get(group) ?? { group, unit: d?.unit ?? '', series: [] };
    const label = d ? (d.key.endsWith('*') ? key.slice(d.key.length - 1) : d.label) : key;
    g.series.push({ key, label });
    groups.set(group, g);
  }
  return [...groups.values()].sort((a, b) => order(a.group) - order(b.group));
}
