// @gcnn/group/symbolic: the side of the package that needs mathjs (symbolic derivation of the laws, mathjs
// matrices). Kept out of the main entry so that the run-time algebra, and @gcnn/layers on top of it, load
// without mathjs.
export {
  type CompositionLaw,
  compositionLaw,
  describeLaws,
  type InverseLaw,
  inverseLaw,
  LAW_SYMBOLS,
  type LawCase,
} from './laws.js';
export { mathMatrix } from './math-matrix.js';
