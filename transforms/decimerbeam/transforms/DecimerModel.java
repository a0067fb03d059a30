package decimerbeam.transforms;

import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.Recognizer;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.StoredModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The DECIMER model as the pipeline's recognizer: a model id, prepared-model directory or
 * {@code azfs://} copy, resolved and loaded on each worker from its own cache.
 */
public final class DecimerModel implements RecognizerFactory {

  private final String location;
  private final String cacheRoot;
  private final AzureAccess storage;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final long maxPixels;
  private final String manifestSha256;
  private final DecoderKind decoder;
  private final int maxBatch;

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

  private DecimerModel(String location, String cacheRoot, AzureAccess storage,
      int intraOpThreads, int interOpThreads, long maxPixels) {
    this(location, cacheRoot, storage, intraOpThreads, interOpThreads, maxPixels, "",
        EngineSettings.DEFAULT_DECODER, BATCH_OF_CONCURRENT_INFERENCES);
  }

  private DecimerModel(String location, String cacheRoot, AzureAccess storage,
      int intraOpThreads, int interOpThreads, long maxPixels, String manifestSha256,
      DecoderKind decoder, int maxBatch) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("model location must not be empty");
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0, got intra-op "
          + intraOpThreads + ", inter-op " + interOpThreads);
    }
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
    }
    this.location = location;
    this.cacheRoot = Objects.requireNonNull(cacheRoot);
    this.storage = Objects.requireNonNull(storage);
    this.intraOpThreads = intraOpThreads;
    this.interOpThreads = interOpThreads;
    this.maxPixels = maxPixels;
    this.manifestSha256 = Objects.requireNonNull(manifestSha256);
    this.decoder = Objects.requireNonNull(decoder);
    if (maxBatch < 0) {
      throw new IllegalArgumentException("maxBatch must be >= 0 (0 = the JVM's concurrent"
          + " inferences), got " + maxBatch);
    }
    this.maxBatch = maxBatch;
  }

  /** A model id ({@link ModelStore#MODEL_IDS}), a prepared directory or an azfs:// copy. */
  public static DecimerModel at(String location) {
    return new DecimerModel(location, "", AzureAccess.none(), 1, 0,
        EngineSettings.DEFAULT_MAX_PIXELS);
  }

  /** Cache root on the workers; "" = {@link ModelStore#defaultCacheRoot()}. */
  public DecimerModel withCacheRoot(String root) {
    return new DecimerModel(location, root, storage, intraOpThreads, interOpThreads, maxPixels,
        manifestSha256, decoder, maxBatch);
  }

  /** Credentials for a model kept in blob storage. */
  public DecimerModel withStorage(AzureAccess access) {
    return new DecimerModel(location, cacheRoot, access, intraOpThreads, interOpThreads,
        maxPixels, manifestSha256, decoder, maxBatch);
  }

  /** TensorFlow threads inside one op; 0 = one per core. */
  public DecimerModel withIntraOpThreads(int n) {
    return new DecimerModel(location, cacheRoot, storage, n, interOpThreads, maxPixels,
        manifestSha256, decoder, maxBatch);
  }

  /** TensorFlow threads across ops; 0 = one per concurrent inference of the JVM. */
  public DecimerModel withInterOpThreads(int n) {
    return new DecimerModel(location, cacheRoot, storage, intraOpThreads, n, maxPixels,
        manifestSha256, decoder, maxBatch);
  }

  /** Images whose header claims more pixels are refused before decoding. */
  public DecimerModel withMaxPixels(long n) {
    return new DecimerModel(location, cacheRoot, storage, intraOpThreads, interOpThreads, n,
        manifestSha256, decoder, maxBatch);
  }

  /**
   * Every worker must load a model whose manifest has this SHA-256 ("" = not pinned); setting up
   * a worker that finds another one fails, naming both.
   */
  public DecimerModel withManifestSha256(String sha256) {
    return new DecimerModel(location, cacheRoot, storage, intraOpThreads, interOpThreads,
        maxPixels, sha256, decoder, maxBatch);
  }

  /** The full-prefix graph or the cached, batched decoder. */
  public DecimerModel withDecoder(DecoderKind kind) {
    return new DecimerModel(location, cacheRoot, storage, intraOpThreads, interOpThreads,
        maxPixels, manifestSha256, kind, maxBatch);
  }

  /** Most in-flight images one cached-decoder step serves; 0 = the concurrent inferences. */
  public DecimerModel withMaxBatch(int n) {
    return new DecimerModel(location, cacheRoot, storage, intraOpThreads, interOpThreads,
        maxPixels, manifestSha256, decoder, n);
  }

  public DecoderKind decoder() {
    return decoder;
  }

  public String manifestSha256() {
    return manifestSha256;
  }

  /**
   * In the launcher: a remote ({@code azfs://}) model pinned to the manifest it has now, so
   * every worker verifies it loads that same model; any other location is returned as it is.
   */
  public DecimerModel pinnedRemote() throws IOException {
    StoredModels models = new StoredModels(storage);
    if (!models.handles(location) || !manifestSha256.isEmpty()) {
      return this;
    }
    return withManifestSha256(new ModelStore(ModelStore.defaultCacheRoot(), models)
        .remoteManifestSha256(location));
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
    if (decoder == DecoderKind.FULL) {
      return new EngineSettings(intraOpThreads,
          interOpThreads == 0 ? concurrentInferences : interOpThreads, maxPixels, decoder,
          maxBatch == BATCH_OF_CONCURRENT_INFERENCES ? concurrentInferences : maxBatch);
    }
    int loops = EngineSettings.decoderLoopsFor(cores, concurrentInferences);
    int interOp = interOpThreads != 0 ? interOpThreads
        : Math.min(concurrentInferences, cores + loops);
    int rows = maxBatch != BATCH_OF_CONCURRENT_INFERENCES ? maxBatch
        : (concurrentInferences + loops - 1) / loops;
    return new EngineSettings(intraOpThreads, interOp, maxPixels, decoder, rows, loops);
  }

  @Override
  public String sharingKey(int concurrentInferences) {
    return "decimer|" + location + "|" + manifestSha256 + "|" + cacheRoot + "|"
        + engineSettings(concurrentInferences);
  }

  @Override
  public int imagesInFlightPerCore() {
    return decoder == DecoderKind.CACHED ? CACHED_IMAGES_PER_CORE : 1;
  }

  @Override
  public String identity() {
    return "decimer:" + location;
  }

  @Override
  public Recognizer create(int concurrentInferences) throws IOException {
    Path cache = cacheRoot.isEmpty() ? ModelStore.defaultCacheRoot() : Path.of(cacheRoot);
    ModelStore store = new ModelStore(cache, new StoredModels(storage));
    return DecimerEngine.load(store.resolveForDecoder(location, manifestSha256, decoder),
        engineSettings(concurrentInferences));
  }

  @Override
  public String describe() {
    return "DECIMER model " + location + " (intra-op threads " + intraOpThreads
        + ", inter-op threads " + (interOpThreads != 0 ? String.valueOf(interOpThreads)
            : decoder == DecoderKind.CACHED ? "one per core + one per decoding loop"
            : "one per inference")
        + ", max pixels " + maxPixels + ", " + decoder.cliName() + " decoder"
        + (decoder == DecoderKind.CACHED ? " (a loop per two cores, batch " + (maxBatch == 0
            ? "= its share of the concurrent inferences" : String.valueOf(maxBatch)) + ")" : "")
        + (manifestSha256.isEmpty() ? "" : ", manifest sha256 " + manifestSha256) + ")";
  }
}
