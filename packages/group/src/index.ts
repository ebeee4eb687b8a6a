export {
  Element,
  type ElementInput,
  type ElementParams,
  type GroupName,
  type Mirror,
  type Rotation,
} from './element.js';
export { type Group, groupByName, type Point, p4, p4m } from './group.js';
export {
  type CompositionLaw,
  compositionLaw,
  describeLaws,
  type InverseLaw,
  inverseLaw,
  LAW_SYMBOLS,
  type LawCase,
} from './laws.js';
export { GroupError } from './validate.js';
