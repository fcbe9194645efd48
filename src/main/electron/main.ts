/**
 * The Electron shell: a thin adapter around the workbench service. The renderer is served
 * from a privileged app:// scheme (so it gets a real origin and a CSP header), sandboxed,
 * without Node, and may not navigate away or open windows.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, type MenuItemConstructorOptions } from 'electron';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/channels';
import { EVENT_NAMES } from '../../shared/contract';
import { contentSecurityPolicy } from '../server/csp';
import { APP_VERSION, WorkbenchService } from '../service/workbench';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = normalize(join(here, '../renderer'));
const preload = join(here, '../preload/preload.cjs');
const APP_ORIGIN = 'app://adaptlab';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const service = new WorkbenchService({
  shell: 'electron',
  shellReason: 'Electron binary present',
  runsRoot: process.env.ADAPTLAB_RUNS ?? join(app.getPath('userData'), 'runs'),
  recentRobotsFile: join(app.getPath('userData'), 'recent-robots.json'),
});
let win: BrowserWindow | null = null;

function serveRenderer(): void {
  protocol.handle('app', async (req) => {
    const url = new URL(req.url);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererRoot, rel));
    if (!file.startsWith(rendererRoot + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    if (rel.endsWith('.html')) headers.set('Content-Security-Policy', contentSecurityPolicy());
    return new Response(res.body, { status: res.status, headers });
  });
}

function bridgeIpc(): void {
  ipcMain.handle(IPC_INVOKE, async (e, method: unknown, params: unknown) => {
    if (!e.senderFrame || new URL(e.senderFrame.url).origin !== APP_ORIGIN) {
      return { ok: false, error: { name: 'Forbidden', message: 'request from a foreign frame' } };
    }
    try {
      return { ok: true, result: await service.dispatch(String(method), params) };
    } catch (err) {
      const x = err instanceof Error ? err : new Error(String(err));
      return { ok: false, error: { name: x.name, message: x.message } };
    }
  });
  for (const event of EVENT_NAMES) {
    service.on(event, (payload: unknown) => win?.webContents.send(IPC_EVENT, event, payload));
  }
}

function buildMenu(): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        {
          label: 'Open robot…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const r = await dialog.showOpenDialog(win!, { title: 'Open robot', filters: [{ name: 'URDF', extensions: ['urdf', 'xml'] }], properties: ['openFile'] });
            if (!r.canceled && r.filePaths[0]) service.requestOpenRobot(r.filePaths[0]);
          },
        },
        { label: 'Record video…', accelerator: 'CmdOrCtrl+R', click: () => service.command('record-video') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About AdaptLab',
          click: () =>
            dialog.showMessageBox(win!, {
              title: 'About AdaptLab',
              message: `AdaptLab ${APP_VERSION}`,
              detail: `Sim-to-real transfer and meta-RL workbench.\nElectron ${process.versions.electron}, Node ${process.versions.node}, Chromium ${process.versions.chrome}`,
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'AdaptLab',
    backgroundColor: '#14171d',
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  win.on('closed', () => (win = null));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    if (new URL(url).origin !== APP_ORIGIN) ev.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(() => {
  serveRenderer();
  bridgeIpc();
  buildMenu();
  createWindow();
  console.log('AdaptLab: Electron shell');
});

app.on('window-all-closed', () => {
  void service.dispose().finally(() => app.quit());
});
