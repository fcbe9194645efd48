import { inject } from 'vue';
import { WORKBENCH, type Workbench } from './state/workbench';

export function useWorkbench(): Workbench {
  const wb = inject<Workbench>(WORKBENCH);
  if (!wb) throw new Error('workbench not provided');
  return wb;
}
