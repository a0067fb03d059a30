package decimerbeam.worker;

import decimerbeam.inference.InferenceCapacity;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.inference.WorkingMemory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's admission of inferences in its worker JVM, shared by every DoFn instance and thread
 * of the job ({@link SharedGates}). An image is
 * admitted when a slot is free (the count from {@link InferenceCapacity}), its estimated
 * working memory fits what the running ones leave of the heap and native budgets, and the
 * {@link MemoryWatchdog} sees room under the high-water mark; images are admitted in arrival
 * order, so a huge one waits for room instead of overcommitting or starving. The call runs on
 * the gate's own threads so it can be timed out: a timed-out call is interrupted (the engine
 * also carries the deadline into TensorFlow) and its memory comes back when it really ends, so
 * {@link #drain} can wait for everything still running. {@link #close} stops the watchdog and
 * the gate's threads: a gate ends with its job.
 */
public final class InferenceGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceGate.class);

  private final InferenceCapacity capacity;
  private final MemoryWatchdog watchdog;
  private final ExecutorService workers;
  /** The pool's threads (some may have ended), so {@link #close} can see them end. */
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int running;
  private long heapInUse;
  private long nativeInUse;
  // Bytes admitted since the last memory reading, and in the window before it: a call admitted
  // just before a reading may not have allocated yet, so both count on top of the reading.
  private long admittedSinceSample;
  private long admittedWindowBefore;
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong heldByWatchdog = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong peakHeapInUse = new AtomicLong();

  InferenceGate(InferenceCapacity capacity) {
    this(capacity, null);
  }

  /** A gate whose admissions also wait for {@code watchdog} (null: none). */
  InferenceGate(InferenceCapacity capacity, MemoryWatchdog watchdog) {
    this.capacity = capacity;
    this.watchdog = watchdog;
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "decimer-inference-" + n.incrementAndGet());
      t.setDaemon(true);
      threads.removeIf(old -> !old.isAlive()); // idle threads end after a minute
      threads.add(t);
      return t;
    });
    if (watchdog != null) {
      watchdog.start(this::memorySampled);
    }
  }

  public InferenceCapacity capacity() {
    return capacity;
  }

  /** Calls in progress, including those whose caller timed out and that are still ending. */
  public synchronized int running() {
    return running;
  }

  /** Estimated heap of the calls in progress. */
  synchronized long heapInUse() {
    return heapInUse;
  }

  /** Estimated native memory of the calls in progress. */
  synchronized long nativeInUse() {
    return nativeInUse;
  }

  long admitted() {
    return admitted.get();
  }

  /** Admissions that waited because the watchdog saw no room. */
  long heldByWatchdog() {
    return heldByWatchdog.get();
  }

  /** Calls interrupted because their caller's time was up. */
  long cancelled() {
    return cancelled.get();
  }

  long peakHeapInUse() {
    return peakHeapInUse.get();
  }

  /**
   * Runs {@code call} once {@code need} is admitted, waiting at most {@code timeout} for
   * admission and then at most {@code timeout} for the call; all of {@code need} comes back when
   * the call ends. A call that returned before its caller gave up (its time up, or its thread
   * interrupted) is the result, even at the bound; an interrupted caller that takes it stays
   * interrupted.
   *
   * @throws RecognitionException TOO_LARGE: {@code need} exceeds a whole budget and could
   *     never run; TIMEOUT: no room came within {@code timeout}
   * @throws TimeoutException the call had not returned in time; it was interrupted, and gives
   *     its memory back when it ends
   * @throws ExecutionException the call threw; its cause is the call's exception
   */
  public <T> T call(WorkingMemory need, Callable<T> call, Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException, RecognitionException {
    // One path for admission, timeout and handover: the plain call keeps nothing.
    Kept<T> kept = callKeeping(need, WorkingMemory.NONE, call, timeout);
    kept.hold().close();
    return kept.value();
  }

  /**
   * Memory the gate admitted that stays counted after its call gave back its slot; {@link
   * #close} gives it back (once, from any thread).
   */
  final class Hold implements AutoCloseable {
    private final WorkingMemory memory;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Hold(WorkingMemory memory) {
      this.memory = memory;
    }

    WorkingMemory memory() {
      return memory;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        releaseMemory(memory);
      }
    }
  }

  /** A call's value and the memory it kept past its slot (closed by the receiver). */
  public record Kept<T>(T value, Hold hold) {}

  private enum Handover { WAITING, TAKEN, ABANDONED }

  /**
   * As {@link #call}, but a call that returns gives back its slot and all of {@code need} except
   * {@code keep}, which stays counted against the budgets until the returned hold is closed: the
   * image's next step (its second reading) keeps memory in the budget without keeping a slot
   * another image could use. A call that throws, or whose caller gave up, gives back everything.
   * A call that returned before its caller gave up (its time up, or its thread interrupted) is
   * its caller's value, even at the bound; an interrupted caller that takes it stays interrupted.
   */
  public <T> Kept<T> callKeeping(WorkingMemory need, WorkingMemory keep, Callable<T> call,
      Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException, RecognitionException {
    if (keep.heapBytes() > need.heapBytes() || keep.nativeBytes() > need.nativeBytes()) {
      throw new IllegalArgumentException("keeps " + keep.describe() + " of " + need.describe());
    }
    refuseWhatNeverFits(need);
    admit(need, timeout);
    AtomicBoolean started = new AtomicBoolean();
    AtomicReference<Handover> handover = new AtomicReference<>(Handover.WAITING);
    Future<Kept<T>> f;
    try {
      f = workers.submit(() -> {
        if (!started.compareAndSet(false, true)) {
          return null; // cancelled before it began: the canceller gave the memory back
        }
        T value;
        try {
          value = call.call();
        } catch (Throwable t) {
          release(need);
          throw t;
        }
        // Handed over as soon as it returns: the gate counting the end cannot make it late.
        boolean taken = handover.compareAndSet(Handover.WAITING, Handover.TAKEN);
        Hold hold = keepOnly(need, keep);
        if (!taken) {
          hold.close(); // the caller gave up: nobody will close it
        }
        return new Kept<>(value, hold);
      });
    } catch (RuntimeException e) {
      release(need);
      throw e;
    }
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | InterruptedException e) {
      if (handover.compareAndSet(Handover.WAITING, Handover.ABANDONED)) {
        stop(f, started, need);
        throw e;
      }
      // It returned at the bound, before its caller gave up: take the value (and the hold) once
      // the gate has counted its end.
      boolean interrupted = e instanceof InterruptedException;
      try {
        while (true) {
          try {
            return f.get();
          } catch (InterruptedException again) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } catch (CancellationException e) {
      throw new TimeoutException("cancelled");
    }
  }

  /** A call ended: its slot and all but {@code keep} of its memory come back. */
  private synchronized Hold keepOnly(WorkingMemory need, WorkingMemory keep) {
    running--;
    heapInUse -= need.heapBytes() - keep.heapBytes();
    nativeInUse -= need.nativeBytes() - keep.nativeBytes();
    notifyAll();
    return new Hold(keep);
  }

  private synchronized void releaseMemory(WorkingMemory held) {
    heapInUse -= held.heapBytes();
    nativeInUse -= held.nativeBytes();
    notifyAll();
  }

  private void stop(Future<?> f, AtomicBoolean started, WorkingMemory need) {
    cancelled.incrementAndGet();
    f.cancel(true);
    if (started.compareAndSet(false, true)) {
      release(need);
    }
  }

  private void refuseWhatNeverFits(WorkingMemory need) throws RecognitionException {
    if (need.heapBytes() > capacity.heapBudgetBytes()
        || need.nativeBytes() > capacity.nativeBudgetBytes()) {
      throw new RecognitionException(Kind.TOO_LARGE, "needs about " + need.describe()
          + " to recognise; the inferences of this worker may hold at most "
          + new WorkingMemory(capacity.heapBudgetBytes(), capacity.nativeBudgetBytes())
              .describe() + " (--memoryFraction, --workersPerHost, -Xmx)");
    }
  }

  private synchronized void admit(WorkingMemory need, Duration timeout)
      throws InterruptedException, RecognitionException {
    Object me = new Object();
    queue.addLast(me);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean counted = false;
    try {
      while (queue.peekFirst() != me || !fits(need)) {
        if (!counted && queue.peekFirst() == me && fitsBudgets(need)) {
          heldByWatchdog.incrementAndGet();
          counted = true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          long ms = timeout.toMillis();
          // Room may come once fewer images compete: worth another try later.
          throw RecognitionException.mayPass(Kind.TIMEOUT, "waited "
              + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
              + " (--imageTimeout) for room to run: needs about " + need.describe() + "; "
              + running + " running hold " + new WorkingMemory(heapInUse, nativeInUse)
                  .describe() + (watchdog == null ? "" : ", worker memory "
                  + WorkingMemory.mib(watchdog.lastBytes()) + " of high-water "
                  + WorkingMemory.mib(watchdog.highWaterBytes())), null);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      running++;
      heapInUse += need.heapBytes();
      nativeInUse += need.nativeBytes();
      admittedSinceSample += need.totalBytes();
      admitted.incrementAndGet();
      peakHeapInUse.accumulateAndGet(heapInUse, Math::max);
    } finally {
      queue.remove(me);
      notifyAll();
    }
  }

  private boolean fitsBudgets(WorkingMemory need) {
    return running < capacity.permits()
        && heapInUse + need.heapBytes() <= capacity.heapBudgetBytes()
        && nativeInUse + need.nativeBytes() <= capacity.nativeBudgetBytes();
  }

  /** With nothing running, waiting cannot make room: one image always may run. */
  private boolean fits(WorkingMemory need) {
    return fitsBudgets(need) && (running == 0 || watchdog == null
        || watchdog.hasRoomFor(admittedSinceSample + admittedWindowBefore + need.totalBytes()));
  }

  private synchronized void release(WorkingMemory need) {
    running--;
    heapInUse -= need.heapBytes();
    nativeInUse -= need.nativeBytes();
    notifyAll();
  }

  /** A new reading includes what was admitted one window before it. */
  private synchronized void memorySampled() {
    admittedWindowBefore = admittedSinceSample;
    admittedSinceSample = 0;
    notifyAll();
  }

  /** Waits until no call runs; false when {@code timeout} passed first. */
  public synchronized boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** The memory watchdog of this gate (null: none). */
  MemoryWatchdog watchdog() {
    return watchdog;
  }

  /**
   * Stops the watchdog, takes no more calls and, when none runs, waits up to {@code wait} for
   * the gate's idle threads to end. A call that outlived {@link #drain} keeps its thread until it
   * ends; nothing waits for it here.
   */
  void close(Duration wait) throws InterruptedException {
    if (watchdog != null) {
      watchdog.close();
    }
    workers.shutdown();
    int stillRunning = running();
    if (stillRunning > 0) {
      LOG.warn("Inference gate closed with {} call(s) still running; each thread ends with its"
          + " call", stillRunning);
      return;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    for (Thread t : Set.copyOf(threads)) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(t, left);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(10));
  }
}
