import type { NodeMetrics } from '../node-metrics.js';

/** A count, or counts by reason. */
type MetricsField = number | Readonly<Record<string, number>>;

/**
 * The sum of several nodes' metrics, field by field: every count is added,
 * and every table of counts by reason (drops, sends) is added reason by
 * reason, reasons never seen staying absent. An empty list gives zeros.
 */
export function sumNodeMetrics(all: Iterable<NodeMetrics>): NodeMetrics {
  const sum = new Map<string, number | Map<string, number>>();
  for (const metrics of all) {
    for (const [field, value] of Object.entries(metrics) as [string, MetricsField][]) {
      if (typeof value === 'number') {
        const before = sum.get(field);
        sum.set(field, (typeof before === 'number' ? before : 0) + value);
        continue;
      }
      let reasons = sum.get(field);
      if (!(reasons instanceof Map)) sum.set(field, (reasons = new Map()));
      for (const [reason, count] of Object.entries(value)) {
        reasons.set(reason, (reasons.get(reason) ?? 0) + count);
      }
    }
  }
  const result: Record<string, MetricsField> = {
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
    drops: Object.freeze({}),
    listenerErrors: 0,
    trackedSources: 0,
  };
  for (const [field, value] of sum) {
    result[field] = typeof value === 'number' ? value : Object.freeze(Object.fromEntries(value));
  }
  return Object.freeze(result) as unknown as NodeMetrics;
}
