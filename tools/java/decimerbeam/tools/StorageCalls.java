package decimerbeam.tools;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of the requests a {@link StorageProxy} has seen, by kind: every request that reached
 * it ({@link #received}), and those it answered with a fault instead of forwarding
 * ({@link #faulted}). Subtract two snapshots to count one phase of a run.
 */
public record StorageCalls(Map<StorageRequestKind, Long> received,
    Map<StorageRequestKind, Long> faulted) {

  public StorageCalls {
    received = complete(received);
    faulted = complete(faulted);
  }

  private static Map<StorageRequestKind, Long> complete(Map<StorageRequestKind, Long> counts) {
    Map<StorageRequestKind, Long> all = new EnumMap<>(StorageRequestKind.class);
    for (StorageRequestKind k : StorageRequestKind.values()) {
      all.put(k, counts.getOrDefault(k, 0L));
    }
    return Map.copyOf(all);
  }

  /** Requests of this kind that reached the proxy (faulted or not). */
  public long received(StorageRequestKind kind) {
    return received.get(kind);
  }

  public long faulted(StorageRequestKind kind) {
    return faulted.get(kind);
  }

  /** Requests of this kind that Azurite answered. */
  public long forwarded(StorageRequestKind kind) {
    return received(kind) - faulted(kind);
  }

  public long totalReceived() {
    return received.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalFaulted() {
    return faulted.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The requests seen since {@code earlier}, a snapshot of the same proxy. */
  public StorageCalls minus(StorageCalls earlier) {
    Map<StorageRequestKind, Long> r = new EnumMap<>(StorageRequestKind.class);
    Map<StorageRequestKind, Long> f = new EnumMap<>(StorageRequestKind.class);
    for (StorageRequestKind k : StorageRequestKind.values()) {
      r.put(k, received(k) - earlier.received(k));
      f.put(k, faulted(k) - earlier.faulted(k));
    }
    return new StorageCalls(r, f);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("StorageCalls[");
    for (StorageRequestKind k : StorageRequestKind.values()) {
      s.append(k.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(received(k));
      if (faulted(k) > 0) {
        s.append(" (").append(faulted(k)).append(" faulted)");
      }
      s.append(k == StorageRequestKind.OTHER ? "" : ", ");
    }
    return s.append(']').toString();
  }
}
