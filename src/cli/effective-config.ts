// The configuration in force, as `embedline status` prints it, secrets masked (API keys shown only
// as set, passwords in URLs replaced) so the output can be pasted into a bug report:
// - environmentSettings: every variable of src/config.ts's declaration by name, with its value after
//   defaults (unset ones as null), so a variable added there shows up here with no other change;
// - effectiveConfig: the typed settings built from them, by dotted name (`status --json`'s `config`).
import { ENVIRONMENT_VARIABLES, isSecretVariable, type Config } from '../config.ts';
import { redactRedisUrl } from '../queue/redis-connection.ts';

export type SettingValue = string | number | boolean | string[] | null;

/** apiKey, qdrantApiKey; not maxBatchTokens. */
const SECRET_NAME = /(key|password|secret|token)$/i;
const MASK = '*** (set)';
/** Parts of Config that are not settings someone typed: the raw variables (shown by name instead), npm's launch marker. */
const NOT_SETTINGS = new Set<string>(['variables', 'launchedByNpm']);

export function environmentSettings(config: Config): Record<string, SettingValue> {
  return Object.fromEntries(ENVIRONMENT_VARIABLES.map((name) => [name, shown(config.variables[name], isSecretVariable(name))]));
}

export function effectiveConfig(config: Config): Record<string, SettingValue> {
  const settings: Record<string, SettingValue> = {};
  const visit = (value: unknown, name: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) if (name || !NOT_SETTINGS.has(key)) visit(inner, name ? `${name}.${key}` : key);
    } else settings[name] = shown(value, SECRET_NAME.test(name.split('.').at(-1)!));
  };
  visit(config, '');
  return settings;
}

function shown(value: unknown, secret: boolean): SettingValue {
  if (value === undefined || value === null) return null;
  if (secret) return MASK;
  // Credentials can ride in any URL (redis://:pw@host, https://user:pw@qdrant).
  if (typeof value === 'string') return redactRedisUrl(value);
  return value as SettingValue;
}

/** One setting as text: unset, a list, or the value. */
export function settingText(value: SettingValue): string {
  if (value === null) return '(unset)';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
