// Settings the extension itself reads (the server reads the rest of `dexter.*`).
import { getConfiguration } from './vscodeapi';

export { forServer } from './sections';
export const SECTION = 'dexter';

export interface ClientSettings {
  serverCommand: string[];
}

export function clientSettings(): ClientSettings {
  const config = getConfiguration(SECTION);
  const command = config.get<unknown>('server.command');
  return {
    serverCommand: Array.isArray(command) ? command.filter((c): c is string => typeof c === 'string') : [],
  };
}
