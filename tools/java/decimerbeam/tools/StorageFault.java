package decimerbeam.tools;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * One fault a {@link StorageProxy} injects: what it does to a request ({@link Action}), which
 * requests it applies to (kinds, and optionally a text the decoded path and query must contain),
 * with what probability, and for how long once injected (forever unless {@link #during}). Built
 * fluently: {@code StorageFault.status(503).retryAfter(Duration.ofSeconds(2)).on(READ).probability(0.1)}.
 */
public record StorageFault(Action action, int status, Duration retryAfter, Duration stall,
    Set<StorageRequestKind> kinds, String targetContains, double probability, Duration window) {

  /** What happens to a request the fault applies to. */
  public enum Action {
    /** Answer with {@link #status} (and {@code Retry-After} when set), Azure's error body. */
    STATUS,
    /** Reset the client's connection (TCP RST) without an answer. */
    RESET,
    /** Hold the request for {@link #stall} without an answer, then close the connection. */
    STALL
  }

  public StorageFault {
    kinds = kinds.isEmpty() ? EnumSet.allOf(StorageRequestKind.class) : EnumSet.copyOf(kinds);
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be within [0, 1], got " + probability);
    }
  }

  private static StorageFault of(Action action, int status, Duration stall) {
    return new StorageFault(action, status, Duration.ZERO, stall,
        EnumSet.allOf(StorageRequestKind.class), "", 1.0, null);
  }

  /** Answer with this HTTP status (500, 502, 503, 504, 408, 429, or a permanent 4xx). */
  public static StorageFault status(int status) {
    return of(Action.STATUS, status, Duration.ZERO);
  }

  public static StorageFault reset() {
    return of(Action.RESET, 0, Duration.ZERO);
  }

  /** Hold requests for this long (longer than the client's timeout, to test it). */
  public static StorageFault stall(Duration stall) {
    return of(Action.STALL, 0, stall);
  }

  /** Only requests of these kinds (all kinds when none are given). */
  public StorageFault on(StorageRequestKind... only) {
    Set<StorageRequestKind> k = only.length == 0 ? EnumSet.allOf(StorageRequestKind.class)
        : EnumSet.copyOf(Set.of(only));
    return new StorageFault(action, status, retryAfter, stall, k, targetContains, probability,
        window);
  }

  /** Only requests whose URL-decoded path and query contain this text (e.g. one directory). */
  public StorageFault onTargetsContaining(String text) {
    return new StorageFault(action, status, retryAfter, stall, kinds, text, probability, window);
  }

  public StorageFault probability(double p) {
    return new StorageFault(action, status, retryAfter, stall, kinds, targetContains, p, window);
  }

  /** Send {@code Retry-After} (whole seconds) with the status. */
  public StorageFault retryAfter(Duration d) {
    return new StorageFault(action, status, d, stall, kinds, targetContains, probability, window);
  }

  /** Active for this long from the moment it is injected, then gone. */
  public StorageFault during(Duration d) {
    return new StorageFault(action, status, retryAfter, stall, kinds, targetContains, probability,
        d);
  }

  boolean appliesTo(StorageRequestKind kind, String rawTarget) {
    return kinds.contains(kind)
        && (targetContains.isEmpty() || decode(rawTarget).contains(targetContains));
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notEncoded) {
      return raw;
    }
  }
}
