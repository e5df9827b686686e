// Where the server comes from, in order: dexter.server.command, `dexter-ls` on PATH, then the
// selected Python interpreter with `-m dexter_ls`. Pure: probing is passed in.

export interface Candidate {
  readonly source: 'setting' | 'path' | 'interpreter';
  readonly command: string;
  readonly args: readonly string[];
}

export interface Probes {
  /** The full path of an executable on PATH, or undefined. */
  which(name: string): Promise<string | undefined>;
  /** True when `python -c "import dexter_ls"` succeeds. */
  canImport(python: string): Promise<boolean>;
}

export interface Lookup {
  readonly found?: Candidate;
  readonly tried: readonly string[];
}

export async function findServer(
  settingCommand: readonly string[],
  interpreter: readonly string[],
  probes: Probes,
): Promise<Lookup> {
  const tried: string[] = [];
  if (settingCommand.length > 0 && settingCommand[0].trim() !== '') {
    return {
      found: { source: 'setting', command: settingCommand[0], args: settingCommand.slice(1) },
      tried: [`dexter.server.command (${settingCommand.join(' ')})`],
    };
  }
  tried.push('dexter.server.command (not set)');
  const onPath = await probes.which('dexter-ls');
  if (onPath) {
    return { found: { source: 'path', command: onPath, args: [] }, tried: [...tried, 'dexter-ls on PATH'] };
  }
  tried.push('dexter-ls on PATH (not found)');
  const python = interpreter.length > 0 ? interpreter : ['python3'];
  const label = python.join(' ');
  if (await probes.canImport(python[0])) {
    return {
      found: { source: 'interpreter', command: python[0], args: [...python.slice(1), '-m', 'dexter_ls'] },
      tried: [...tried, `${label} -m dexter_ls`],
    };
  }
  tried.push(`${label} -m dexter_ls (dexter_ls not importable)`);
  return { tried };
}

export function notFoundMessage(tried: readonly string[]): string {
  return `Dexter: could not start the language server. Tried: ${tried.join('; ')}.`;
}

export const INSTALL_COMMANDS = {
  pipx: 'pipx install dexter-ls',
  pip: 'python3 -m pip install --user dexter-ls',
} as const;

/** Delay before the n-th restart in a row (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}
