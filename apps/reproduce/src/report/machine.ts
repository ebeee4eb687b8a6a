import os from 'node:os';

/** The machine a table was produced on, for reports. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
}

/** Describes this machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** One line, e.g. "2 cores of Intel Xeon ..., 24 GiB, Linux 6.1 x64, Node v20.20.2". */
export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores of ${m.cpu}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`;
}
