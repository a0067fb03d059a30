package decimerbeam.worker;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.Recognizer;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.StoredModels;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The DECIMER model as the pipeline's recognizer: a model id, prepared-model directory or
 * {@code azfs://} copy, resolved and loaded on each worker from its own cache.
 */
@AutoValue
public abstract class DecimerModel implements RecognizerFactory {

  /**
   * maxBatch 0: a step runs as many rows as the JVM runs inferences at once. Every step runs
   * all its rows, filled or not, and the pipeline has no more images in flight than that, so
   * more rows only cost time (16 rows for 2 images: 0.36 against 0.54 img/s on the samples).
   */
  public static final int BATCH_OF_CONCURRENT_INFERENCES = 0;

  /**
   * Images in flight per core with the cached decoder: an image holds its thread while the
   * shared loop decodes it, using no core, so one image per core leaves the cores idle for
   * that part (BENCHMARKS.md 1d).
   */
  public static final int CACHED_IMAGES_PER_CORE = 4;

  /**
   * Concurrent inferences share the cores without splitting DECIMER's small decoder ops; the
   * command line's default reads this.
   */
  public static final int DEFAULT_INTRA_OP_THREADS = 1;

  abstract String location();

  /** Cache root on the workers; "" = {@link ModelStore#defaultCacheRoot()}. */
  abstract String cacheRoot();

  abstract AzureAccess storage();

  abstract int intraOpThreads();

  abstract int interOpThreads();

  abstract long maxPixels();

  /** The manifest every worker must load ("" = not pinned). */
  public abstract String manifestSha256();

  public abstract DecoderKind decoder();

  abstract int maxBatch();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setLocation(String location);

    abstract Builder setCacheRoot(String root);

    abstract Builder setStorage(AzureAccess access);

    abstract Builder setIntraOpThreads(int n);

    abstract Builder setInterOpThreads(int n);

    abstract Builder setMaxPixels(long n);

    abstract Builder setManifestSha256(String sha256);

    abstract Builder setDecoder(DecoderKind kind);

    abstract Builder setMaxBatch(int n);

    abstract DecimerModel build();
  }

  /** A model id ({@link ModelStore#MODEL_IDS}), a prepared directory or an azfs:// copy. */
  public static DecimerModel at(String location) {
    checkArgument(location != null && !location.isBlank(), "model location must not be empty");
    return new AutoValue_DecimerModel.Builder().setLocation(location).setCacheRoot("")
        .setStorage(AzureAccess.none()).setIntraOpThreads(DEFAULT_INTRA_OP_THREADS).setInterOpThreads(0)
        .setMaxPixels(EngineSettings.DEFAULT_MAX_PIXELS).setManifestSha256("")
        .setDecoder(EngineSettings.DEFAULT_DECODER).setMaxBatch(BATCH_OF_CONCURRENT_INFERENCES)
        .build();
  }

  /** Cache root on the workers; "" = {@link ModelStore#defaultCacheRoot()}. */
  public DecimerModel withCacheRoot(String root) {
    return toBuilder().setCacheRoot(root).build();
  }

  /** Credentials for a model kept in blob storage. */
  public DecimerModel withStorage(AzureAccess access) {
    return toBuilder().setStorage(access).build();
  }

  /** TensorFlow threads inside one op; 0 = one per core. */
  public DecimerModel withIntraOpThreads(int n) {
    checkArgument(n >= 0, "intra-op threads must be >= 0, got %s", n);
    return toBuilder().setIntraOpThreads(n).build();
  }

  /** TensorFlow threads across ops; 0 = one per concurrent inference of the JVM. */
  public DecimerModel withInterOpThreads(int n) {
    checkArgument(n >= 0, "inter-op threads must be >= 0, got %s", n);
    return toBuilder().setInterOpThreads(n).build();
  }

  /** Images whose header claims more pixels are refused before decoding. */
  public DecimerModel withMaxPixels(long n) {
    checkArgument(n > 0, "maxPixels must be > 0, got %s", n);
    return toBuilder().setMaxPixels(n).build();
  }

  /**
   * Every worker must load a model whose manifest has this SHA-256 ("" = not pinned); setting up
   * a worker that finds another one fails, naming both.
   */
  public DecimerModel withManifestSha256(String sha256) {
    return toBuilder().setManifestSha256(sha256).build();
  }

  /** The full-prefix graph or the cached, batched decoder. */
  public DecimerModel withDecoder(DecoderKind kind) {
    return toBuilder().setDecoder(kind).build();
  }

  /** Most in-flight images one cached-decoder step serves; 0 = the concurrent inferences. */
  public DecimerModel withMaxBatch(int n) {
    checkArgument(n >= 0, "maxBatch must be >= 0 (0 = the JVM's concurrent inferences), got %s",
        n);
    return toBuilder().setMaxBatch(n).build();
  }

  /**
   * In the launcher: a remote ({@code azfs://}) model pinned to the manifest it has now, so
   * every worker verifies it loads that same model; any other location is returned as it is.
   */
  public DecimerModel pinnedRemote() throws IOException {
    StoredModels models = new StoredModels(storage());
    if (!models.handles(location()) || !manifestSha256().isEmpty()) {
      return this;
    }
    return withManifestSha256(new ModelStore(ModelStore.defaultCacheRoot(), models)
        .remoteManifestSha256(location()));
  }

  /**
   * The engine's settings in a JVM that runs {@code concurrentInferences} at once. Inter-op
   * threads 0 means: with the full decoder one per concurrent inference, because the shared
   * session runs concurrent calls on that pool and fewer threads than calls serialise them;
   * with the cached one, whose images spend part of their time waiting for a decoding loop,
   * one per core plus one per loop for its step, so the encoders never crowd out the steps
   * (BENCHMARKS.md 1d: 8 images on 2 cores, 1.88 img/s with 3 threads). The cached decoder
   * runs one loop per two cores, the images in flight shared out among their rows.
   */
  public EngineSettings engineSettings(int concurrentInferences) {
    return engineSettings(concurrentInferences, Runtime.getRuntime().availableProcessors());
  }

  EngineSettings engineSettings(int concurrentInferences, int cores) {
    if (decoder() == DecoderKind.FULL) {
      return new EngineSettings(intraOpThreads(),
          interOpThreads() == 0 ? concurrentInferences : interOpThreads(), maxPixels(),
          decoder(),
          maxBatch() == BATCH_OF_CONCURRENT_INFERENCES ? concurrentInferences : maxBatch());
    }
    int loops = EngineSettings.decoderLoopsFor(cores, concurrentInferences);
    int interOp = interOpThreads() != 0 ? interOpThreads()
        : Math.min(concurrentInferences, cores + loops);
    int rows = maxBatch() != BATCH_OF_CONCURRENT_INFERENCES ? maxBatch()
        : (concurrentInferences + loops - 1) / loops;
    return new EngineSettings(intraOpThreads(), interOp, maxPixels(), decoder(), rows, loops);
  }

  @Override
  public String sharingKey(int concurrentInferences) {
    return "decimer|" + location() + "|" + manifestSha256() + "|" + cacheRoot() + "|"
        + engineSettings(concurrentInferences);
  }

  @Override
  public int imagesInFlightPerCore() {
    return decoder() == DecoderKind.CACHED ? CACHED_IMAGES_PER_CORE : 1;
  }

  @Override
  public String identity() {
    return "decimer:" + location();
  }

  @Override
  public Recognizer create(int concurrentInferences) throws IOException {
    Path cache = cacheRoot().isEmpty() ? ModelStore.defaultCacheRoot() : Path.of(cacheRoot());
    ModelStore store = new ModelStore(cache, new StoredModels(storage()));
    return DecimerEngine.load(store.resolveForDecoder(location(), manifestSha256(), decoder()),
        engineSettings(concurrentInferences));
  }

  @Override
  public String describe() {
    boolean cached = decoder() == DecoderKind.CACHED;
    return "DECIMER model " + location() + " (intra-op threads " + intraOpThreads()
        + ", inter-op threads " + (interOpThreads() != 0 ? String.valueOf(interOpThreads())
            : cached ? "one per core + one per decoding loop" : "one per inference")
        + ", max pixels " + maxPixels() + ", " + decoder().cliName() + " decoder"
        + (cached ? " (a loop per two cores, batch " + (maxBatch() == 0
            ? "= its share of the concurrent inferences" : String.valueOf(maxBatch())) + ")" : "")
        + (manifestSha256().isEmpty() ? "" : ", manifest sha256 " + manifestSha256()) + ")";
  }
}
