import { type Group, p4, p4m } from '@gcnn/group';
import { GroupLayerError } from './errors.js';

/**
 * The group a feature map or filter lives on: 'Z2' (plain images, translations only), 'p4' (translations and
 * quarter turns) or 'p4m' (also mirrors). A G-map with C channels has C·n planes, n = `stabilizerSize(group)`.
 */
export type LayerGroup = 'Z2' | 'p4' | 'p4m';

/** A group that a G-convolution can output: the ones with a non-trivial stabiliser. */
export type OutputGroup = 'p4' | 'p4m';

const LAYER_GROUPS: readonly LayerGroup[] = ['Z2', 'p4', 'p4m'];

/**
 * A group given by name or as the `p4` / `p4m` object of @gcnn/group: returns its name, and any other value
 * unchanged (for the checks below to refuse with their own message).
 */
export function groupName(value: unknown): unknown {
  if (value === p4 || value === p4m) return (value as Group).name;
  // Another copy of @gcnn/group (a second install) makes objects that are not identical but equivalent.
  const group = value as Partial<Group> | null;
  if (
    typeof value === 'object' &&
    group !== null &&
    ((group.name === 'p4' && group.stabilizerSize === 4) ||
      (group.name === 'p4m' && group.stabilizerSize === 8))
  ) {
    return group.name;
  }
  return value;
}

/** Whether `value` names a group of this package ('Z2', 'p4' or 'p4m'). */
export function isLayerGroup(value: unknown): value is LayerGroup {
  return typeof value === 'string' && (LAYER_GROUPS as readonly string[]).includes(value);
}

/** Throws a `GroupLayerError` naming `where` unless `value` is 'Z2', 'p4' or 'p4m' (or the p4 / p4m object). */
export function checkLayerGroup(given: unknown, where: string): LayerGroup {
  const value = groupName(given);
  if (!isLayerGroup(value)) {
    throw new GroupLayerError(
      `${where}: unknown group ${JSON.stringify(value)}; expected 'Z2', 'p4' or 'p4m'`,
    );
  }
  return value;
}

/** Throws unless `value` is 'p4' or 'p4m', by name or as the object (the groups with a stabiliser axis). */
export function checkOutputGroup(given: unknown, where: string): OutputGroup {
  const value = groupName(given);
  if (value !== 'p4' && value !== 'p4m') {
    throw new GroupLayerError(
      `${where}: the group must be 'p4' or 'p4m' (a G-map has a stabiliser axis), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Size n of the stabiliser of the origin: 1 for Z2, 4 for p4 (the rotations C4), 8 for p4m (D4). A feature
 * map over the group has n planes per channel.
 */
export function stabilizerSize(group: LayerGroup): 1 | 4 | 8 {
  const checked = checkLayerGroup(group, 'stabilizerSize');
  return checked === 'Z2' ? 1 : checked === 'p4' ? 4 : 8;
}

/**
 * Number of planes (last-axis size of an NHWC tensor) of a feature map with `channels` G-channels over `group`:
 * `channels · n`. Plane `c·n + s` holds channel c at stabiliser element s.
 */
export function planes(channels: number, group: LayerGroup): number {
  if (!Number.isInteger(channels) || channels < 0) {
    throw new GroupLayerError(`planes: channels must be a non-negative integer, got ${channels}`);
  }
  return channels * stabilizerSize(group);
}

/**
 * Number of G-channels of a feature map with `planeCount` planes over `group`; throws when `planeCount` is not a
 * multiple of the stabiliser size (for example a p4 map, 4·C planes with C odd, fed to a p4m layer).
 */
export function channelsOf(planeCount: number, group: LayerGroup, where = 'channelsOf'): number {
  const n = stabilizerSize(group);
  if (!Number.isInteger(planeCount) || planeCount <= 0 || planeCount % n !== 0) {
    throw new GroupLayerError(
      `${where}: a ${group} feature map has C·${n} planes in its last axis, got ${planeCount} planes` +
        ` (not a multiple of ${n})`,
    );
  }
  return planeCount / n;
}

/** The algebra object of `@gcnn/group` for p4 / p4m. */
export function algebraOf(group: OutputGroup): Group {
  return group === 'p4' ? p4 : p4m;
}
