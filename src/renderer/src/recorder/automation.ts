/**
 * The hook `adaptlab record` (the CLI, through headless Chromium) drives: the same recorder and
 * save path as the Record dialog, callable from page scripts.
 */
import type { WorkbenchApi } from '../../../shared/contract';
import { recorderStage, type RecordProgress } from './recorder';
import { cancelRecording, runRecording } from './job';

export interface RecorderHook {
  record(
    scenario: unknown,
    options: { width?: number; height?: number; fps?: number; duration?: number; format?: 'mp4' | 'webm' },
  ): ReturnType<typeof runRecording>;
  cancel(): void;
  /** What the recorder is doing now ("encoding video frame 44"), for a stall report. */
  stage(): string;
}

declare global {
  interface Window {
    adaptlabRecorder?: RecorderHook;
    /** Set by the CLI (Playwright exposeFunction) to receive progress lines. */
    adaptlabRecordProgress?: (p: RecordProgress | { log: string }) => void;
  }
}

export function installRecorderHook(api: WorkbenchApi): void {
  window.adaptlabRecorder = {
    record: (scenario, options) =>
      runRecording(api, scenario, {
        ...options,
        onProgress: (p) => window.adaptlabRecordProgress?.(p),
        onLog: (line) => window.adaptlabRecordProgress?.({ log: line }),
      }),
    cancel: cancelRecording,
    stage: recorderStage,
  };
}
