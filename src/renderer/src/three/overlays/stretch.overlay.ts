/** Bodies whose shapes a fault changed (a shrunk broken leg), drawn as they now collide. */
import type { BodyStretch } from '../../../../shared/scene';
import type { BodyStyler, OverlayModule } from './overlay';

const stretch: OverlayModule<BodyStyler> = {
  kind: 'stretch',
  create: ({ bodies }) => bodies,
  update(bodies, data) {
    bodies.stretch(Array.isArray(data) ? (data as BodyStretch[]) : []);
  },
  dispose(bodies) {
    bodies.stretch([]);
  },
};
export default stretch;
