package decimerbeam.transforms;

import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.ImageFormat;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.Recognition;
import decimerbeam.inference.RecognitionException;
import decimerbeam.inference.SharedEngines;
import decimerbeam.inference.Structures;
import decimerbeam.storage.Redaction;
import decimerbeam.storage.Stores;
import decimerbeam.storage.StoredModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Image files → one {@link ImageResult} each. One model per worker JVM, shared by all DoFn
 * instances; concurrent inferences gated by host RAM. A bad image becomes a FAILED row with its
 * error kind; nothing an image does fails the bundle.
 */
public final class RecognizeImages
    extends PTransform<PCollection<ImageRef>, PCollection<KV<String, ImageResult>>> {

  private final Settings settings;

  public RecognizeImages(Settings settings) {
    this.settings = settings;
  }

  @Override
  public PCollection<KV<String, ImageResult>> expand(PCollection<ImageRef> files) {
    return files.apply("Recognize", ParDo.of(new RecognizeFn(settings)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(ImageResult.class)));
  }

  /** Emits each row keyed by its directory's {@link GroupKey}. */
  static final class RecognizeFn extends DoFn<ImageRef, KV<String, ImageResult>> {
    private static final String NS = "decimer";
    private final Settings settings;
    private final Counter recognized = Metrics.counter(NS, "images_recognized");
    private final Counter failed = Metrics.counter(NS, "images_failed");
    private final Counter skipped = Metrics.counter(NS, "files_skipped");
    private final Distribution latency = Metrics.distribution(NS, "inference_latency_ms");
    private final Distribution modelLoad = Metrics.distribution(NS, "model_load_ms");
    private transient DecimerEngine engine;
    private transient InferenceGate gate;

    RecognizeFn(Settings settings) {
      this.settings = settings;
    }

    @Setup
    public void setup() throws IOException {
      long t0 = System.nanoTime();
      Path cache = settings.modelCache().isEmpty()
          ? ModelStore.defaultCacheRoot() : Path.of(settings.modelCache());
      ModelStore store = new ModelStore(cache, new StoredModels(settings.azure()));
      gate = InferenceGate.get(settings.memoryFraction(), settings.maxConcurrentInferences());
      engine = SharedEngines.acquire(settings.modelLocation(), store,
          settings.engineSettings(gate.capacity.permits()));
      modelLoad.update((System.nanoTime() - t0) / 1_000_000);
    }

    @ProcessElement
    public void process(@Element ImageRef ref, OutputReceiver<KV<String, ImageResult>> out)
        throws InterruptedException {
      String key = GroupKey.of(ref.work());
      String dir = ref.work().directory().uri();
      String name = ref.file().name();
      if (!ImageFormat.hasImageExtension(name)) {
        skipped.inc();
        out.output(KV.of(key, ImageResult.skipped(dir, name, "not an image file name")));
        return;
      }
      long t0 = System.nanoTime();
      ImageResult result;
      try {
        byte[] bytes = Stores.forLocation(ref.file().location(), settings.azure())
            .read(ref.file().location());
        Recognition r = recognizeWithin(bytes, settings.imageTimeoutSeconds());
        result = success(dir, name, r, millisSince(t0));
        recognized.inc();
        latency.update(r.inferenceMillis());
      } catch (RecognitionException e) {
        result = failure(dir, name, e.kind().name(), e.getMessage(), t0);
      } catch (IOException e) {
        result = failure(dir, name, RecognitionException.Kind.READ_ERROR.name(),
            Redaction.clean(e.getMessage()), t0);
      } catch (RuntimeException e) {
        result = failure(dir, name, RecognitionException.Kind.MODEL_ERROR.name(),
            Redaction.clean(e.toString()), t0);
      }
      out.output(KV.of(key, result));
    }

    private ImageResult failure(String dir, String name, String kind, String message, long t0) {
      failed.inc();
      Metrics.counter(NS, "images_failed_" + kind).inc();
      return ImageResult.failed(dir, name, kind, message, millisSince(t0), engine.modelId());
    }

    /**
     * Holds a permit for as long as the inference really runs; on timeout the caller moves on
     * and the permit comes back when the runaway inference ends.
     */
    private Recognition recognizeWithin(byte[] bytes, long timeoutSeconds)
        throws RecognitionException, InterruptedException {
      gate.permits.acquire();
      Future<Recognition> f;
      try {
        f = gate.workers.submit(() -> {
          try {
            return engine.recognize(bytes);
          } finally {
            gate.permits.release();
          }
        });
      } catch (RuntimeException e) {
        gate.permits.release();
        throw e;
      }
      try {
        return f.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new RecognitionException(RecognitionException.Kind.TIMEOUT,
            "recognition took longer than " + timeoutSeconds + " s (--imageTimeout)");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RecognitionException re) {
          throw re;
        }
        throw new RecognitionException(RecognitionException.Kind.MODEL_ERROR,
            String.valueOf(e.getCause()), e.getCause());
      }
    }

    private ImageResult success(String dir, String name, Recognition r, long millis) {
      Optional<Structures.Identity> id = Structures.identify(r.smiles());
      return new ImageResult(dir, name, ImageResult.Status.RECOGNIZED, r.smiles(),
          id.map(Structures.Identity::canonicalSmiles).orElse(""),
          id.map(Structures.Identity::inchiKey).orElse(""), id.isPresent(),
          r.meanConfidence(), r.minConfidence(), r.tokenCount(), r.truncated(), "", "", millis,
          engine.modelId());
    }

    private static long millisSince(long t0) {
      return (System.nanoTime() - t0) / 1_000_000;
    }

    @Teardown
    public void teardown() throws InterruptedException {
      if (engine != null) {
        if (SharedEngines.holdersOf(engine) == 1) {
          // Last user: let any timed-out inference finish before the model is closed under it.
          int all = gate.capacity.permits();
          if (gate.permits.tryAcquire(all, settings.imageTimeoutSeconds(), TimeUnit.SECONDS)) {
            gate.permits.release(all);
          }
        }
        SharedEngines.release(engine);
        engine = null;
      }
    }
  }
}
