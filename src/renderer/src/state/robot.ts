/**
 * The robot panel's state: the open URDF (tree, sliders, warnings), its error if it failed, the
 * view toggles, recent files, and uploading files picked or dropped in the browser shell.
 * Talks only to the contract (through the workbench's api).
 */
import { reactive } from 'vue';
import type { RecentRobot, RobotError, RobotInfo } from '../../../shared/contract';
import type { Workbench } from './workbench';

/** A file to upload: its path relative to the dropped or picked folder, and its bytes. */
export interface PickedFile {
  path: string;
  data: ArrayBuffer;
}

/** Raw bytes per request: base64 of it is ROBOT_UPLOAD_CHUNK_BASE64 (contract.ts) characters. */
const RAW_CHUNK = 480 * 1024;
const SKIP = /(^|\/)(\.git|\.svn|node_modules|__pycache__)(\/|$)|(^|\/)\.DS_Store$/;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function createRobotStore(wb: Workbench) {
  const { api } = wb;
  const state = reactive({
    robot: null as RobotInfo | null,
    sessionId: '',
    error: null as RobotError | null,
    busy: '',
    targets: {} as Record<string, number>,
    mode: 'kinematic' as 'kinematic' | 'dynamic',
    hold: 'pd' as 'pd' | 'limp',
    fixedBase: false,
    showVisual: true,
    showCollision: false,
    recent: [] as RecentRobot[],
    /** URDFs of the last upload, when it held several. */
    choices: [] as string[],
    uploadId: '',
    /** Package search folders (ROS_PACKAGE_PATH style) for robots opened by path; kept in localStorage. */
    packagePath: loadPackagePath(),
  });

  const isCurrent = () => !!state.robot && wb.state.session?.sessionId === state.sessionId;

  async function refreshRecent(): Promise<void> {
    try {
      state.recent = (await api.invoke('robot.recent', {})).recent;
    } catch {
      // an older host without robot.recent: no list
    }
  }

  async function open(params: { path?: string; upload?: { uploadId: string; file: string }; packagePath?: string[] }): Promise<boolean> {
    if (!params.packagePath && state.packagePath.length) params = { ...params, packagePath: [...state.packagePath] };
    state.busy = `opening ${params.path ?? params.upload?.file}…`;
    state.error = null;
    try {
      const r = await api.invoke('robot.open', params);
      if (!r.ok) {
        state.error = r.error;
        wb.log('error', 'robot', r.error.message);
        return false;
      }
      state.robot = r.robot;
      state.sessionId = r.session.state.sessionId;
      state.mode = 'kinematic';
      state.hold = 'pd';
      state.fixedBase = r.robot.fixedBase;
      state.targets = {};
      for (const j of r.robot.joints) if (isMovable(j.type)) state.targets[j.name] = clamp(0, j.lower, j.upper);
      applyMimic();
      await wb.actions.adoptSession(r.session);
      wb.state.frameRequest++;
      for (const w of r.robot.warnings) wb.log('warn', 'urdf', w);
      return true;
    } catch (err) {
      state.error = { code: 'error', message: err instanceof Error ? err.message : String(err) };
      wb.log('error', 'robot', state.error.message);
      return false;
    } finally {
      state.busy = '';
      void refreshRecent();
    }
  }

  function applyMimic(): void {
    for (const j of state.robot?.joints ?? []) {
      if (!j.mimic || !(j.mimic.joint in state.targets)) continue;
      state.targets[j.name] = clamp(j.mimic.multiplier * state.targets[j.mimic.joint] + j.mimic.offset, j.lower, j.upper);
    }
  }

  // Slider moves are coalesced: at most one request in flight, the latest values win.
  let pending: Record<string, number> | null = null;
  let sending = false;
  async function flush(): Promise<void> {
    if (sending || !pending || !isCurrent()) return;
    sending = true;
    const targets = pending;
    pending = null;
    try {
      await api.invoke('robot.setJoints', { sessionId: state.sessionId, targets });
    } catch (err) {
      wb.log('error', 'robot', err instanceof Error ? err.message : String(err));
    } finally {
      sending = false;
      if (pending) void flush();
    }
  }

  const actions = {
    open,
    refreshRecent,
    async openRecent(r: RecentRobot) {
      if (r.path) await open({ path: r.path, ...(r.packagePath ? { packagePath: r.packagePath } : {}) });
      else if (r.upload) await open({ upload: r.upload });
    },
    setJoint(name: string, value: number) {
      state.targets[name] = value;
      applyMimic();
      pending = { ...(pending ?? {}), [name]: value };
      void flush();
    },
    async setMode(change: { mode?: 'kinematic' | 'dynamic'; hold?: 'pd' | 'limp'; fixedBase?: boolean }) {
      if (!isCurrent()) return;
      try {
        await api.invoke('robot.setMode', { sessionId: state.sessionId, ...change });
        if (change.mode) state.mode = change.mode;
        if (change.hold) state.hold = change.hold;
        if (change.fixedBase !== undefined) state.fixedBase = change.fixedBase;
      } catch (err) {
        wb.log('error', 'robot', err instanceof Error ? err.message : String(err));
      }
    },
    /** Upload picked or dropped files in chunks, then open the (first) URDF among them. */
    async upload(files: PickedFile[]): Promise<boolean> {
      const wanted = files.filter((f) => !SKIP.test(f.path));
      if (!wanted.some((f) => /\.urdf$/i.test(f.path))) {
        state.error = { code: 'upload', message: 'no .urdf file among the files (pick the robot folder, or the URDF together with its meshes)' };
        return false;
      }
      state.error = null;
      let uploadId: string | undefined;
      let urdfs: string[] = [];
      let batch: { path: string; base64: string; offset?: number }[] = [];
      let batchSize = 0;
      let sent = 0;
      const total = wanted.reduce((s, f) => s + f.data.byteLength, 0);
      const send = async () => {
        if (!batch.length) return;
        const r = await api.invoke('robot.upload', { ...(uploadId ? { uploadId } : {}), files: batch });
        uploadId = r.uploadId;
        urdfs = r.urdfs;
        batch = [];
        batchSize = 0;
        state.busy = `uploading… ${Math.round((100 * sent) / Math.max(1, total))}%`;
      };
      try {
        for (const f of wanted) {
          const bytes = new Uint8Array(f.data);
          for (let off = 0; off === 0 || off < bytes.length; off += RAW_CHUNK) {
            const chunk = bytes.subarray(off, off + RAW_CHUNK);
            // Keep each request under the WebSocket frame limit (1 MiB): data, paths and a file count cap.
            const cost = chunk.length + f.path.length + 64;
            if (batchSize + cost > RAW_CHUNK + 64 * 1024 || batch.length >= 400) await send();
            batch.push({ path: f.path, base64: toBase64(chunk), ...(off ? { offset: off } : {}) });
            batchSize += cost;
            sent += chunk.length;
            if (bytes.length === 0) break;
          }
        }
        await send();
      } catch (err) {
        state.busy = '';
        state.error = { code: 'upload', message: err instanceof Error ? err.message : String(err) };
        wb.log('error', 'robot', state.error.message);
        return false;
      }
      state.busy = '';
      state.uploadId = uploadId!;
      state.choices = urdfs.length > 1 ? urdfs : [];
      return open({ upload: { uploadId: uploadId!, file: urdfs[0] } });
    },
    async openChoice(file: string) {
      if (state.uploadId) await open({ upload: { uploadId: state.uploadId, file } });
    },
    dismissError() {
      state.error = null;
    },
    setPackagePath(text: string) {
      state.packagePath = text.split(/\r?\n/).map((x) => x.trim()).filter((x) => x.length > 0);
      try {
        localStorage.setItem(PACKAGE_PATH_KEY, JSON.stringify(state.packagePath));
      } catch {
        // storage off: the setting lasts this session
      }
    },
  };

  api.on('robot.openRequest', (r) => void open({ path: r.path }));
  void refreshRecent();
  return { state, actions, isCurrent };
}

