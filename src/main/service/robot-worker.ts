/**
 * The robot reader's worker thread: one quick parse of a user's URDF (inspectRobotSync), off the
 * server's main thread, so a hostile file can be timed out and terminated (robot-files.ts,
 * inspectRobot). Receives { file, opts } as workerData, posts one RobotWorkerReply and ends.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { UrdfError } from '../../physics/robot/urdf/node';
import { inspectRobotSync, type RobotWorkerReply, type RobotWorkerRequest } from './robot-files';

// The parse is background work: on Linux, where nice values are per thread, this thread yields to
// the service's thread (a 15 MB file parses for seconds; requests must not wait behind it).
if (process.platform === 'linux') {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // no /proc, or not allowed: the parse runs at normal priority
  }
}

const { file, opts } = workerData as RobotWorkerRequest;
let reply: RobotWorkerReply;
try {
  reply = { ok: true, info: inspectRobotSync(file, opts) };
} catch (e) {
  reply =
    e instanceof UrdfError
      ? { ok: false, urdf: { code: e.code, detail: e.detail, file: e.file, element: e.element, line: e.line, column: e.column } }
      : { ok: false, message: e instanceof Error ? e.message : String(e) };
}
parentPort!.postMessage(reply);
