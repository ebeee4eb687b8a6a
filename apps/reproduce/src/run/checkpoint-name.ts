/** The checkpoint directory (relative to the run) for the state after `epoch` epochs. */
export function checkpointName(epoch: number): string {
  return `checkpoints/epoch-${String(epoch).padStart(4, '0')}`;
}