const PACKAGE_PATH_KEY = 'adaptlab.robot.packagePath';

function loadPackagePath(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(PACKAGE_PATH_KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 32) : [];
  } catch {
    return [];
  }
}

export function isMovable(type: string): boolean {
  return type === 'revolute' || type === 'continuous' || type === 'prismatic';
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export type RobotStore = ReturnType<typeof createRobotStore>;

const stores = new WeakMap<Workbench, RobotStore>();
/** One robot store per workbench. */
export function robotStore(wb: Workbench): RobotStore {
  let s = stores.get(wb);
  if (!s) stores.set(wb, (s = createRobotStore(wb)));
  return s;
}

/** Files of a drop: folders walked (webkitGetAsEntry), paths relative to what was dropped. */
export async function filesFromDrop(dt: DataTransfer): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!entries.length) {
    for (const f of [...dt.files]) out.push({ path: f.name, data: await f.arrayBuffer() });
    return out;
  }
  const walk = async (e: FileSystemEntry, prefix: string): Promise<void> => {
    if (out.length > 5000) return;
    if (e.isFile) {
      const file = await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + e.name, data: await file.arrayBuffer() });
    } else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const c of batch) await walk(c, `${prefix}${e.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

/** Files of an <input type=file> (webkitdirectory gives folder-relative paths). */
export async function filesFromInput(list: FileList): Promise<PickedFile[]> {
  return Promise.all([...list].map(async (f) => ({ path: f.webkitRelativePath || f.name, data: await f.arrayBuffer() })));
}
