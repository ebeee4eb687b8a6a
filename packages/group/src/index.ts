export {
  Element,
  type ElementInput,
  type ElementParams,
  type GroupName,
  type Mirror,
  type Rotation,
} from './element.js';
export { type Group, groupByName, type Point, p4, p4m } from './group.js';
export { GroupError } from './validate.js';
