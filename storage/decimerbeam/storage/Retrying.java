package decimerbeam.storage;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one storage call under a {@link StorageRetry}: transient failures are tried again after
 * a jittered, growing wait (at least the server's {@code Retry-After}) until the window is
 * spent; the last failure is then thrown, with how long and how often it was tried.
 */
final class Retrying {

  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

  /** A storage call. */
  interface Call<T> {
    T run();
  }

  private final StorageRetry policy;

  Retrying(StorageRetry policy) {
    this.policy = policy;
  }

  /**
   * The call's result; a failure that is not transient, or the last one when the window is
   * spent, is rethrown as a {@link GaveUp} whose cause is the failure.
   */
  <T> T call(String what, Call<T> call) {
    long start = System.nanoTime();
    long deadline = start + policy.window().toNanos();
    for (int tries = 1; ; tries++) {
      try {
        return call.run();
      } catch (RuntimeException e) {
        if (!TransientFailures.isTransient(e)) {
          throw e;
        }
        Duration wait = policy.backoff(tries, ThreadLocalRandom.current().nextDouble());
        Duration asked = TransientFailures.retryAfter(e).orElse(Duration.ZERO);
        if (asked.compareTo(wait) > 0) {
          wait = asked;
        }
        long left = deadline - System.nanoTime();
        boolean capped = policy.maxTries() > 0 && tries >= policy.maxTries();
        if (capped || left <= 0) {
          throw new GaveUp(what, tries, Duration.ofNanos(System.nanoTime() - start), e);
        }
        // The last wait ends with the window, so one more try lands inside it.
        if (wait.toNanos() > left) {
          wait = Duration.ofNanos(left);
        }
        LOG.warn("{} failed (try {}), trying again in {} ms: {}", what, tries, wait.toMillis(),
            Redaction.clean(String.valueOf(e.getMessage())));
        sleep(wait);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }

  /** A transient failure that outlasted the retry window (or the cap on tries). */
  static final class GaveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int tries;
    final Duration elapsed;

    GaveUp(String what, int tries, Duration elapsed, RuntimeException last) {
      super(what + ": gave up after " + tries + (tries == 1 ? " try" : " tries") + " in "
          + elapsed.toSeconds() + " s", last);
      this.tries = tries;
      this.elapsed = elapsed;
    }
  }
}
