package decimerbeam.worker;

import decimerbeam.inference.SecondOpinion;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One second reader per kind per JVM (per class loader, so per job on a Flink session cluster),
 * with its own bounded {@link SecondReadingPool}, however many DoFn instances a runner creates:
 * acquired in {@code @Setup}, released in {@code @Teardown}; the last release closes the pool
 * and the reader, so no thread of theirs outlives the job. A reader bounds its own hung
 * readings per instance, so sharing keeps that bound per worker.
 */
public final class SharedSecondOpinions {

  private static final Logger LOG = LoggerFactory.getLogger(SharedSecondOpinions.class);

  private record Entry(SecondReadingPool pool, int holders) {}

  private static final Map<SecondReader, Entry> SHARED = new EnumMap<>(SecondReader.class);
  /** Tests only: pools to create in place of a kind's own reader and pool. */
  private static final Map<SecondReader, Supplier<SecondReadingPool>> SUBSTITUTES =
      new EnumMap<>(SecondReader.class);

  private SharedSecondOpinions() {}

  public static synchronized Optional<SecondReadingPool> acquire(SecondReader kind) {
    Entry e = SHARED.get(kind);
    if (e == null) {
      Supplier<SecondReadingPool> substitute = SUBSTITUTES.get(kind);
      SecondReadingPool pool;
      if (substitute != null) {
        pool = substitute.get();
      } else {
        Optional<SecondOpinion> created = kind.create();
        if (created.isEmpty()) {
          return Optional.empty();
        }
        pool = new SecondReadingPool(created.get(), kind.threadsPerJvm());
      }
      LOG.info("Second reader {}: its own pool of {} thread(s), outside the inference slots",
          pool.readerId(), pool.threads());
      e = new Entry(pool, 0);
    }
    SHARED.put(kind, new Entry(e.pool(), e.holders() + 1));
    return Optional.of(e.pool());
  }

  /** Gives one hold back; the last one closes the pool and the reader. */
  public static void release(SecondReader kind) throws InterruptedException {
    SecondReadingPool last = releaseLast(kind);
    if (last != null) {
      last.close();
      LOG.info("Second-reading pool closed: its threads have stopped");
    }
  }

  private static synchronized SecondReadingPool releaseLast(SecondReader kind) {
    Entry e = SHARED.get(kind);
    if (e == null) {
      return null;
    }
    if (e.holders() <= 1) {
      SHARED.remove(kind);
      return e.pool();
    }
    SHARED.put(kind, new Entry(e.pool(), e.holders() - 1));
    return null;
  }

  /**
   * Tests only: while no holder has {@code kind}'s pool, the next acquire creates this one
   * instead (null: the kind's own again).
   */
  static synchronized void substitute(SecondReader kind, Supplier<SecondReadingPool> pool) {
    if (pool == null) {
      SUBSTITUTES.remove(kind);
    } else {
      SUBSTITUTES.put(kind, pool);
    }
  }

  /** Holders of all second-reading pools in this JVM (for tests and logs). */
  static synchronized int holders() {
    return SHARED.values().stream().mapToInt(Entry::holders).sum();
  }
}
