/** What {@link allAlive} reads of a node: a `VigNode` or a bare gossip node. */
export interface MemberView {
  readonly address: string;
  members(): readonly { readonly address: string; readonly status: string }[];
}

/** Whether every node sees every other as alive. */
export function allAlive(cluster: readonly MemberView[]): boolean {
  return cluster.every((node) =>
    cluster.every(
      (other) =>
        other === node ||
        node
          .members()
          .some((member) => member.address === other.address && member.status === 'alive'),
    ),
  );
}
