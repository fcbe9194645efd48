/**
 * The robot reader's worker thread: one quick parse of a user's URDF (inspectRobotSync), off the
 * server's main thread, so a hostile file can be timed out and terminated (robot-files.ts,
 * inspectRobot). Receives { file, opts } as workerData, posts one RobotWorkerReply and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UrdfError } from '../../physics/robot/urdf/node';
import { inspectRobotSync, type RobotWorkerReply, type RobotWorkerRequest } from './robot-files';

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
