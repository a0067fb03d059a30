package decimerbeam.worker;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recognizers being created in this JVM right now: a model downloaded, prepared or loaded.
 * The DirectRunner commits a bundle's metrics only when the bundle ends, so while a worker's
 * {@code @Setup} prepares the model for minutes its counters say nothing yet; the launcher
 * shares the JVM with the workers there and reads this instead.
 */
public final class ModelPreparation {

  private static final AtomicInteger UNDERWAY = new AtomicInteger();

  private ModelPreparation() {}

  /** Marks a creation as underway until the returned handle is closed. */
  public static Underway begin() {
    UNDERWAY.incrementAndGet();
    return new Underway();
  }

  /** Whether a recognizer is being created in this JVM now. */
  public static boolean underway() {
    return UNDERWAY.get() > 0;
  }

  /** One creation underway; closing it twice counts once. */
  public static final class Underway implements AutoCloseable {
    private final AtomicBoolean closed = new AtomicBoolean();

    private Underway() {}

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        UNDERWAY.decrementAndGet();
      }
    }
  }
}
