// @gcnn/group: the run-time algebra of p4 and p4m in exact integer closed forms, with no dependency loaded at
// run time. The symbolic side (laws derived with mathjs, mathjs matrices) is the subpath `@gcnn/group/symbolic`.
export {
  Element,
  type ElementInput,
  type ElementParams,
  type GroupName,
  type Mirror,
  type Rotation,
} from './element.js';
export type { MatrixInput } from './from-matrix.js';
export { type Group, groupByName, type Point, p4, p4m } from './group.js';
export { GroupError } from './validate.js';
