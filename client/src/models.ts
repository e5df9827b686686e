// Pure helpers over `dexter.listModels` / `dexter.getPreferences` results: quick-pick rows
// grouped by provider, status icons, and the status bar text.

export type ModelStatus = 'available' | 'cooling down' | 'needs key' | 'unavailable' | 'unknown';

export interface ModelInfo {
  id: string;
  provider: string;
  name: string;
  displayName?: string | null;
  family?: string | null;
  parameterSize?: string | null;
  contextWindow?: number | null;
  status: ModelStatus | string;
  statusDetail?: string | null;
  local?: boolean;
}

export interface ModelList {
  models: ModelInfo[];
  chain: string[];
  providers?: Record<string, string>;
}

export interface Row {
  kind: 'separator' | 'model';
  label: string;
  description?: string;
  detail?: string;
  id?: string;
}

const ICONS: Record<string, string> = {
  available: '$(pass-filled)',
  'cooling down': '$(watch)',
  'needs key': '$(key)',
  unavailable: '$(error)',
};

export function statusIcon(status: string): string {
  return ICONS[status] ?? '$(question)';
}

export function contextLabel(tokens: number | null | undefined): string | undefined {
  if (!tokens) {
    return undefined;
  }
  return tokens >= 1000 ? `${Math.round(tokens / 1000)}k ctx` : `${tokens} ctx`;
}

export function describe(model: ModelInfo): string {
  const parts = [model.family, model.parameterSize, contextLabel(model.contextWindow), model.status];
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');
}

/** Rows for the Select Model quick pick: one separator per provider, models under it. */
export function modelRows(list: ModelList, current?: string): Row[] {
  const byProvider = new Map<string, ModelInfo[]>();
  for (const model of list.models) {
    const group = byProvider.get(model.provider) ?? [];
    group.push(model);
    byProvider.set(model.provider, group);
  }
  const rows: Row[] = [];
  for (const [provider, models] of byProvider) {
    rows.push({ kind: 'separator', label: provider });
    for (const model of models) {
      const mark = model.id === current ? ' (current)' : '';
      rows.push({
        kind: 'model',
        id: model.id,
        label: `${statusIcon(model.status)} ${model.id}${mark}`,
        description: describe(model),
        detail: model.statusDetail ?? undefined,
      });
    }
  }
  return rows;
}

export interface StatusView {
  text: string;
  tooltip: string;
}

export function statusBarView(model: string | undefined, info: ModelInfo | undefined): StatusView {
  if (!model) {
    return { text: '$(sparkle) Dexter', tooltip: 'Dexter: no model chosen — click to select one' };
  }
  const status = info?.status ?? 'unknown';
  const health = status === 'available' ? '' : ` ${statusIcon(status)}`;
  const detail = info?.statusDetail ? ` — ${info.statusDetail}` : '';
  return {
    text: `$(sparkle) ${model}${health}`,
    tooltip: `Dexter model: ${model} (${status}${detail}). Click to select another.`,
  };
}

/** Move `id` one place up (-1) or down (+1) in `chain`; a new array. */
export function move(chain: readonly string[], id: string, by: -1 | 1): string[] {
  const out = [...chain];
  const at = out.indexOf(id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= out.length) {
    return out;
  }
  [out[at], out[to]] = [out[to], out[at]];
  return out;
}
