/** Bodies drawn highlighted (a broken leg): body indices. */
import type { BodyStyler, OverlayModule } from './overlay';

const highlight: OverlayModule<BodyStyler> = {
  kind: 'highlight',
  create: ({ bodies }) => bodies,
  update(bodies, data) {
    bodies.tint(Array.isArray(data) ? (data as number[]) : []);
  },
  dispose(bodies) {
    bodies.tint([]);
  },
};
export default highlight;
