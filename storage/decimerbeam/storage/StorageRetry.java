package decimerbeam.storage;

import java.io.Serializable;
import java.time.Duration;

/**
 * How long one storage call (a listing, a read, an existence check, a write) keeps trying
 * through transient failures before its directory fails: tries up to {@code window} after the
 * first, waiting between them an exponentially growing delay from {@code initialDelay} to
 * {@code maxDelay} with random jitter (or longer when the server asks with {@code Retry-After});
 * each request is given up after {@code tryTimeout}. Sized for real outages: minutes, not
 * seconds.
 *
 * @param maxTries a cap on the tries besides the window; 0 means only the window limits them
 */
public record StorageRetry(Duration window, Duration initialDelay, Duration maxDelay,
    Duration tryTimeout, int maxTries) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The defaults, here once; the command line's options take theirs from these. */
  public static final long DEFAULT_WINDOW_SECONDS = 600;
  public static final long DEFAULT_INITIAL_DELAY_MS = 1_000;
  public static final long DEFAULT_MAX_DELAY_SECONDS = 60;
  public static final long DEFAULT_TRY_TIMEOUT_SECONDS = 60;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(DEFAULT_WINDOW_SECONDS);
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(DEFAULT_INITIAL_DELAY_MS);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(DEFAULT_MAX_DELAY_SECONDS);
  public static final Duration DEFAULT_TRY_TIMEOUT =
      Duration.ofSeconds(DEFAULT_TRY_TIMEOUT_SECONDS);

  public StorageRetry {
    requirePositive("window", window, true);
    requirePositive("initialDelay", initialDelay, false);
    requirePositive("maxDelay", maxDelay, false);
    requirePositive("tryTimeout", tryTimeout, false);
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("storage retry maxDelay (" + maxDelay
          + ") is shorter than its initialDelay (" + initialDelay + ")");
    }
    if (maxTries < 0) {
      throw new IllegalArgumentException("storage retry maxTries must be >= 0, got " + maxTries);
    }
  }

  public static StorageRetry defaults() {
    return new StorageRetry(DEFAULT_WINDOW, DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY,
        DEFAULT_TRY_TIMEOUT, 0);
  }

  public StorageRetry withWindow(Duration d) {
    return new StorageRetry(d, initialDelay, maxDelay, tryTimeout, maxTries);
  }

  public StorageRetry withDelays(Duration initial, Duration max) {
    return new StorageRetry(window, initial, max, tryTimeout, maxTries);
  }

  public StorageRetry withTryTimeout(Duration d) {
    return new StorageRetry(window, initialDelay, maxDelay, d, maxTries);
  }

  public StorageRetry withMaxTries(int n) {
    return new StorageRetry(window, initialDelay, maxDelay, tryTimeout, n);
  }

  /**
   * The wait before try {@code failedTries + 1}: the exponential delay with "equal jitter"
   * (half fixed, half random, so tries of many workers spread out yet always back off).
   */
  Duration backoff(int failedTries, double random) {
    double exp = initialDelay.toMillis() * Math.pow(2, Math.min(failedTries - 1, 30));
    double capped = Math.min(exp, maxDelay.toMillis());
    return Duration.ofMillis(Math.round(capped / 2 + capped / 2 * random));
  }

  private static void requirePositive(String name, Duration d, boolean zeroAllowed) {
    if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new IllegalArgumentException("storage retry " + name + " must be "
          + (zeroAllowed ? ">= 0" : "> 0") + ", got " + d);
    }
  }
}
