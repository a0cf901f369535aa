// The configuration in force, as `embedline status` prints it: every setting of src/config.ts by
// its dotted name, unset ones as null, secrets masked (API keys shown only as set, passwords in
// URLs replaced), so the output can be pasted into a bug report.
import type { Config } from '../config.ts';
import { redactRedisUrl } from '../queue/redis-connection.ts';

export type SettingValue = string | number | boolean | string[] | null;

const SECRET_NAME = /key|password|secret|token/i;
const MASK = '*** (set)';

export function effectiveConfig(config: Config): Record<string, SettingValue> {
  const settings: Record<string, SettingValue> = {};
  const visit = (value: unknown, name: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) visit(inner, name ? `${name}.${key}` : key);
    } else if (value === undefined || value === null) settings[name] = null;
    else if (SECRET_NAME.test(name.split('.').at(-1)!)) settings[name] = MASK;
    // Credentials can ride in any URL (redis://:pw@host, https://user:pw@qdrant).
    else if (typeof value === 'string') settings[name] = redactRedisUrl(value);
    else settings[name] = value as SettingValue;
  };
  visit(config, '');
  return settings;
}

/** One setting as text: unset, a list, or the value. */
export function settingText(value: SettingValue): string {
  if (value === null) return '(unset)';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
