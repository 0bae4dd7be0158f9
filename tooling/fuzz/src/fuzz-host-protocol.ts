/** What the fuzzer asks of its node host. */
export type HostRequest = { readonly type: 'metrics' } | { readonly type: 'stop' };

/** What the node host says. */
export type HostReply =
  | { readonly type: 'ready'; readonly address: string }
  | {
      readonly type: 'metrics';
      /** The node's `metrics()`, as JSON. */
      readonly metrics: Record<string, unknown>;
      /** Datagrams the kernel dropped for the node's socket (its buffer was full). */
      readonly kernelDrops: number;
      readonly residentBytes: number;
      readonly heapUsedBytes: number;
      /** The host process's peak resident set (VmHWM). */
      readonly peakResidentBytes: number;
    };

/** The metrics reply. */
export type HostMetrics = Extract<HostReply, { type: 'metrics' }>;
