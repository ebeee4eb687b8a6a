import { chooseProgressMode, ProgressDisplay } from '../report/progress.js';
import { interruptOnSignals } from '../run/signals.js';

/** Options every command accepts. */
export interface CommonOptions {
  quiet?: boolean;
  debug?: boolean;
}

/** What a command needs from the process: progress on stderr, results on stdout, interruption. */
export interface CommandContext {
  progress: ProgressDisplay;
  /** Writes a result line to stdout. */
  print: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  dispose: () => void;
}

/** Sets up progress display and signal handling for a command. */
export function createContext(options: CommonOptions): CommandContext {
  const progress = new ProgressDisplay(chooseProgressMode({ quiet: options.quiet }));
  const interrupts = interruptOnSignals((message) => {
    progress.stopBar();
    process.stderr.write(`${message}\n`);
  });
  return {
    progress,
    print: (text) => process.stdout.write(`${text}\n`),
    signal: interrupts.signal,
    dispose: () => {
      progress.stopBar();
      interrupts.dispose();
    },
  };
}
