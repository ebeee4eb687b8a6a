/**
 * How a run's random streams are seeded, recorded in state.json. 'gcnn-train-rng': @gcnn/train's streams
 * (@gcnn/data's Rng); 'derived-per-epoch': the mulberry32 streams of gcnn before @gcnn/train, which this version
 * reads but cannot continue exactly.
 */
export const RANDOM_SCHEME = 'gcnn-train-rng';
export const RANDOM_SCHEMES = [RANDOM_SCHEME, 'derived-per-epoch'] as const;
export type RandomScheme = (typeof RANDOM_SCHEMES)[number];
