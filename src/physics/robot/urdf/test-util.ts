/** Helpers for this folder's tests. */
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/urdf/', import.meta.url));

export function fixture(rel: string): string {
  return FIXTURES + rel;
}
