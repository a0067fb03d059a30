package decimerbeam.inference;

import static decimerbeam.inference.CachedDecoderModel.END;
import static decimerbeam.inference.CachedDecoderModel.MAX_LENGTH;
import static decimerbeam.inference.CachedDecoderModel.START;

import decimerbeam.inference.RecognitionException.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.types.TFloat32;

/**
 * Continuous batching: one thread runs the cached decoder's greedy steps for all the in-flight
 * images handed to it at once, so the decoder's weights are read once per step for the whole
 * batch. An image joins when its encoding arrives and leaves at {@code <end>}, at the 302-step
 * cap, at its deadline, or when its caller gives up. An engine runs one loop per two cores
 * ({@link EngineSettings#decoderLoops()}): one step at a time on one thread serves about two
 * cores' worth of encoded images.
 *
 * <p>Every step runs all {@code maxBatch} rows, the free ones marked done. TensorFlow's CPU
 * matrix kernels round differently for different row counts (a one-row product is a GEMV, and
 * the blocking changes again from about 8 rows), so a batch that grew and shrank with the load
 * would make an image's confidences depend on what else was in flight. With a fixed row count
 * and rows that never mix, an image's tokens and confidences are the same alone or in a full
 * batch; they depend only on {@code maxBatch}.
 */
