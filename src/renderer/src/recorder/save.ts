/** Sends a recorded file to the main side in base64 chunks ('recording.*' in the contract). */
import { RECORDING_CHUNK_BYTES, type RecordingInfo, type WorkbenchApi } from '../../../shared/contract';

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export async function saveRecording(
  api: WorkbenchApi,
  name: string,
  bytes: Uint8Array,
  thumbnailPng: Uint8Array | null,
  onProgress?: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<RecordingInfo> {
  const { recordingId } = await api.invoke('recording.begin', { name, bytes: bytes.byteLength });
  try {
    for (let off = 0, index = 0; off < bytes.byteLength; off += RECORDING_CHUNK_BYTES, index++) {
      if (signal?.aborted) throw new Error('saving cancelled');
      const chunk = bytes.subarray(off, Math.min(bytes.byteLength, off + RECORDING_CHUNK_BYTES));
      await api.invoke('recording.chunk', { recordingId, index, data: toBase64(chunk) });
      onProgress?.(off + chunk.byteLength, bytes.byteLength);
    }
    return await api.invoke('recording.finish', { recordingId, ...(thumbnailPng ? { thumbnailPng: toBase64(thumbnailPng) } : {}) });
  } catch (err) {
    await api.invoke('recording.abort', { recordingId }).catch(() => {});
    throw err;
  }
}
