package decimerbeam.transforms;

import decimerbeam.inference.InferenceCapacity;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide limit on concurrent inferences, sized once from host RAM ({@link
 * InferenceCapacity}) and shared by every DoFn instance and thread. It owns the whole life of a
 * call: a permit is taken, the call runs on the gate's own threads so a stuck one can be timed
 * out, and the permit comes back when the call really ends (not when its caller gave up), so
 * {@link #drain} can wait for everything still running.
 */
final class InferenceGate {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceGate.class);
  private static final Map<String, InferenceGate> GATES = new HashMap<>();

  private final InferenceCapacity capacity;
  private final Semaphore permits;
  private final AtomicInteger running = new AtomicInteger();
  private final ExecutorService workers;

  InferenceGate(InferenceCapacity capacity) {
    this.capacity = capacity;
    this.permits = new Semaphore(capacity.permits(), true);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "decimer-inference-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The gate of this JVM for these settings, sized and logged on first use. */
  static synchronized InferenceGate forThisJvm(double memoryFraction, int maxConcurrent) {
    return GATES.computeIfAbsent(memoryFraction + "|" + maxConcurrent, k -> {
      InferenceGate gate = new InferenceGate(
          InferenceCapacity.forThisHost(memoryFraction, maxConcurrent));
      LOG.info("Inference capacity of this JVM: {}", gate.capacity.describe());
      return gate;
    });
  }

  InferenceCapacity capacity() {
    return capacity;
  }

  /** Calls in progress, including those whose caller timed out. */
  int running() {
    return running.get();
  }

  /**
   * Runs {@code call} under a permit and waits at most {@code timeout} for it.
   *
   * @throws TimeoutException the call is still running (it keeps its permit until it ends)
   * @throws ExecutionException the call threw; its cause is the call's exception
   */
  <T> T call(Callable<T> call, Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException {
    permits.acquire();
    Future<T> f;
    try {
      running.incrementAndGet();
      f = workers.submit(() -> {
        try {
          return call.call();
        } finally {
          running.decrementAndGet();
          permits.release();
        }
      });
    } catch (RuntimeException e) {
      running.decrementAndGet();
      permits.release();
      throw e;
    }
    return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until no call runs; false when {@code timeout} passed first. */
  boolean drain(Duration timeout) throws InterruptedException {
    int all = capacity.permits();
    if (permits.tryAcquire(all, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      permits.release(all);
      return true;
    }
    return false;
  }
}
