package decimerbeam.transforms;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import decimerbeam.inference.Agreement;
import decimerbeam.inference.Crosscheck;
import decimerbeam.inference.DecimerReading;
import decimerbeam.inference.ImageFormat;
import decimerbeam.inference.Recognition;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.RecognitionException.Kind;
import decimerbeam.inference.Recognizer;
import decimerbeam.inference.SecondReading;
import decimerbeam.inference.Structures;
import decimerbeam.inference.Warning;
import decimerbeam.inference.WorkingMemory;
import decimerbeam.report.Thumbnail;
import decimerbeam.results.ImageResult;
import decimerbeam.results.RowStager;
import decimerbeam.results.RowStaging;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Redaction;
import decimerbeam.storage.SafeNames;
import decimerbeam.storage.Stores;
import decimerbeam.work.DirectoryWork;
import decimerbeam.work.ImageRef;
import decimerbeam.worker.FailureLog;
import decimerbeam.worker.InferenceGate;
import decimerbeam.worker.ModelPreparation;
import decimerbeam.worker.RecognizerFactory;
import decimerbeam.worker.SecondReader;
import decimerbeam.worker.SecondReadingPool;
import decimerbeam.worker.SharedGates;
import decimerbeam.worker.SharedRecognizers;
import decimerbeam.worker.SharedSecondOpinions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.joda.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * Image files → one {@link ImageResult} each, keyed by the directory's work. One recognizer per
 * worker JVM, shared by all DoFn instances; concurrent inferences gated by host RAM ({@link
 * InferenceGate}). A bad image becomes a FAILED row with its error kind; nothing an image does
 * fails the bundle, except a {@link java.lang.Error} such as the heap running out, which is
 * the worker's failure and leaves {@code @ProcessElement} for the runner to retry.
 *
 * <pre>{@code
 * files.apply(RecognizeImages.with(DecimerModel.at("decimer-2.8-printed"))
 *     .withStorage(access).withImageTimeout(Duration.ofMinutes(10)));
 * }</pre>
 */
