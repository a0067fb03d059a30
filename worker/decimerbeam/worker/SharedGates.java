package decimerbeam.worker;

import decimerbeam.inference.InferenceCapacity;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link InferenceGate} per settings per JVM (per class loader, so per job on a Flink
 * session cluster), however many DoFn instances a runner creates: acquired in {@code @Setup},
 * released in {@code @Teardown}; the last release closes it, stopping its memory watchdog and
 * its threads. A TaskManager that serves job after job so keeps nothing of a job that is over.
 */
public final class SharedGates {

  private static final Logger LOG = LoggerFactory.getLogger(SharedGates.class);

  private record Entry(InferenceGate gate, int holders) {}

  private static final Map<String, Entry> SHARED = new HashMap<>();

  private SharedGates() {}

  /** The gate for these settings, sized, watched and logged when no holder has it yet. */
  public static synchronized InferenceGate acquire(double memoryFraction, int maxConcurrent,
      int workersPerHost, double exitFraction, int imagesPerCore) {
    String key = memoryFraction + "|" + maxConcurrent + "|" + workersPerHost + "|"
        + exitFraction + "|" + imagesPerCore;
    Entry e = SHARED.get(key);
    if (e == null) {
      InferenceCapacity capacity = InferenceCapacity.forThisHost(memoryFraction, maxConcurrent,
          workersPerHost, imagesPerCore);
      InferenceGate gate = new InferenceGate(capacity, MemoryWatchdog.forThisJvm(
          capacity.shareBytes(), memoryFraction, exitFraction));
      LOG.info("Inference capacity of this JVM: {}; memory watchdog holds inferences above"
          + " {} MiB and exits at {} % of {} MiB ({})", capacity.describe(),
          gate.watchdog().highWaterBytes() >> 20, Math.round(exitFraction * 100),
          capacity.shareBytes() >> 20, WorkerMemory.now().describe());
      e = new Entry(gate, 0);
    }
    SHARED.put(key, new Entry(e.gate(), e.holders() + 1));
    return e.gate();
  }

  /**
   * Gives one hold back; the last one closes the gate (after the caller drained it and closed
   * what ran through it).
   */
  public static void release(InferenceGate gate) throws InterruptedException {
    if (releaseLast(gate)) {
      gate.close();
      LOG.info("Inference gate closed: its memory watchdog and threads have stopped");
    }
  }

  private static synchronized boolean releaseLast(InferenceGate gate) {
    for (Map.Entry<String, Entry> me : SHARED.entrySet()) {
      Entry e = me.getValue();
      if (e.gate() == gate) {
        if (e.holders() <= 1) {
          SHARED.remove(me.getKey());
          return true;
        }
        me.setValue(new Entry(gate, e.holders() - 1));
        return false;
      }
    }
    return false;
  }

  /** Holders of all gates in this JVM (for tests and logs). */
  public static synchronized int holders() {
    return SHARED.values().stream().mapToInt(Entry::holders).sum();
  }
}
