// Pure: the `dexter` settings section as the server should see it.

/** Keys only the extension uses: kept out of what the server is sent. */
export const CLIENT_ONLY_KEYS = ['server', 'trace'] as const;

export function forServer(section: unknown): unknown {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    return section;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
    if (!(CLIENT_ONLY_KEYS as readonly string[]).includes(key) && typeof value !== 'function') {
      copy[key] = value;
    }
  }
  return copy;
}
