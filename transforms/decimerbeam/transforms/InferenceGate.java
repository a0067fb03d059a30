package decimerbeam.transforms;

import decimerbeam.inference.InferenceCapacity;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide limit on concurrent inferences, sized once from host RAM ({@link
 * InferenceCapacity}), shared by every DoFn instance and thread, plus the threads that run
 * recognitions so a stuck one can be timed out.
 */
final class InferenceGate {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceGate.class);
  private static InferenceGate instance;

  final InferenceCapacity capacity;
  final Semaphore permits;
  final ExecutorService workers;

  private InferenceGate(InferenceCapacity capacity) {
    this.capacity = capacity;
    this.permits = new Semaphore(capacity.permits(), true);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "decimer-inference-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  static synchronized InferenceGate get(double memoryFraction, int override) {
    if (instance == null) {
      instance = new InferenceGate(InferenceCapacity.forThisHost(memoryFraction, override));
      LOG.info("Inference capacity of this JVM: {}", instance.capacity.describe());
    }
    return instance;
  }
}
