package decimerbeam.worker;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what this worker JVM really uses, about once a second, because estimates miss things
 * (other transforms, garbage, native leaks, other processes on the host). Above the high-water
 * mark it holds new inferences (the gate asks {@link #hasRoomFor}); near the budget it logs and
 * exits the JVM, so the runner restarts the work instead of the kernel killing the process
 * mid-write.
 *
 * <p>A watchdog belongs to the job whose gate started it: {@link #close} ends its thread, and
 * a closed watchdog never exits, so a job that is over cannot take down a TaskManager that
 * now runs another.
 */
final class MemoryWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryWatchdog.class);
  /** Exit status of a JVM the watchdog stopped. */
  static final int EXIT_STATUS = 75;
  private static final long GC_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
  /** How long {@link #close} waits for a reading under way (a collection at most). */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final long budgetBytes;
  private final long highWaterBytes;
  private final long exitBytes;
  private final LongSupplier usage;
  private final LongSupplier hostAvailable;
  private final Runnable exit;
  private final Thread sampler;
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private volatile long lastBytes;
  /** Set once, by {@link #close} or by the exit itself: whoever sets it decides. */
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Runnable onSample = () -> { };
  private long lastGcNanos = System.nanoTime() - GC_EVERY_NANOS;

  /**
   * @param budgetBytes what this JVM may use in all (its share of the host)
   * @param highWater share of the budget above which no new inference starts
   * @param exitAt share of the budget at which the JVM exits
   * @param usage bytes in use now
   * @param hostAvailable bytes the host can still give (-1 unknown); under what is left to the
   *     high-water mark, the host is the tighter limit
   * @param exit what exiting means (the JVM's exit in production)
   */
  MemoryWatchdog(long budgetBytes, double highWater, double exitAt, Duration period,
      LongSupplier usage, LongSupplier hostAvailable, Runnable exit) {
    if (!(highWater > 0 && highWater <= exitAt && exitAt <= 1)) {
      throw new IllegalArgumentException("need 0 < high water (" + highWater + ") <= exit ("
          + exitAt + ") <= 1");
    }
    this.budgetBytes = budgetBytes;
    this.highWaterBytes = (long) (budgetBytes * highWater);
    this.exitBytes = (long) (budgetBytes * exitAt);
    this.usage = usage;
    this.hostAvailable = hostAvailable;
    this.exit = exit;
    this.lastBytes = usage.getAsLong();
    this.sampler = new Thread(() -> run(period), "decimer-memory-watchdog");
    sampler.setDaemon(true);
  }

  /** The production watchdog: this process's memory against its share, exiting the JVM. */
  static MemoryWatchdog forThisJvm(long budgetBytes, double highWater, double exitAt) {
    return new MemoryWatchdog(budgetBytes, highWater, exitAt, Duration.ofSeconds(1),
        () -> WorkerMemory.now().usedBytes(), () -> WorkerMemory.now().availableBytes(),
        () -> System.exit(EXIT_STATUS));
  }

  /** Starts sampling; {@code onSample} runs after each reading (the gate re-checks waiters). */
  MemoryWatchdog start(Runnable onSample) {
    this.onSample = onSample;
    if (!stopped.get()) {
      sampler.start();
    }
    return this;
  }

  private void run(Duration period) {
    while (!stopped.get()) {
      try {
        Thread.sleep(period.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  void sample() {
    if (stopped.get()) {
      return;
    }
    long used = usage.getAsLong();
    long available = hostAvailable.getAsLong();
    if (available >= 0 && used + available < highWaterBytes) {
      // The host has less left than our own budget says: count what it lacks as used.
      used = highWaterBytes - available;
    }
    lastBytes = used;
    samples.incrementAndGet();
    peakBytes.accumulateAndGet(used, Math::max);
    if (used >= exitBytes) {
      if (!stopped.compareAndSet(false, true)) {
        return; // closed meanwhile: its job is over, and the JVM is no longer its to end
      }
      LOG.error("Worker memory {} is past {} % of its budget {}: exiting (status {}) before the"
          + " system kills it; rows already staged are kept and a rerun resumes", mib(used),
          Math.round(100.0 * exitBytes / budgetBytes), mib(budgetBytes), EXIT_STATUS);
      exit.run();
      return;
    }
    if (used > highWaterBytes && System.nanoTime() - lastGcNanos >= GC_EVERY_NANOS) {
      // Heap in use counts garbage until a collection: ask for one before holding for long.
      lastGcNanos = System.nanoTime();
      LOG.info("Worker memory {} is above the high-water mark {}: holding new inferences",
          mib(used), mib(highWaterBytes));
      System.gc();
    }
    onSample.run();
  }

  /**
   * Whether {@code moreBytes} (admitted since the last reading, plus the candidate) fit under
   * the high-water mark on top of the last reading.
   */
  boolean hasRoomFor(long moreBytes) {
    return lastBytes + moreBytes <= highWaterBytes;
  }

  long highWaterBytes() {
    return highWaterBytes;
  }

  long lastBytes() {
    return lastBytes;
  }

  long peakBytes() {
    return peakBytes.get();
  }

  long samples() {
    return samples.get();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
  }

  /** Whether this watchdog can no longer exit the JVM (closed, or it has exited). */
  boolean stopped() {
    return stopped.get();
  }

  /** Stops sampling for good and waits for the thread to end; never exits after this. */
  @Override
  public void close() {
    stopped.set(true);
    sampler.interrupt();
    if (sampler.isAlive() && Thread.currentThread() != sampler) {
      try {
        sampler.join(CLOSE_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
