// The configuration a command runs with, loaded from the environment once as the command starts
// (program.ts runs this before any action), so a bad variable stops it with one line naming the
// variable before any work is done. Log and error output follow its switches from then on.
import { loadConfig, type Config } from '../config.ts';
import { setLogLevel, setLogQuiet } from '../log.ts';

let loaded: Config | undefined;

/** Reads and validates the environment; throws CONFIG_INVALID naming the bad variable. */
export function loadStartupConfig(): Config {
  loaded = loadConfig();
  setLogLevel(loaded.logLevel);
  setLogQuiet(loaded.quiet);
  return loaded;
}

/** The configuration loaded at start (loaded now if a caller runs outside the command tree). */
export function startupConfig(): Config {
  return loaded ?? loadStartupConfig();
}

/** EMBEDLINE_VERBOSE, when the configuration has been loaded; never throws (error output uses it). */
export function verboseByConfig(): boolean {
  return loaded?.verbose ?? false;
}