@AutoValue
public abstract class RecognizeImages extends
    PTransform<PCollection<ImageRef>, PCollection<KV<DirectoryWork, ImageResult>>> {

  /** The defaults, here once; the command line's options take theirs from these. */
  public static final long DEFAULT_IMAGE_TIMEOUT_SECONDS = 600;
  static final Duration DEFAULT_IMAGE_TIMEOUT = Duration.ofSeconds(DEFAULT_IMAGE_TIMEOUT_SECONDS);
  public static final double DEFAULT_MEMORY_FRACTION = 0.75;
  /** Far above any drawing of a structure, far below what a worker's heap could not read. */
  public static final long DEFAULT_MAX_IMAGE_BYTES = 64L << 20;
  public static final double DEFAULT_MEMORY_EXIT_FRACTION = 0.95;

  /** Only the generated class extends it: made by {@link #with} and the withX methods. */
  RecognizeImages() {}

  abstract RecognizerFactory recognizer();

  abstract AzureAccess storage();

  abstract Duration imageTimeout();

  abstract double memoryFraction();

  /** 0: computed from RAM and cores. */
  abstract int maxConcurrentInferences();

  abstract long maxImageBytes();

  abstract int workersPerHost();

  abstract double memoryExitFraction();

  abstract SecondReader secondReader();

  abstract boolean thumbnails();

  /** Null: rows are not staged here (a pipeline that stages them elsewhere, or not at all). */
  abstract @Nullable RowStaging staging();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setRecognizer(RecognizerFactory recognizer);

    abstract Builder setStorage(AzureAccess access);

    abstract Builder setImageTimeout(Duration timeout);

    abstract Builder setMemoryFraction(double fraction);

    abstract Builder setMaxConcurrentInferences(int n);

    abstract Builder setMaxImageBytes(long bytes);

    abstract Builder setWorkersPerHost(int n);

    abstract Builder setMemoryExitFraction(double fraction);

    abstract Builder setSecondReader(SecondReader reader);

    abstract Builder setThumbnails(boolean make);

    abstract Builder setStaging(@Nullable RowStaging staging);

    abstract RecognizeImages build();
  }

  /** Recognises with the recognizer this factory creates on each worker. */
  public static RecognizeImages with(RecognizerFactory recognizer) {
    return new AutoValue_RecognizeImages.Builder()
        .setRecognizer(Objects.requireNonNull(recognizer, "recognizer"))
        .setStorage(AzureAccess.none()).setImageTimeout(DEFAULT_IMAGE_TIMEOUT)
        .setMemoryFraction(DEFAULT_MEMORY_FRACTION).setMaxConcurrentInferences(0)
        .setMaxImageBytes(DEFAULT_MAX_IMAGE_BYTES).setWorkersPerHost(1)
        .setMemoryExitFraction(DEFAULT_MEMORY_EXIT_FRACTION).setSecondReader(SecondReader.NONE)
        .setThumbnails(true).setStaging(null).build();
  }

  /** How to read images kept in Azure Blob Storage. */
  public RecognizeImages withStorage(AzureAccess access) {
    return toBuilder().setStorage(Objects.requireNonNull(access, "storage")).build();
  }

  /** How long one image may take (and wait for room to run) before its row says TIMEOUT. */
  public RecognizeImages withImageTimeout(Duration timeout) {
    checkArgument(!timeout.isNegative() && !timeout.isZero(),
        "image timeout must be > 0, got %s", timeout);
    return toBuilder().setImageTimeout(timeout).build();
  }

  /**
   * Share of this JVM's part of the host's memory that inferences may plan on; also the
   * watchdog's high-water mark, above which no new inference starts.
   */
  public RecognizeImages withMemoryFraction(double fraction) {
    checkArgument(fraction > 0 && fraction <= 1,
        "memory fraction must be in (0, 1], got %s", fraction);
    return toBuilder().setMemoryFraction(fraction).build();
  }

  /** Concurrent inferences per worker JVM; 0 = computed from RAM and cores. */
  public RecognizeImages withMaxConcurrentInferences(int n) {
    checkArgument(n >= 0,
        "max concurrent inferences must be >= 0 (0 = from RAM and cores), got %s", n);
    return toBuilder().setMaxConcurrentInferences(n).build();
  }

  /** Files larger than this are TOO_LARGE rows, from the listed size, without being read. */
  public RecognizeImages withMaxImageBytes(long bytes) {
    checkArgument(bytes > 0, "max image bytes must be > 0, got %s", bytes);
    return toBuilder().setMaxImageBytes(bytes).build();
  }

  /** Worker JVMs sharing one host (TaskManagers per VM): each budgets its part of the RAM. */
  public RecognizeImages withWorkersPerHost(int n) {
    checkArgument(n >= 1, "workers per host must be >= 1, got %s", n);
    return toBuilder().setWorkersPerHost(n).build();
  }

  /**
   * Share of this JVM's part of the host's memory at which the watchdog exits the JVM; at least
   * the memory fraction, checked when the transform is applied, so either may be set first.
   */
  public RecognizeImages withMemoryExitFraction(double fraction) {
    checkArgument(fraction > 0 && fraction <= 1,
        "memory exit fraction must be in (0, 1], got %s", fraction);
    return toBuilder().setMemoryExitFraction(fraction).build();
  }

  /**
   * A second reader of every recognised image ({@link SecondReader#NONE} by default): its
   * answer, whether it agrees and a preferred SMILES go on each row.
   */
  public RecognizeImages withSecondOpinion(SecondReader reader) {
    return toBuilder().setSecondReader(Objects.requireNonNull(reader, "secondReader")).build();
  }

  /**
   * Whether each row carries a small thumbnail of its image for review.html (default on); the
   * image is only in hand here.
   */
  public RecognizeImages withThumbnails(boolean make) {
    return toBuilder().setThumbnails(make).build();
  }

  /**
   * Makes each row durable within {@code staging}'s checkpoint interval of its recognition,
   * from this step itself: a runner that holds a bundle's output until the bundle ends cannot
   * keep recognised rows from storage.
   */
  public RecognizeImages withStaging(RowStaging staging) {
    return toBuilder().setStaging(Objects.requireNonNull(staging, "staging")).build();
  }

  @Override
  public PCollection<KV<DirectoryWork, ImageResult>> expand(PCollection<ImageRef> files) {
    checkArgument(memoryExitFraction() >= memoryFraction(),
        "memory exit fraction must be in [memory fraction %s, 1], got %s", memoryFraction(),
        memoryExitFraction());
    return files.apply("Recognize", ParDo.of(new RecognizeFn(this)))
        .setCoder(KvCoder.of(RecordCoder.of(DirectoryWork.class),
            RecordCoder.of(ImageResult.class)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("recognizer", recognizer().describe()))
        .add(DisplayData.item("imageTimeoutSeconds", imageTimeout().toSeconds()))
        .add(DisplayData.item("memoryFraction", memoryFraction()))
        .add(DisplayData.item("maxConcurrentInferences", maxConcurrentInferences())
            .withLabel("Concurrent inferences per JVM (0 = from RAM and cores)"))
        .add(DisplayData.item("maxImageBytes", maxImageBytes()))
        .add(DisplayData.item("workersPerHost", workersPerHost()))
        .add(DisplayData.item("memoryExitFraction", memoryExitFraction()))
        .add(DisplayData.item("secondOpinion", secondReader().label()))
        .add(DisplayData.item("thumbnails", thumbnails()));
    RowStaging staging = staging();
    if (staging != null) {
      builder.add(DisplayData.item("runId", staging.run().runId()))
          .add(DisplayData.item("checkpointIntervalSeconds",
              staging.checkpointInterval().toSeconds()));
    }
  }

  /** Emits each row keyed by its directory's work. */
  static final class RecognizeFn extends DoFn<ImageRef, KV<DirectoryWork, ImageResult>> {
    private static final Logger LOG = LoggerFactory.getLogger(RecognizeImages.class);
    private static final FailureLog FAILURES = new FailureLog(LOG, 20);
    private static final String NS = "decimer";
    /**
     * Tries of an image whose failure may pass (native memory refused, no room to run within
     * the timeout, storage gave up), the first in turn and the rest at the end of its bundle.
     */
    static final int TRIES = 3;
    /** Failures of images that decoded: a reviewer can still look at them. */
    private static final Set<Kind> SHOWABLE_FAILURES =
        EnumSet.of(Kind.BLANK_IMAGE, Kind.MODEL_ERROR, Kind.TIMEOUT);
    /** The settings, read where they are used; serialised with this DoFn. */
    private final RecognizeImages spec;
    private final Counter recognized = Metrics.counter(NS, "images_recognized");
    private final Counter failed = Metrics.counter(NS, "images_failed");
    private final Counter skipped = Metrics.counter(NS, "files_skipped");
    private final Distribution latency = Metrics.distribution(NS, "inference_latency_ms");
    private final Distribution modelLoad = Metrics.distribution(NS, "model_load_ms");
    // Progress tells "loading the model" from "recognising", and counts img/s from the first
    // recognition rather than from launch (a first run prepares the model for minutes).
    private final Counter modelLoadsStarted = Metrics.counter(NS, "model_loads_started");
    private final Distribution recognitionStarts =
        Metrics.distribution(NS, "recognition_started_at_ms");
    private transient Recognizer model;
    private transient InferenceGate gate;
    private transient Optional<SecondReadingPool> secondOpinion;
    private transient RowStager stager;
    private transient List<Deferred> deferred;
    private final Counter retried = Metrics.counter(NS, "images_retried");
    private final Counter staged = Metrics.counter(NS, "rows_staged");
    private final Counter finished = Metrics.counter(NS, "directories_finished");
    private final Counter disagreements = Metrics.counter(NS, "second_opinion_disagreements");

    RecognizeFn(RecognizeImages spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() throws IOException {
      long t0 = System.nanoTime();
      modelLoadsStarted.inc();
      Structures.requireInchi();
      gate = SharedGates.acquire(spec.memoryFraction(), spec.maxConcurrentInferences(),
          spec.workersPerHost(), spec.memoryExitFraction(),
          spec.recognizer().imagesInFlightPerCore());
      try {
        try (ModelPreparation.Underway preparing = ModelPreparation.begin()) {
          model = SharedRecognizers.acquire(spec.recognizer(), gate.capacity().permits());
        }
        secondOpinion = SharedSecondOpinions.acquire(spec.secondReader());
      } catch (IOException | RuntimeException | Error e) {
        // A runner need not tear down an instance whose setup failed: give back what it holds.
        try {
          teardown();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          e.addSuppressed(ie);
        }
        throw e;
      }
      modelLoad.update((System.nanoTime() - t0) / 1_000_000);
      stager = spec.staging() == null ? null : new RowStager(spec.staging());
      deferred = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element ImageRef ref, @Timestamp Instant timestamp,
        OutputReceiver<KV<DirectoryWork, ImageResult>> out) throws InterruptedException {
      Attempt first = attempt(ref, 1);
      if (first.mayPass()) {
        // Tried again after the rest of the bundle, with this instance's other images done.
        deferred.add(new Deferred(ref, timestamp));
        return;
      }
      emit(ref, first.row(), out::output);
    }

    /** One try of an image: its row, and whether its failure may pass on another try. */
    private record Attempt(ImageResult row, boolean mayPass) {}

    /** An image whose failure may pass, waiting for the end of its bundle. */
    private record Deferred(ImageRef ref, Instant timestamp) {}

    private Attempt attempt(ImageRef ref, int tryNumber) throws InterruptedException {
      String dir = ref.work().directory().uri();
      String name = ref.file().name();
      Optional<String> unsafe = SafeNames.segmentProblem(name, false);
      if (unsafe.isPresent()) {
        // A name like ".." may be resolved by a client or a file system as a path: never read.
        return new Attempt(ImageResult.skipped(dir, name, "unsafe file name: " + unsafe.get()),
            false);
      }
      if (!ImageFormat.hasImageExtension(name)) {
        return new Attempt(ImageResult.skipped(dir, name, "not an image file name"), false);
      }
      long t0 = System.nanoTime();
      if (ref.file().size() > spec.maxImageBytes()) {
        // The listing knows the size: such a file is never downloaded.
        RecognitionException tooLarge = new RecognitionException(Kind.TOO_LARGE, "file of "
            + ref.file().size() + " bytes exceeds --maxImageBytes=" + spec.maxImageBytes()
            + "; not read");
        return new Attempt(failure(ref, tooLarge.kind(), tooLarge.getMessage(), tooLarge, t0),
            false);
      }
      ImageResult result;
      boolean mayPass = false;
      String tries = tryNumber == 1 ? "" : " (try " + tryNumber + " of " + TRIES + " in this run)";
      recognitionStarts.update(System.currentTimeMillis());
      byte[] bytes = null;
      try {
        bytes = Stores.forLocation(ref.file().location(), spec.storage())
            .read(ref.file().location());
        Recognized r = recognize(bytes);
        result = withThumbnail(success(dir, name, r.decimer(), r.second(), millisSince(t0)),
            bytes);
        latency.update(r.decimer().inferenceMillis());
      } catch (RecognitionException e) {
        mayPass = e.mayPass();
        result = failure(ref, e.kind(), e.getMessage() + tries, e, t0);
        if (SHOWABLE_FAILURES.contains(e.kind())) {
          result = withThumbnail(result, bytes);
        }
      } catch (IOException e) {
        // Storage gave up after its retries: it may answer later in the run.
        mayPass = true;
        result = failure(ref, Kind.READ_ERROR, Redaction.clean(e.getMessage()) + tries, e, t0);
      } catch (RuntimeException e) {
        result = failure(ref, Kind.MODEL_ERROR, Redaction.clean(e.toString()), e, t0);
      }
      return new Attempt(result.finishedAt(System.currentTimeMillis()), mayPass);
    }

    /**
     * Counts the row, holds it for staging (which does not wait for the bundle) and passes it
     * on.
     */
    private void emit(ImageRef ref, ImageResult row,
        Consumer<KV<DirectoryWork, ImageResult>> out) {
      switch (row.status()) {
        case RECOGNIZED -> recognized.inc();
        case SKIPPED -> skipped.inc();
        case FAILED -> {
          failed.inc();
          Metrics.counter(NS, "images_failed_" + row.errorKind()).inc();
        }
      }
      if (stager != null) {
        stager.add(ref.work(), row);
        staged.inc(stager.takeStaged());
        finished.inc(stager.takeFinished());
      }
      out.accept(KV.of(ref.work(), row));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws InterruptedException {
      // Failures that may pass get their next tries now, one image at a time, so this instance
      // holds no other image meanwhile; what still fails after the last try is the row.
      List<Deferred> again = List.copyOf(deferred);
      deferred.clear();
      for (Deferred d : again) {
        retried.inc();
        Attempt a = attempt(d.ref(), 2);
        for (int n = 3; a.mayPass() && n <= TRIES; n++) {
          a = attempt(d.ref(), n);
        }
        emit(d.ref(), a.row(), kv -> c.output(kv, d.timestamp(), GlobalWindow.INSTANCE));
      }
      // Rows of a bundle that ends are durable before the bundle's output moves on, so the
      // end-of-run writer never races a late staged file.
      if (stager != null) {
        stager.flush(false);
        staged.inc(stager.takeStaged());
        finished.inc(stager.takeFinished());
      }
    }

    /**
     * The row with a thumbnail of its image, where one can be made; the image passed the size
     * and pixel checks, and a picture that cannot be made leaves the row as it is.
     */
    private ImageResult withThumbnail(ImageResult row, byte[] bytes) {
      if (!spec.thumbnails() || bytes == null) {
        return row;
      }
      return Thumbnail.of(bytes).map(row::withThumbnail).orElse(row);
    }

    private ImageResult failure(ImageRef ref, Kind kind, String message, Throwable error,
        long t0) {
      FAILURES.failed(kind + " for " + ref.file().location().uri(), error);
      return ImageResult.failed(ref.work().directory().uri(), ref.file().name(), kind.name(),
          message, millisSince(t0), model.modelId()).finishedAt(System.currentTimeMillis());
    }

    /** DECIMER's reading and, when a second reader is on, its reading of the same bytes. */
    private record Recognized(Recognition decimer, Optional<SecondReading> second) {}

    private Recognized recognize(byte[] bytes) throws RecognitionException,
        InterruptedException {
      Duration imageTimeout = spec.imageTimeout();
      try {
        WorkingMemory need = model.workingMemory(bytes);
        long ms = imageTimeout.toMillis();
        if (secondOpinion.isEmpty()) {
          return new Recognized(gate.call(need, () -> model.recognize(bytes, ms), imageTimeout),
              Optional.empty());
        }
        // DECIMER holds its slot (its row in the decoding batch) only while it decodes; the
        // second reader then reads in its own bounded pool, so another image can take the slot.
        // The image's heap estimate stays in the gate's budget until that reading ends: it
        // decodes the same pixels. The image's timeout, from the start of its call, bounds both;
        // a second reading past it is a warning, never the image's failure.
        AtomicLong began = new AtomicLong();
        InferenceGate.Kept<Recognition> decimer = gate.callKeeping(need,
            new WorkingMemory(need.heapBytes(), 0), () -> {
              began.set(System.nanoTime());
              return model.recognize(bytes, ms);
            }, imageTimeout);
        SecondReading second = secondOpinion.get().read(bytes, decimer.hold(),
            began.get() + imageTimeout.toNanos());
        return new Recognized(decimer.value(), Optional.of(second));
      } catch (TimeoutException e) {
        long ms = imageTimeout.toMillis();
        throw new RecognitionException(Kind.TIMEOUT, "recognition took longer than "
            + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + " (--imageTimeout)", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RecognitionException re) {
          throw re;
        }
        if (e.getCause() instanceof Error error) {
          // The heap spent (or any Error) fails the bundle, which the runner retries; as a
          // row it would close the directory with a MODEL_ERROR no rerun looks at again.
          throw error;
        }
        throw new RecognitionException(Kind.MODEL_ERROR,
            Redaction.clean(String.valueOf(e.getCause())), e.getCause());
      }
    }

    private ImageResult success(String dir, String name, Recognition r,
        Optional<SecondReading> second, long millis) {
      Optional<Structures.Identity> id = Structures.identify(r.smiles());
      String inchiKey = id.map(Structures.Identity::inchiKey).orElse("");
      DecimerReading reading = DecimerReading.of(r, inchiKey);
      List<Warning> warnings = reading.warnings();
      Crosscheck check = second.isEmpty() ? Crosscheck.none(reading)
          : Crosscheck.of(secondOpinion.orElseThrow().readerId(), reading, second.get());
      if (check.agreement().isPresent() && !check.agreement().get().sameStructure()) {
        disagreements.inc();
      }
      return new ImageResult(dir, name, ImageResult.Status.RECOGNIZED, r.smiles(),
          id.map(Structures.Identity::canonicalSmiles).orElse(""), inchiKey, id.isPresent(),
          r.meanConfidence(), r.minConfidence(), r.tokenCount(), r.truncated(), "", "", millis,
          model.modelId(), check.allWarnings(warnings).stream().map(Warning::name).toList(),
          check.trust().label(), check.reader(), check.smiles(), check.inchiKey(),
          check.agreement().map(Agreement::name).orElse(""), check.bestSmiles(),
          check.choice().from().label(), 0L);
    }

    private static long millisSince(long t0) {
      return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Gives back what {@code @Setup} took; the job's last instance closes the model, the second
     * reader and the gate with its watchdog and threads, so nothing of the job outlives it.
     */
    @Teardown
    public void teardown() throws InterruptedException {
      if (stager != null) {
        stager.close();
        stager = null;
      }
      if (secondOpinion != null) {
        secondOpinion = null;
        SharedSecondOpinions.release(spec.secondReader());
      }
      try {
        releaseModel();
      } finally {
        if (gate != null) {
          InferenceGate held = gate;
          gate = null;
          SharedGates.release(held);
        }
      }
    }

    private void releaseModel() throws InterruptedException {
      if (model == null) {
        return;
      }
      Recognizer last = model;
      model = null;
      if (SharedRecognizers.release(last)) {
        Duration imageTimeout = spec.imageTimeout();
        // The last holder closes the model, and never under a call still running (a timed-out
        // one keeps going until it ends): a model closed under a call is a native crash.
        if (gate.drain(imageTimeout)) {
          last.close();
        } else {
          LOG.warn("{} inferences still running {} s after teardown; the model is left open",
              gate.running(), imageTimeout.toSeconds());
        }
      }
    }
  }
}
