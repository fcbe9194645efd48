/** How events (SimEvent.kind) are drawn on charts: one colour per kind, named once in the legend. */
const COLORS: Record<string, string> = {
  fault: '#ff6b6b',
  episode: '#8a93a6',
  reset: '#6fd08c',
  adaptation: '#5aa9ff',
  method: '#c38fff',
  mode: '#f0b95a',
};
const OTHER = '#4fd1c5';

export function eventColor(kind: string): string {
  return COLORS[kind] ?? OTHER;
}

/** What a kind is called in the legend. */
export function eventKindLabel(kind: string): string {
  return kind === 'episode' ? 'episode end' : kind === 'reset' ? 'heal / reset' : kind;
}