final class DecodingLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DecodingLoop.class);

  /** Greedy tokens from {@code <start>} and each token's probability ({@code <start>}: 0). */
  record Decoded(int[] tokens, float[] confidences) {}

  /** One greedy step over every row: {@link CachedDecoderModel#step}. */
  @FunctionalInterface
  interface Step {
    CachedDecoderModel.StepOutput run(int[] tokens, int[] positions, boolean[] doneRows,
        TFloat32 keyMasks, TFloat32 selfCaches, TFloat32 crossKvs);
  }

  /** Steps run, and rows (images) they served, since the loop started. */
  record Stats(long steps, long rowSteps, long stepNanos) {}

  private static final class InFlight {
    final int[] tokens = new int[MAX_LENGTH + 1];
    final float[] confidences = new float[MAX_LENGTH + 1];
    int length = 1;
    TFloat32 encoded;
    final long deadlineNanos;
    final CompletableFuture<Decoded> result = new CompletableFuture<>();

    InFlight(TFloat32 encoded, long deadlineNanos) {
      this.encoded = encoded;
      this.deadlineNanos = deadlineNanos;
      tokens[0] = START;
    }

    boolean abandoned(long now) {
      return result.isDone() || now - deadlineNanos >= 0;
    }

    void dropEncoding() {
      if (encoded != null) {
        encoded.close();
        encoded = null;
      }
    }
  }

  private final Step decoderStep;
  private final int rowCount;
  private final ArrayDeque<InFlight> waiting = new ArrayDeque<>();
  private final Thread thread;
  private boolean closed;
  /** The Error that ended the loop's thread, if one did: later images get it too. */
  private Error ended;
  private final AtomicLong steps = new AtomicLong();
  private final AtomicLong rowSteps = new AtomicLong();
  private final AtomicLong stepNanos = new AtomicLong();
  private final AtomicInteger images = new AtomicInteger();
  // Owned by the loop thread.
  private DecoderSlots slots;
  private InFlight[] rows = new InFlight[0];

  DecodingLoop(CachedDecoderModel model, int maxBatch, String name) {
    this(model::step, maxBatch, name);
  }

  /** A loop whose steps run {@code step}; tests put a failing step around the model's. */
  DecodingLoop(Step step, int maxBatch, String name) {
    this.decoderStep = step;
    this.rowCount = maxBatch;
    this.thread = new Thread(this::run, "decimer-decoder-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  Stats stats() {
    return new Stats(steps.get(), rowSteps.get(), stepNanos.get());
  }

  /** False once the loop stopped: closed, or its thread ended by an error it could not outlive. */
  synchronized boolean isOpen() {
    return !closed;
  }

  /** Images handed to this loop and not yet returned, waiting or decoding. */
  int images() {
    return images.get();
  }

  /**
   * Decodes one image from its encoding (taken over: the loop closes it). Returns at
   * {@code <end>} or the cap; TIMEOUT once {@code deadlineNanos} (System.nanoTime) passes.
   *
   * @throws InterruptedException the caller was interrupted; the image leaves the batch
   */
  Decoded decode(TFloat32 encoded, long deadlineNanos)
      throws RecognitionException, InterruptedException {
    InFlight row = new InFlight(encoded, deadlineNanos);
    images.incrementAndGet();
    try {
      return await(row, encoded);
    } finally {
      images.decrementAndGet();
    }
  }

  private Decoded await(InFlight row, TFloat32 encoded)
      throws RecognitionException, InterruptedException {
    long deadlineNanos = row.deadlineNanos;
    synchronized (this) {
      if (closed) {
        encoded.close();
        if (ended != null) {
          throw ended;
        }
        throw new RecognitionException(Kind.MODEL_ERROR, "the decoder is closed");
      }
      waiting.addLast(row);
      notifyAll();
    }
    try {
      long left = deadlineNanos - System.nanoTime();
      return row.result.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new RecognitionException(Kind.TIMEOUT, "decoding passed its deadline");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RecognitionException re) {
        throw re;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new RecognitionException(Kind.MODEL_ERROR, "decoder failed: "
          + e.getCause().getMessage(), e.getCause());
    } finally {
      // Whatever ended the wait, the row leaves the batch at the next step.
      row.result.cancel(false);
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private void run() {
    try {
      while (true) {
        List<InFlight> joining = new ArrayList<>();
        synchronized (this) {
          while (!closed && waiting.isEmpty() && active() == 0) {
            wait();
          }
          if (closed) {
            break;
          }
          int room = rowCount - active();
          while (room > 0 && !waiting.isEmpty()) {
            InFlight r = waiting.pollFirst();
            if (r.abandoned(System.nanoTime())) {
              r.result.completeExceptionally(timeout());
              r.dropEncoding();
            } else {
              joining.add(r);
              room--;
            }
          }
        }
        try {
          dropAbandoned();
          place(joining);
          if (active() > 0) {
            step();
          }
        } catch (RuntimeException | Error e) {
          failBatch(e, joining);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // Only what escapes failBatch itself gets here.
      LOG.error("Decoder loop failed", e);
      stopTakingImages(e instanceof Error error ? error : null);
      failAll(e);
    } finally {
      stopTakingImages(null);
      failAll(new IllegalStateException("the decoder is closed"));
      if (slots != null) {
        slots.close();
      }
    }
  }

  /**
   * Images that come after the loop's end fail at once instead of waiting for no one: with the
   * Error that ended it, if one did, so that they fail their worker too rather than a row.
   */
  private synchronized void stopTakingImages(Error cause) {
    if (!closed && cause != null) {
      ended = cause;
    }
    closed = true;
  }

  private int active() {
    int n = 0;
    for (InFlight r : rows) {
      n += r == null ? 0 : 1;
    }
    return n;
  }

  private static RecognitionException timeout() {
    return new RecognitionException(Kind.TIMEOUT, "decoding passed its deadline");
  }

  private void dropAbandoned() {
    long now = System.nanoTime();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != null && rows[i].abandoned(now)) {
        rows[i].result.completeExceptionally(timeout());
        rows[i] = null;
      }
    }
  }

  /** Loads the joining images into free rows; the slots are allocated on first use. */
  private void place(List<InFlight> joining) {
    if (slots == null) {
      slots = new DecoderSlots(rowCount);
      rows = new InFlight[rowCount];
    }
    int slot = 0;
    for (InFlight r : joining) {
      while (rows[slot] != null) {
        slot++;
      }
      slots.load(slot, r.encoded);
      r.dropEncoding();
      rows[slot] = r;
    }
  }

  private void step() {
    int n = rows.length;
    int[] tokens = new int[n];
    int[] positions = new int[n];
    boolean[] done = new boolean[n];
    int served = 0;
    for (int i = 0; i < n; i++) {
      InFlight r = rows[i];
      done[i] = r == null;
      if (r != null) {
        tokens[i] = r.tokens[r.length - 1];
        positions[i] = r.length - 1;
        served++;
      }
    }
    long t0 = System.nanoTime();
    CachedDecoderModel.StepOutput out =
        decoderStep.run(tokens, positions, done, slots.keyMask, slots.selfKv, slots.crossKv);
    stepNanos.addAndGet(System.nanoTime() - t0);
    steps.incrementAndGet();
    rowSteps.addAndGet(served);
    for (int i = 0; i < n; i++) {
      InFlight r = rows[i];
      if (r == null) {
        continue;
      }
      slots.append(i, positions[i], out.newKv(), tokens[i] == 0);
      r.tokens[r.length] = out.nextToken()[i];
      r.confidences[r.length] = out.confidence()[i];
      r.length++;
      if (out.nextToken()[i] == END || r.length == MAX_LENGTH + 1) {
        r.result.complete(new Decoded(java.util.Arrays.copyOf(r.tokens, r.length),
            java.util.Arrays.copyOf(r.confidences, r.length)));
        rows[i] = null;
      }
    }
  }

  /**
   * A step or a placement failed: the slots may be half-written, so every image in them (and
   * those joining) fails, and the next images get fresh slots.
   *
   * <p>An Error (the heap running out, say) does not end the loop either: its thread and queue
   * are intact, and only the slots can be harmed, which are dropped here as after any failed
   * step. The images in the batch get the Error itself, so it fails their workers rather than
   * their rows, and the runner retries them. This is the simplest way for the engine never to
   * hold a dead loop: a loop that ended would turn every later image into a "the decoder is
   * closed" row, and building a new one would rebuild the same thread and queue.
   */
  private void failBatch(Throwable e, List<InFlight> joining) {
    if (failsTheWorker(e)) {
      LOG.error("Cached decoder hit {}; the images in its batch fail with it", e.toString());
    } else {
      LOG.warn("Cached decoder failed; the images in its batch fail: {}", e.toString());
    }
    failActive(e);
    for (InFlight r : joining) {
      fail(r, e);
    }
    if (slots != null) {
      slots.close();
    }
    slots = null;
    rows = new InFlight[0];
  }

  /**
   * {@code r} ends with {@code cause} if it fails the worker, else as a MODEL_ERROR for it; a
   * row already ended is left as it is.
   */
  private static void fail(InFlight r, Throwable cause) {
    r.result.completeExceptionally(failsTheWorker(cause) ? cause
        : cause instanceof OutOfMemoryError
            ? RecognitionException.mayPass(Kind.MODEL_ERROR, "native memory refused: "
                + cause.getMessage(), cause)
            : new RecognitionException(Kind.MODEL_ERROR, "decoder failed: "
                + cause.getMessage(), cause));
    r.dropEncoding();
  }

  /**
   * An Error, except JavaCPP refusing native memory past its limit: that refusal fails only the
   * images that needed the memory (see {@link NativeMemoryLimit#refused}).
   */
  private static boolean failsTheWorker(Throwable e) {
    return e instanceof Error
        && !(e instanceof OutOfMemoryError oom && NativeMemoryLimit.refused(oom));
  }

  private void failActive(Throwable cause) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != null) {
        fail(rows[i], cause);
        rows[i] = null;
      }
    }
  }

  private void failAll(Throwable cause) {
    failActive(cause);
    synchronized (this) {
      for (InFlight r : waiting) {
        fail(r, cause);
      }
      waiting.clear();
    }
  }

  /** Stops the loop; images still decoding fail. No new image may be submitted after. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
