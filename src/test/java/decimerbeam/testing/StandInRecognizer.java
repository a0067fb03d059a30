package decimerbeam.testing;

import decimerbeam.inference.Recognition;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.Recognizer;
import decimerbeam.inference.WorkingMemory;
import decimerbeam.worker.RecognizerFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recognizer for testing the pipeline's mechanics without the model: each "image" tells it
 * what to do, as UTF-8 text of {@code ;}-separated instructions (see {@link #image}):
 *
 * <ul>
 *   <li>{@code smiles=CCO}: the answer (default {@value #DEFAULT_SMILES});
 *   <li>{@code confidence=0.99}: every token's confidence (default 0.9 and 0.8);
 *   <li>{@code truncated}: decoding stopped at the step limit;
 *   <li>{@code sleepMs=N}: take N ms first (a hang is a sleep past the image timeout); an
 *       interrupt ends it, as a deadline ends a TensorFlow call;
 *   <li>{@code busyMs=N}: take N ms, deaf to interrupts (a call stuck where nothing reaches);
 *   <li>{@code allocMb=N}: hold N MiB of heap while answering, and say so in
 *       {@link #workingMemory} (an estimate of {@code estimateMb=N} instead, where given);
 *   <li>{@code freeCalls=N}: the first N calls in this JVM skip the waits that follow;
 *   <li>{@code maxWaitMs=N}: the waits that follow give up after N ms;
 *   <li>{@code waitFor=/path}: block until that file exists;
 *   <li>{@code fail=KIND}: throw a {@link RecognitionException} of that kind;
 *   <li>{@code failFirst=N}: the first N calls so told in this JVM throw a MODEL_ERROR that may
 *       pass, as a refusal of native memory does;
 *   <li>{@code throw=text}: throw an unexpected RuntimeException;
 *   <li>{@code outOfHeap}: throw an OutOfMemoryError as the JVM does when its heap is spent;
 *   <li>{@code log=/path}: once answered, append "SMILES TAB epoch-millis" as a line to that
 *       file (to count and time recognitions across JVMs).
 * </ul>
 *
 * Bytes that are no such text (a real image) get the default answer. It lives in the test code
 * only: no option of the pipeline can select it.
 */
public final class StandInRecognizer implements Recognizer {

  public static final String DEFAULT_SMILES = "C";
  public static final String MODEL_ID = "stand-in";

  /** What one stand-in has seen in this JVM, for assertions. */
  public static final class Stats {
    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger maxRunning = new AtomicInteger();
    public final AtomicInteger creating = new AtomicInteger();
    public final AtomicInteger created = new AtomicInteger();
    public final AtomicInteger closed = new AtomicInteger();
    public final AtomicInteger closedWhileRunning = new AtomicInteger();
    public final AtomicLong heldBytes = new AtomicLong();
    public final AtomicLong peakHeldBytes = new AtomicLong();
    public final AtomicInteger failFirstSeen = new AtomicInteger();
  }

  private static final Map<String, Stats> STATS = new ConcurrentHashMap<>();

  private final Stats stats;

  private StandInRecognizer(String name) {
    this.stats = stats(name);
    stats.created.incrementAndGet();
  }

  /** The counters of the stand-ins created under {@code name} in this JVM. */
  public static Stats stats(String name) {
    return STATS.computeIfAbsent(name, n -> new Stats());
  }

  /** A factory whose recognizers share the counters of {@code name}. */
  public static RecognizerFactory factory(String name) {
    return new Factory(name, "stand-in", "");
  }

  /** As {@link #factory(String)}, answering as another model as far as reusing rows goes. */
  public static RecognizerFactory factory(String name, String identity) {
    return new Factory(name, identity, "");
  }

  /**
   * As {@link #factory(String)}, but creating the recognizer waits until {@code ready} exists,
   * as a worker waits while the model is downloaded and prepared ({@link Stats#creating} counts
   * the creations begun).
   */
  public static RecognizerFactory factoryReadyWhen(String name, Path ready) {
    return new Factory(name, "stand-in", ready.toString());
  }

  /** The bytes of an "image" with these instructions, e.g. {@code image("sleepMs=50", "smiles=O")}. */
  public static byte[] image(String... instructions) {
    return String.join(";", instructions).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A real picture with instructions after its end: image readers (thumbnails) stop where the
   * picture ends, the stand-in reads the instructions (the picture's bytes before the first
   * {@code ;} are noise to it).
   */
  public static byte[] picture(byte[] picture, String... instructions) {
    byte[] text = (";" + String.join(";", instructions)).getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(picture, picture.length + text.length);
    System.arraycopy(text, 0, out, picture.length, text.length);
    return out;
  }

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  /** {@code allocMb} (or {@code estimateMb}) as heap; nothing for other images. */
  @Override
  public WorkingMemory workingMemory(byte[] image) {
    long mb = 0;
    for (String instruction : new String(image, StandardCharsets.UTF_8).split(";")) {
      if (instruction.startsWith("allocMb=") && mb == 0) {
        mb = Long.parseLong(instruction.substring(8).strip());
      } else if (instruction.startsWith("estimateMb=")) {
        mb = Long.parseLong(instruction.substring(11).strip());
      }
    }
    return new WorkingMemory(mb << 20, 0);
  }

  @Override
  public Recognition recognize(byte[] image) throws RecognitionException {
    stats.calls.incrementAndGet();
    int call = stats.calls.get();
    int now = stats.running.incrementAndGet();
    stats.maxRunning.accumulateAndGet(now, Math::max);
    byte[] held = null;
    try {
      String smiles = DEFAULT_SMILES;
      float[] confidences = {0.9f, 0.8f};
      boolean truncated = false;
      String log = null;
      boolean free = false;
      long maxWaitMs = Long.MAX_VALUE;
      for (String instruction : new String(image, StandardCharsets.UTF_8).split(";")) {
        int eq = instruction.indexOf('=');
        String key = eq < 0 ? instruction.strip() : instruction.substring(0, eq).strip();
        String value = eq < 0 ? "" : instruction.substring(eq + 1).strip();
        switch (key) {
          case "smiles" -> smiles = value;
          case "confidence" -> confidences = new float[] {Float.parseFloat(value),
              Float.parseFloat(value)};
          case "truncated" -> truncated = true;
          case "sleepMs" -> Thread.sleep(Long.parseLong(value));
          case "busyMs" -> busy(Long.parseLong(value));
          case "allocMb" -> {
            held = new byte[Math.toIntExact(Long.parseLong(value) << 20)];
            for (int i = 0; i < held.length; i += 4096) {
              held[i] = 1; // touched, so the pages are really used
            }
            long now2 = stats.heldBytes.addAndGet(held.length);
            stats.peakHeldBytes.accumulateAndGet(now2, Math::max);
          }
          case "freeCalls" -> free = call <= Integer.parseInt(value);
          case "maxWaitMs" -> maxWaitMs = Long.parseLong(value);
          case "waitFor" -> {
            long t0 = System.nanoTime();
            while (!free && !Files.exists(Path.of(value))
                && (System.nanoTime() - t0) / 1_000_000 < maxWaitMs) {
              Thread.sleep(50);
            }
          }
          case "fail" -> throw new RecognitionException(RecognitionException.Kind.valueOf(value),
              "stand-in told to fail with " + value);
          case "throw" -> throw new IllegalStateException(value);
          case "failFirst" -> {
            if (stats.failFirstSeen.incrementAndGet() <= Integer.parseInt(value)) {
              throw RecognitionException.mayPass(RecognitionException.Kind.MODEL_ERROR,
                  "native memory refused (stand-in)", null);
            }
          }
          case "outOfHeap" -> throw new OutOfMemoryError("Java heap space");
          case "log" -> log = value;
          default -> { } // not an instruction: real image bytes, or noise
        }
      }
      if (log != null) {
        Files.writeString(Path.of(log), smiles + "\t" + System.currentTimeMillis() + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      return new Recognition(smiles, confidences, truncated, 0, 1);
    } catch (IOException e) {
      throw new RecognitionException(RecognitionException.Kind.MODEL_ERROR, e.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecognitionException(RecognitionException.Kind.MODEL_ERROR, "interrupted", e);
    } finally {
      if (held != null) {
        stats.heldBytes.addAndGet(-held.length);
      }
      stats.running.decrementAndGet();
    }
  }

  /** Waits {@code ms} whatever interrupts come, then keeps the interrupt for the caller. */
  private static void busy(long ms) {
    long end = System.nanoTime() + ms * 1_000_000;
    boolean interrupted = false;
    while (System.nanoTime() < end) {
      try {
        Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stats.closed.incrementAndGet();
    if (stats.running.get() > 0) {
      stats.closedWhileRunning.incrementAndGet();
    }
  }

  /** {@code readyWhen}: a path (a String, so the factory serialises) creation waits for. */
  private record Factory(String name, String identity, String readyWhen)
      implements RecognizerFactory {
    @Override
    public String sharingKey(int concurrentInferences) {
      return "stand-in|" + name;
    }

    @Override
    public Recognizer create(int concurrentInferences) throws IOException {
      stats(name).creating.incrementAndGet();
      while (!readyWhen.isEmpty() && !Files.exists(Path.of(readyWhen))) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for " + readyWhen);
        }
      }
      return new StandInRecognizer(name);
    }

    @Override
    public String describe() {
      return "stand-in recognizer " + name;
    }
  }
}
