package decimerbeam.worker;

import decimerbeam.inference.SecondOpinion;
import decimerbeam.inference.SecondOpinionWarning;
import decimerbeam.inference.SecondReading;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second reader's own bounded pool, one per reader per worker JVM ({@link
 * SharedSecondOpinions}): an image's second reading runs here once DECIMER has decoded it and
 * given back its slot in the {@link InferenceGate} (and so its row in the decoding batch), so
 * another image can decode meanwhile. At most {@link #threads()} readings run at once; the others
 * wait their turn in arrival order. Each reading holds the memory the gate kept for it (the
 * image's heap estimate: the reader decodes the same pixels) until it really ends. {@link #close}
 * stops the pool's threads with the job.
 */
public final class SecondReadingPool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SecondReadingPool.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final SecondOpinion reader;
  private final int threads;
  private final ThreadPoolExecutor workers;
  /** The pool's threads (some may have ended), so {@link #close} can see them end. */
  private final Set<Thread> started = ConcurrentHashMap.newKeySet();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peakRunning = new AtomicInteger();

  SecondReadingPool(SecondOpinion reader, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a second-reading pool needs >= 1 thread, got "
          + threads);
    }
    this.reader = reader;
    this.threads = threads;
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "decimer-second-reader-" + pool + "-" + n.incrementAndGet());
          t.setDaemon(true);
          started.removeIf(old -> !old.isAlive()); // idle threads end after 30 s
          started.add(t);
          return t;
        });
    workers.allowCoreThreadTimeOut(true);
  }

  public String readerId() {
    return reader.readerId();
  }

  int threads() {
    return threads;
  }

  /** Readings running now (including those whose caller stopped waiting). */
  int running() {
    return running.get();
  }

  /** Readings waiting for a thread. */
  int waiting() {
    return workers.getQueue().size();
  }

  /** Threads of this pool still alive. */
  int liveThreads() {
    return (int) started.stream().filter(Thread::isAlive).count();
  }

  /** The most readings that ran at once. */
  int peakRunning() {
    return peakRunning.get();
  }

  /**
   * Reads {@code image} on the pool, waiting until {@code deadlineNanos} ({@link
   * System#nanoTime}) at most, for a thread and for the reading. {@code memory} is closed when
   * the reading ends (or at once, if it never began). A reading that does not end in time is a
   * {@link SecondOpinionWarning#SECOND_OPINION_TIMEOUT} warning: the image keeps DECIMER's
   * reading, and the reading runs on to its reader's own bound. An {@link Error} of the reader
   * propagates.
   */
  public SecondReading read(byte[] image, AutoCloseable memory, long deadlineNanos)
      throws InterruptedException {
    AtomicBoolean began = new AtomicBoolean();
    Future<SecondReading> f;
    try {
      f = workers.submit(() -> {
        if (!began.compareAndSet(false, true)) {
          return null; // its caller stopped waiting before it began, and closed the memory
        }
        peakRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          return reader.read(image);
        } finally {
          running.decrementAndGet();
          closeQuietly(memory);
        }
      });
    } catch (RuntimeException e) {
      closeQuietly(memory);
      throw e;
    }
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | CancellationException e) {
      giveUp(f, began, memory);
      return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_TIMEOUT,
          "no second reading within the image's time (--imageTimeout)", 0);
    } catch (InterruptedException e) {
      giveUp(f, began, memory);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error; // the heap spent is the worker's failure, not a warning on a row
      }
      // A reader throws nothing by contract; should one, the image has no second reading.
      return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_FAILED,
          "second reader failed: " + e.getCause(), 0);
    }
  }

  /**
   * Not interrupted: MolVec does not answer interrupts, and its own bound abandons a reading
   * that hangs, with the count it keeps of those.
   */
  private static void giveUp(Future<?> f, AtomicBoolean began, AutoCloseable memory) {
    f.cancel(false);
    if (began.compareAndSet(false, true)) {
      closeQuietly(memory);
    }
  }

  private static void closeQuietly(AutoCloseable memory) {
    try {
      memory.close();
    } catch (Exception e) {
      LOG.warn("Could not give back a second reading's memory", e);
    }
  }

  /**
   * Takes no more readings, closes the reader and waits up to {@code wait} for the pool's
   * threads to end; a reading still running keeps its thread (a daemon) until it ends.
   */
  void close(Duration wait) throws InterruptedException {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Second-reading pool closed with {} reading(s) still running; each thread ends"
            + " with its reading", running());
        return;
      }
      long deadline = System.nanoTime() + wait.toNanos();
      for (Thread t : Set.copyOf(started)) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      }
    } finally {
      reader.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(10));
  }
}
