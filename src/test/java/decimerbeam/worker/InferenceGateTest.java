package decimerbeam.worker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import decimerbeam.inference.InferenceCapacity;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.inference.WorkingMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The gate's admission by count and bytes, timeouts and drain, with plain calls. */
class InferenceGateTest {

  private static final long MIB = 1 << 20;

  /** 24,000 MiB RAM x 0.75, 1,000 MiB heap: 750 MiB of heap for inferences. */
  private static InferenceGate gateOf(int permits) {
    return new InferenceGate(InferenceCapacity.compute(24_000, 0.75, 1_000, 2, permits));
  }

  private static WorkingMemory heapMib(long mib) {
    return new WorkingMemory(mib * MIB, 0);
  }

  private static List<Object> runAll(InferenceGate gate, List<WorkingMemory> needs,
      List<Callable<Object>> calls) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(needs.size());
    List<Future<Object>> results = new ArrayList<>();
    for (int i = 0; i < needs.size(); i++) {
      WorkingMemory need = needs.get(i);
      Callable<Object> call = calls.get(i);
      results.add(callers.submit(() -> gate.call(need, call, Duration.ofSeconds(30))));
    }
    List<Object> out = new ArrayList<>();
    for (Future<Object> f : results) {
      out.add(f.get());
    }
    callers.shutdown();
    return out;
  }

  @Test
  void neverRunsMoreCallsThanPermits() throws Exception {
    InferenceGate gate = gateOf(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    List<WorkingMemory> needs = new ArrayList<>();
    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      needs.add(WorkingMemory.NONE);
      calls.add(() -> {
        max.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.sleep(150);
        running.decrementAndGet();
        return n;
      });
    }
    assertThat(runAll(gate, needs, calls), equalTo(List.of(0, 1, 2, 3, 4, 5)));
    assertThat(max.get(), equalTo(2));
    assertThat(gate.running(), equalTo(0));
  }

  @Test
  void aHugeImageWaitsForRoomAndTheHeapBudgetIsNeverOvercommitted() throws Exception {
    // Eight slots, 750 MiB: seven 100 MiB images and one of 700 MiB cannot all run at once.
    InferenceGate gate = gateOf(8);
    AtomicLong held = new AtomicLong();
    AtomicLong peak = new AtomicLong();
    List<WorkingMemory> needs = new ArrayList<>();
    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      long mib = i == 3 ? 700 : 100;
      needs.add(heapMib(mib));
      calls.add(() -> {
        peak.accumulateAndGet(held.addAndGet(mib), Math::max);
        Thread.sleep(100);
        held.addAndGet(-mib);
        return mib;
      });
    }
    List<Object> done = runAll(gate, needs, calls);
    assertThat(done.get(3), equalTo(700L));
    assertThat(peak.get(), lessThanOrEqualTo(750L));
    assertThat(gate.peakHeapInUse(), lessThanOrEqualTo(750 * MIB));
    assertThat(gate.heapInUse(), equalTo(0L));
  }

  @Test
  void anImageThatCouldNeverFitIsTooLargeWithTheNumbers() {
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> gateOf(4).call(heapMib(800), () -> "never", Duration.ofSeconds(1)));
    assertThat(e.kind(), equalTo(Kind.TOO_LARGE));
    assertThat(e.getMessage(), containsString("800 MiB heap"));
    assertThat(e.getMessage(), containsString("at most 750 MiB heap"));
  }

  @Test
  void waitingForRoomIsBoundedByTheTimeout() throws Exception {
    InferenceGate gate = gateOf(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService first = Executors.newSingleThreadExecutor();
    Future<Object> occupying = first.submit(() -> gate.call(WorkingMemory.NONE, () -> {
      release.await();
      return "first";
    }, Duration.ofSeconds(30)));
    while (gate.running() == 0) {
      Thread.sleep(5);
    }
    RecognitionException e = assertThrows(RecognitionException.class,
        () -> gate.call(heapMib(10), () -> "second", Duration.ofMillis(200)));
    assertThat(e.kind(), equalTo(Kind.TIMEOUT));
    assertThat(e.getMessage(), containsString("for room to run"));
    assertThat("no room in time says nothing about the image: it may pass on another try",
        e.mayPass(), equalTo(true));
    release.countDown();
    assertThat(occupying.get(), equalTo("first"));
    first.shutdown();
    assertThat(gate.call(heapMib(10), () -> "next", Duration.ofSeconds(1)), equalTo("next"));
  }

  @Test
  void aTimedOutCallIsInterruptedAndItsSlotIsFreeAtOnce() throws Exception {
    InferenceGate gate = gateOf(1);
    assertThrows(TimeoutException.class, () -> gate.call(heapMib(50), () -> {
      Thread.sleep(60_000);
      return "late";
    }, Duration.ofMillis(100)));
    assertThat("the interrupted call gave its slot back", gate.drain(Duration.ofSeconds(1)),
        equalTo(true));
    assertThat(gate.heapInUse(), equalTo(0L));
    assertThat(gate.cancelled(), equalTo(1L));
  }

  @Test
  void aTimedOutCallDeafToInterruptsKeepsItsSlotUntilItEndsThenDrainReturns()
      throws Exception {
    InferenceGate gate = gateOf(1);
    CountDownLatch release = new CountDownLatch(1);
    assertThrows(TimeoutException.class, () -> gate.call(WorkingMemory.NONE, () -> {
      while (true) {
        try {
          release.await();
          return "late";
        } catch (InterruptedException e) {
          // like a native call: the interrupt does not reach it
        }
      }
    }, Duration.ofMillis(100)));
    assertThat(gate.running(), equalTo(1));
    assertThat("no drain while the call deaf to interrupts runs",
        gate.drain(Duration.ofMillis(100)), equalTo(false));
    release.countDown();
    assertThat("the released call ended and gave its slot back, not hung",
        gate.drain(Duration.ofSeconds(5)), equalTo(true));
    assertThat(gate.running(), equalTo(0));
    assertThat(gate.call(WorkingMemory.NONE, () -> "next", Duration.ofSeconds(1)),
        equalTo("next"));
  }

  @Test
  void aFailedCallGivesItsExceptionAndItsPermitBack() throws Exception {
    InferenceGate gate = gateOf(1);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> gate.call(WorkingMemory.NONE, () -> {
          throw new IllegalStateException("boom");
        }, Duration.ofSeconds(1)));
    assertThat(e.getCause(), instanceOf(IllegalStateException.class));
    assertThat(gate.running(), equalTo(0));
    assertThat("the failed call gave its slot back", gate.drain(Duration.ofMillis(100)),
        equalTo(true));
  }

  /** What a caller got (its value or what it threw) and whether it was left interrupted. */
  private record Outcome(Object got, boolean interrupted) {}

  /**
   * Runs {@code request} on a caller thread whose call returns while this thread holds the gate's
   * monitor, so the gate cannot yet count the call's end; the caller is then interrupted, and the
   * monitor let go once the caller has given up or waits, untimed, for the value. An interrupt
   * and the caller's time running out end its wait the same way; an interrupt can be placed
   * exactly between the call's return and the gate's bookkeeping.
   */
  private static Outcome interruptedAfterTheCallReturned(InferenceGate gate,
      Function<Callable<String>, Callable<?>> request) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch gateHeld = new CountDownLatch(1);
    AtomicReference<Thread> worker = new AtomicReference<>();
    Callable<String> call = () -> {
      worker.set(Thread.currentThread());
      running.countDown();
      awaitUninterruptibly(gateHeld);
      return "arrived";
    };
    AtomicReference<Outcome> outcome = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      Object got;
      try {
        got = request.apply(call).call();
      } catch (Exception e) {
        got = e;
      }
      outcome.set(new Outcome(got, Thread.currentThread().isInterrupted()));
    }, "gate-caller");
    caller.start();
    running.await();
    synchronized (gate) {
      gateHeld.countDown();
      while (!blockedOn(worker.get(), gate)) {
        Thread.sleep(5);
      }
      caller.interrupt();
      while (caller.getState() != Thread.State.WAITING
          && caller.getState() != Thread.State.TERMINATED) {
        Thread.sleep(5);
      }
    }
    caller.join();
    return outcome.get();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@code t} waits to enter code synchronized on {@code monitor}. */
  private static boolean blockedOn(Thread t, Object monitor) {
    ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
    return info != null && info.getThreadState() == Thread.State.BLOCKED
        && info.getLockInfo() != null
        && info.getLockInfo().getIdentityHashCode() == System.identityHashCode(monitor);
  }

  /**
   * A call that returned before its caller gave up is the caller's result, with the caller's
   * interrupt kept for it to see; nothing was cancelled and the call's memory came back.
   */
  @Test
  void aValueThatArrivedBeforeTheCallerGaveUpIsTheResult() throws Exception {
    InferenceGate gate = gateOf(1);
    Outcome o = interruptedAfterTheCallReturned(gate,
        call -> () -> gate.call(heapMib(50), call, Duration.ofMinutes(10)));
    assertThat(o.got(), equalTo("arrived"));
    assertThat("the caller's interrupt is kept", o.interrupted(), equalTo(true));
    assertThat(gate.cancelled(), equalTo(0L));
    assertThat(gate.running(), equalTo(0));
    assertThat(gate.heapInUse(), equalTo(0L));
  }

  /**
   * A call that returned before its caller gave up is the caller's result with its hold, and the
   * caller's interrupt is kept for it to see; nothing was cancelled, and only the kept memory
   * stays counted.
   */
  @Test
  void aKeepingCallsValueThatArrivedBeforeTheCallerGaveUpIsTheResultWithItsHold()
      throws Exception {
    InferenceGate gate = gateOf(1);
    Outcome o = interruptedAfterTheCallReturned(gate,
        call -> () -> gate.callKeeping(heapMib(100), heapMib(40), call, Duration.ofMinutes(10)));
    assertThat(o.got(), instanceOf(InferenceGate.Kept.class));
    InferenceGate.Kept<?> kept = (InferenceGate.Kept<?>) o.got();
    assertThat(kept.value(), equalTo("arrived"));
    assertThat("the caller's interrupt is kept", o.interrupted(), equalTo(true));
    assertThat(gate.cancelled(), equalTo(0L));
    assertThat(gate.running(), equalTo(0));
    assertThat("kept until the hold is closed", gate.heapInUse(), equalTo(40 * MIB));
    kept.hold().close();
    assertThat(gate.heapInUse(), equalTo(0L));
  }

  /**
   * Memory the estimates do not see: each call holds 40 MiB yet the budgets would let eight
   * run (320 MiB). The watchdog's readings hold admissions at the 100 MiB high-water mark, never
   * more than one image above it, and every call still finishes.
   */
  @Test
  void theWatchdogHoldsAdmissionsAtTheHighWaterMark() throws Exception {
    AtomicLong used = new AtomicLong();
    AtomicLong peak = new AtomicLong();
    MemoryWatchdog watchdog = new MemoryWatchdog(200 * MIB, 0.5, 1.0, Duration.ofMillis(20),
        used::get, () -> -1, () -> {
          throw new AssertionError("the watchdog must not exit here");
        });
    InferenceGate gate = new InferenceGate(
        InferenceCapacity.compute(24_000, 0.75, 1_000, 8, 8), watchdog);
    List<WorkingMemory> needs = new ArrayList<>();
    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      needs.add(heapMib(40));
      calls.add(() -> {
        peak.accumulateAndGet(used.addAndGet(40 * MIB), Math::max);
        Thread.sleep(60);
        used.addAndGet(-40 * MIB);
        return "done";
      });
    }
    List<Object> done = runAll(gate, needs, calls);
    watchdog.close();
    assertThat(done.size(), equalTo(24));
    assertThat(gate.heldByWatchdog(), greaterThan(0L));
    assertThat(peak.get(), lessThanOrEqualTo(watchdog.highWaterBytes() + 40 * MIB));
  }

  @Test
  void theWatchdogExitsNearTheBudget() {
    AtomicLong used = new AtomicLong(100 * MIB);
    AtomicInteger exits = new AtomicInteger();
    MemoryWatchdog watchdog = new MemoryWatchdog(200 * MIB, 0.75, 0.95, Duration.ofSeconds(1),
        used::get, () -> -1, exits::incrementAndGet);
    watchdog.sample();
    assertThat(exits.get(), equalTo(0));
    used.set(191 * MIB);
    watchdog.sample();
    assertThat(exits.get(), equalTo(1));
  }

  /** A job that is over must not end the TaskManager that now runs another. */
  @Test
  void aClosedWatchdogNeverExits() {
    AtomicInteger exits = new AtomicInteger();
    MemoryWatchdog watchdog = new MemoryWatchdog(200 * MIB, 0.75, 0.95, Duration.ofSeconds(1),
        () -> 199 * MIB, () -> -1, exits::incrementAndGet);
    watchdog.close();
    watchdog.sample();
    assertThat("exits of a closed watchdog past its exit mark", exits.get(), equalTo(0));
    assertThat(watchdog.stopped(), equalTo(true));
  }

  /** The gate's threads and its watchdog's end with it: nothing is left for the next job. */
  @Test
  void closingAGateEndsItsWatchdogAndItsThreads() throws Exception {
    Set<Thread> before = liveThreads();
    MemoryWatchdog watchdog = new MemoryWatchdog(200 * MIB, 0.75, 0.95, Duration.ofMillis(20),
        () -> 10 * MIB, () -> -1, () -> {
          throw new AssertionError("the watchdog must not exit here");
        });
    InferenceGate gate = new InferenceGate(
        InferenceCapacity.compute(24_000, 0.75, 1_000, 2, 4), watchdog);
    List<WorkingMemory> needs = new ArrayList<>();
    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      needs.add(heapMib(1));
      calls.add(() -> {
        Thread.sleep(30);
        return "done";
      });
    }
    assertThat(runAll(gate, needs, calls).size(), equalTo(8));
    Set<Thread> started = liveThreads();
    started.removeAll(before);
    assertThat("the gate's threads while it is open",
        started.stream().anyMatch(t -> t.getName().equals("decimer-memory-watchdog")),
        equalTo(true));

    gate.close();
    Set<Thread> left = liveThreads();
    left.removeAll(before);
    assertThat("threads of the closed gate still alive",
        left.stream().map(Thread::getName).filter(n -> n.startsWith("decimer-")).toList(),
        equalTo(List.of()));
    assertThat(watchdog.stopped(), equalTo(true));
  }

  private static Set<Thread> liveThreads() {
    Set<Thread> live = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()) {
        live.add(t);
      }
    }
    return live;
  }

  @Test
  void theWatchdogCountsWhatTheHostLacksAsUsed() {
    // 50 MiB used of a 150 MiB high-water mark, but the host has only 20 MiB left.
    MemoryWatchdog watchdog = new MemoryWatchdog(200 * MIB, 0.75, 0.95, Duration.ofSeconds(1),
        () -> 50 * MIB, () -> 20 * MIB, () -> { });
    watchdog.sample();
    assertThat("no room for 30 MiB where the host has 20 MiB left", watchdog.hasRoomFor(30 * MIB),
        equalTo(false));
    assertThat("room for 10 MiB where the host has 20 MiB left", watchdog.hasRoomFor(10 * MIB),
        equalTo(true));
  }

  @Test
  void theWorkersMemoryReadingIsPlausible() {
    WorkerMemory m = WorkerMemory.now();
    assertThat(m.usedBytes(), greaterThan(m.heapUsedBytes() / 2));
    assertThat(m.heapCommittedBytes(), greaterThan(0L));
    assertThat(m.availableBytes(), greaterThan(0L));
  }
}
