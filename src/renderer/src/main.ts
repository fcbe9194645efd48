import { createApp } from 'vue';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import App from './App.vue';
import { connectBridge } from './bridge';
import { createWorkbench, WORKBENCH } from './state/workbench';

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    const { api, onClose } = await connectBridge();
    const workbench = createWorkbench(api);
    onClose(() => {
      workbench.state.connected = false;
      workbench.log('error', 'ui', 'connection to the workbench closed; restart it and reload this page');
    });
    createApp(App).provide(WORKBENCH, workbench).mount(root);
    await workbench.actions.init();
  } catch (err) {
    root.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'fatal';
    p.textContent = `AdaptLab could not start: ${err instanceof Error ? err.message : String(err)}`;
    root.append(p);
  }
}

void boot();
