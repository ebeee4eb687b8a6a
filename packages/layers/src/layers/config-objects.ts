import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GroupLayerError } from '../errors.js';

/** A tfjs-layers initializer object. */
export type Initializer = ReturnType<typeof tfl.initializers.zeros>;
/** A tfjs-layers regularizer object. */
export type Regularizer = ReturnType<typeof tfl.regularizers.l1l2>;
/** A tfjs-layers constraint object. */
export type Constraint = ReturnType<typeof tfl.constraints.maxNorm>;

/** A serialised tfjs object as it appears in a layer config: `{ className, config }`. */
export interface SerializedObject extends tf.serialization.ConfigDict {
  className: string;
  config: tf.serialization.ConfigDict;
}

/** An initializer, regularizer or constraint: the object, its name (e.g. 'heNormal') or its serialised form. */
export type Identifier<T> = T | string | SerializedObject;

type Kind = 'initializer' | 'regularizer' | 'constraint';

const factories: Record<Kind, Record<string, unknown>> = {
  initializer: tfl.initializers as unknown as Record<string, unknown>,
  regularizer: tfl.regularizers as unknown as Record<string, unknown>,
  constraint: tfl.constraints as unknown as Record<string, unknown>,
};

function fromRegistry<T>(
  className: string,
  config: tf.serialization.ConfigDict,
  kind: Kind,
  where: string,
): T {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new GroupLayerError(`${where}: unknown ${kind} ${JSON.stringify(className)}`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as T;
}

// Mirrors how tfjs-layers' own layers accept identifiers: a camelCase name ('heNormal', 'l2', 'maxNorm'), a
// registered class name ('HeNormal', 'L1L2'), a `{ className, config }` dict (what model.json holds) or the object.
function resolve<T>(identifier: Identifier<T> | null | undefined, kind: Kind, where: string): T | undefined {
  if (identifier == null) return undefined;
  if (typeof identifier === 'string') {
    const factory = factories[kind][identifier];
    if (typeof factory === 'function') return (factory as (args: object) => T)({});
    const capitalised = identifier.charAt(0).toUpperCase() + identifier.slice(1);
    return fromRegistry<T>(capitalised, {}, kind, where);
  }
  if (
    typeof identifier === 'object' &&
    'className' in identifier &&
    typeof identifier.className === 'string'
  ) {
    const serialized = identifier as SerializedObject;
    return fromRegistry<T>(serialized.className, serialized.config ?? {}, kind, where);
  }
  if (typeof identifier === 'object') return identifier as T;
  throw new GroupLayerError(`${where}: cannot use ${String(identifier)} as ${kind}`);
}

/** Resolves an initializer identifier, or returns `fallback` when it is null/undefined. */
export function getInitializer(
  identifier: Identifier<Initializer> | null | undefined,
  fallback: string,
  where: string,
): Initializer {
  return resolve<Initializer>(identifier ?? fallback, 'initializer', where) as Initializer;
}

/** Resolves an optional regularizer identifier. */
export function getRegularizer(identifier: Identifier<Regularizer> | null | undefined, where: string) {
  return resolve<Regularizer>(identifier, 'regularizer', where);
}

/** Resolves an optional constraint identifier. */
export function getConstraint(identifier: Identifier<Constraint> | null | undefined, where: string) {
  return resolve<Constraint>(identifier, 'constraint', where);
}

/** The `{ className, config }` form of a tfjs serializable object, or null. */
export function serialize(object: tf.serialization.Serializable | undefined | null): SerializedObject | null {
  if (object == null) return null;
  return { className: object.getClassName(), config: object.getConfig() };
}
