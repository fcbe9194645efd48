import { describe, expect, it } from 'vitest';
import { RobotFiles } from './robot-files';

describe('robot upload names', () => {
  it('refuses a name that is both a file and a folder, naming both, without the temp path', () => {
    const files = new RobotFiles();
    try {
      const a = files.upload(undefined, [{ path: 'd', base64: 'AA==' }]);
      let err: Error | undefined;
      try {
        files.upload(a.uploadId, [{ path: 'd/e', base64: 'AA==' }]);
      } catch (e) {
        err = e as Error;
      }
      expect(err?.name).toBe('UploadError');
      expect(err?.message).toBe('"d/e": "d" is a file in this upload, not a folder');
      const b = files.upload(undefined, [{ path: 'x/y', base64: 'AA==' }]);
      expect(() => files.upload(b.uploadId, [{ path: 'x', base64: 'AA==' }])).toThrow(/"x": a folder of that name is in this upload/);
    } finally {
      files.dispose();
    }
  });
});
