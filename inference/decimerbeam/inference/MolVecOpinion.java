package decimerbeam.inference;

import gov.nih.ncats.molvec.Molvec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * MolVec ({@code gov.nih.ncats:molvec}, pure Java, no model files) as the {@link SecondOpinion}.
 *
 * <p>Each reading runs on its own single-worker {@link ForkJoinPool}, for two reasons: MolVec
 * uses parallel streams, which would otherwise spread over the common pool (cores the pipeline
 * has sized for TensorFlow) and out of reach of a per-thread CPU clock; and a reading that hangs
 * is abandoned after {@code timeout} without holding up the caller. MolVec does not answer
 * interrupts, so an abandoned worker runs on (as a daemon); once {@link #MAX_ABANDONED} are
 * still running, further images are skipped with a warning rather than piling up threads.
 */
public final class MolVecOpinion implements SecondOpinion {

  /** Image bytes to an MDL molfile: MolVec in production, a stand-in in tests. */
  @FunctionalInterface
  interface MolfileReader {
    String read(byte[] image) throws Exception;
  }

  /** MolVec reads a clean image in well under a second; this bounds the rare pathological one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  static final int MAX_ABANDONED = 4;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final MolfileReader reader;
  private final Duration timeout;
  private final AtomicInteger abandoned = new AtomicInteger();

  public MolVecOpinion() {
    this(DEFAULT_TIMEOUT);
  }

  public MolVecOpinion(Duration timeout) {
    this(Molvec::ocr, timeout);
  }

  MolVecOpinion(MolfileReader reader, Duration timeout) {
    this.reader = reader;
    this.timeout = timeout;
  }

  /** "molvec-" and the version in MolVec's jar (its Maven pom.properties). */
  public static final String READER_ID = "molvec-" + molvecVersion();

  @Override
  public String readerId() {
    return READER_ID;
  }

  private static String molvecVersion() {
    try (InputStream in = Molvec.class.getResourceAsStream(
        "/META-INF/maven/gov.nih.ncats/molvec/pom.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Readings abandoned after their timeout whose worker has not finished yet. */
  int abandonedRunning() {
    return abandoned.get();
  }

  private enum State { RUNNING, DONE, ABANDONED }

  @Override
  public SecondReading read(byte[] image) {
    int stuck = abandoned.get();
    if (stuck >= MAX_ABANDONED) {
      return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_SKIPPED,
          stuck + " earlier MolVec readings are still running past " + timeout.toSeconds() + " s",
          0);
    }
    AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    AtomicReference<Thread> worker = new AtomicReference<>();
    AtomicLong cpuStart = new AtomicLong(-1);
    AtomicLong cpuNanos = new AtomicLong();
    ForkJoinPool pool = new ForkJoinPool(1, MolVecOpinion::daemonWorker, null, false);
    ForkJoinTask<String> task = pool.submit(() -> {
      worker.set(Thread.currentThread());
      cpuStart.set(threadCpuNanos(Thread.currentThread()));
      try {
        return reader.read(image);
      } finally {
        cpuNanos.set(threadCpuNanos(Thread.currentThread()) - cpuStart.get());
        if (!state.compareAndSet(State.RUNNING, State.DONE)) {
          abandoned.decrementAndGet();
        }
      }
    });
    try {
      String molfile = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return structureOf(molfile, seconds(cpuNanos.get()));
    } catch (TimeoutException e) {
      if (state.compareAndSet(State.RUNNING, State.ABANDONED)) {
        abandoned.incrementAndGet();
        pool.shutdownNow();
        Thread t = worker.get();
        double soFar = t == null ? 0 : seconds(threadCpuNanos(t) - cpuStart.get());
        return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_TIMEOUT,
            "MolVec ran past " + timeout.toMillis() + " ms", soFar);
      }
      return finishedAtTheBound(task, cpuNanos);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error; // the heap spent is the worker's failure, not a warning on a row
      }
      return failed(e.getCause(), cpuNanos.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_FAILED,
          "interrupted while waiting for MolVec", 0);
    } finally {
      pool.shutdown();
    }
  }

  /** The reading finished between the timeout and the give-up: take its result. */
  private static SecondReading finishedAtTheBound(ForkJoinTask<String> task, AtomicLong cpuNanos) {
    try {
      return structureOf(task.join(), seconds(cpuNanos.get()));
    } catch (RuntimeException e) {
      return failed(e.getCause() == null ? e : e.getCause(), cpuNanos.get());
    }
  }

  private static SecondReading structureOf(String molfile, double cpuSeconds) {
    Optional<Structures.Identity> identity = Molfiles.toSmiles(molfile)
        .flatMap(Structures::identify);
    if (identity.isEmpty()) {
      return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_EMPTY,
          "MolVec found no structure", cpuSeconds);
    }
    return SecondReading.of(identity.get().canonicalSmiles(), identity.get().inchiKey(),
        cpuSeconds);
  }

  private static SecondReading failed(Throwable cause, long cpuNanos) {
    String what = cause == null ? "unknown error" : cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return SecondReading.warning(SecondOpinionWarning.SECOND_OPINION_FAILED,
        "MolVec failed: " + what, seconds(cpuNanos));
  }

  private static ForkJoinWorkerThread daemonWorker(ForkJoinPool pool) {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    t.setDaemon(true);
    t.setName("molvec-" + t.getName());
    return t;
  }

  @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, the build targets 17.
  private static long threadCpuNanos(Thread t) {
    long nanos = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(t.getId()) : -1;
    return Math.max(nanos, 0);
  }

  private static double seconds(long nanos) {
    return Math.max(nanos, 0) / 1e9;
  }

  /** Nothing to free: each reading's pool is shut down when it ends. */
  @Override
  public void close() {}
}
