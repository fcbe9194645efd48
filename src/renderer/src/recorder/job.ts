/**
 * One recording at a time, as reactive state the Record dialog shows: record, save through the
 * contract, keep a blob URL to play it back. The CLI drives the same path through
 * `window.adaptlabRecorder` (see automation.ts).
 */
import { reactive } from 'vue';
import type { RecordingInfo, WorkbenchApi } from '../../../shared/contract';
import { parseScenario, recordingFileName, type RecordOptions, type Scenario } from '../../../shared/scenario';
import { RecordCancelled, recordScenario, type RecordProgress, type RecordResult } from './recorder';
import { saveRecording } from './save';

export interface RecordJobState {
  open: boolean;
  status: 'idle' | 'recording' | 'saving' | 'done' | 'failed' | 'cancelled';
  progress: RecordProgress | null;
  saved: { sent: number; total: number } | null;
  error: string;
  notes: string[];
  result: (RecordingInfo & { url: string; frames: number; fps: number; duration: number; codec: string; wallSeconds: number }) | null;
}

export const recordJob = reactive<RecordJobState>({
  open: false,
  status: 'idle',
  progress: null,
  saved: null,
  error: '',
  notes: [],
  result: null,
});

let controller: AbortController | null = null;

export function busy(): boolean {
  return recordJob.status === 'recording' || recordJob.status === 'saving';
}

export interface RunOptions extends RecordOptions {
  /** Called on every progress step (the CLI prints them). */
  onProgress?(p: RecordProgress): void;
  onLog?(line: string): void;
}

/** Records and saves; resolves with where the file went. Rejects on failure or cancel. */
export async function runRecording(api: WorkbenchApi, scenarioRaw: unknown, opts: RunOptions = {}): Promise<RecordingInfo & { result: Omit<RecordResult, 'bytes' | 'thumbnailPng'> }> {
  if (busy()) throw new Error('a recording is already running');
  const scenario: Scenario = parseScenario(scenarioRaw);
  controller = new AbortController();
  const signal = controller.signal;
  if (recordJob.result) URL.revokeObjectURL(recordJob.result.url);
  Object.assign(recordJob, { status: 'recording', progress: null, saved: null, error: '', notes: [], result: null });
  const { onProgress, onLog, ...options } = opts;
  try {
    const result = await recordScenario(api, scenario, options, {
      signal,
      onProgress: (p) => {
        recordJob.progress = p;
        onProgress?.(p);
      },
      onLog: (line) => {
        recordJob.notes.push(line);
        onLog?.(line);
      },
    });
    recordJob.status = 'saving';
    const name = recordingFileName(scenario.title, result.format);
    const info = await saveRecording(api, name, result.bytes, result.thumbnailPng, (sent, total) => (recordJob.saved = { sent, total }), signal);
    const url = URL.createObjectURL(new Blob([result.bytes as BlobPart], { type: result.mimeType }));
    recordJob.result = {
      ...info,
      url,
      frames: result.frames,
      fps: result.fps,
      duration: result.duration,
      codec: result.codec,
      wallSeconds: result.wallSeconds,
    };
    recordJob.status = 'done';
    const { bytes: _b, thumbnailPng: _t, ...summary } = result;
    return { ...info, result: summary };
  } catch (err) {
    const cancelled = err instanceof RecordCancelled || signal.aborted;
    recordJob.status = cancelled ? 'cancelled' : 'failed';
    recordJob.error = cancelled ? 'cancelled' : err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    controller = null;
  }
}

export function cancelRecording(): void {
  controller?.abort();
}
