package decimerbeam.inference;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the prepared model to use. A model id resolves to {@code <cache>/models/<id>}, prepared
 * on first use by {@code tools/prepare_model.py} (shipped inside the jar); a directory is used as
 * it is. Either way the manifest's checksums are verified before the model is handed out.
 */
public final class ModelStore {

  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
  public static final String PRINTED = "decimer-2.8-printed";
  public static final String HANDDRAWN = "decimer-2.8-handdrawn";
  public static final Set<String> MODEL_IDS = Set.of(PRINTED, HANDDRAWN);

  /**
   * SHA-256 of the published files each offered model is prepared from (the same pins as
   * {@code tools/prepare_model.py}). {@value #HANDDRAWN} has none: its only source publishes no
   * checksum this project could pin, so it is prepared only from an archive whose SHA-256 the
   * user gives.
   */
  public static final Map<String, Map<String, String>> PINNED_ORIGINALS = Map.of(PRINTED, Map.of(
      "saved_model.pb", "d1a6e61de631e09cb347ddb47d4519732e2d000365b4f2318e5e8a1d403f9055",
      "variables/variables.data-00000-of-00001",
      "fa16b7e712c18af64a5930240a75ca34c8dec163f5407376b9a5300ebbda38eb",
      "variables/variables.index",
      "1793a178fe88af3f49bb2683f84560d5bfb79c871402fdc93b08c741051dfede",
      "assets/tokenizer_SMILES.pkl",
      "c1d579f958146bb1a948320dad92f0eecf4a51001ec9dec1f48767c7b681b43c"));
  static final String PREPARE_SCRIPT = "/decimerbeam/tools/prepare_model.py";
  /** The module the preparation script imports to build the cached decoder. */
  static final String CACHED_DECODER_SCRIPT = "/decimerbeam/tools/cached_decoder.py";

  private final Path cacheRoot;
  private final RemoteModels remote;

  public ModelStore(Path cacheRoot) {
    this(cacheRoot, RemoteModels.NONE);
  }

  public ModelStore(Path cacheRoot, RemoteModels remote) {
    this.cacheRoot = cacheRoot.toAbsolutePath();
    this.remote = remote;
  }

  /** {@code $DECIMER_BEAM_CACHE}, else {@code $XDG_CACHE_HOME/decimer-beam}, else ~/.cache. */
  public static Path defaultCacheRoot() {
    String env = System.getenv("DECIMER_BEAM_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("decimer-beam");
  }

  public Path cacheRoot() {
    return cacheRoot;
  }

  /**
   * A model id ({@value #PRINTED}, {@value #HANDDRAWN}), a local directory holding a prepared
   * model, or a remote one the {@link RemoteModels} handles (copied to the cache). Ids are
   * prepared on first use.
   */
  public PreparedModel resolve(String location) throws IOException {
    return resolve(location, "");
  }

  /**
   * The SHA-256 of the manifest a remote model has now: what a launcher pins so that every
   * worker loads the same model ({@link #resolve(String, String)}).
   */
  public String remoteManifestSha256(String location) throws IOException {
    if (!remote.handles(location)) {
      throw new IOException(location + " is not a remote model location");
    }
    return ModelManifest.sha256Hex(remote.readManifest(location));
  }

  /**
   * As {@link #resolve(String)}; when {@code manifestSha256} is not empty (pinned by the
   * launcher), the model used must have a manifest with exactly that SHA-256, or this fails
   * naming both: a remote model that changed after launch is never loaded.
   */
  public PreparedModel resolve(String location, String manifestSha256) throws IOException {
    PreparedModel model = resolveUnpinned(location, manifestSha256);
    if (!manifestSha256.isEmpty()) {
      String got = ModelManifest.sha256(model.manifest());
      if (!got.equals(manifestSha256)) {
        throw new IOException("model " + location + " is not the one the job was launched with:"
            + " the launcher pinned manifest sha256 " + manifestSha256 + ", this worker has "
            + got + " (" + model.root() + "). The model changed after launch; launch the job"
            + " again (every worker must use the same model).");
      }
    }
    return model;
  }

  /**
   * As {@link #resolve(String, String)} for the cached decoder: a model id in the cache that was
   * prepared before the cached decoder existed gets it added first (from the same weights, by
   * the preparation script). Any other location must already have it; the engine says what to
   * run when it does not.
   */
  public PreparedModel resolveForDecoder(String location, String manifestSha256,
      DecoderKind decoder) throws IOException {
    String id = location == null || location.isBlank() ? PRINTED : location;
    if (decoder == DecoderKind.CACHED && MODEL_IDS.contains(id)) {
      Path dir = cacheRoot.resolve("models").resolve(id);
      if (Files.isRegularFile(dir.resolve(PreparedModel.MANIFEST))
          && !ModelManifest.hasCachedDecoder(dir)) {
        LOG.info("Model {} in {} has no cached decoder yet; adding it (one time)", id, dir);
        prepare(id, "auto");
      }
    }
    return resolve(location, manifestSha256);
  }

  private PreparedModel resolveUnpinned(String location, String manifestSha256)
      throws IOException {
    if (location == null || location.isBlank()) {
      location = PRINTED;
    }
    if (MODEL_IDS.contains(location)) {
      Path dir = cacheRoot.resolve("models").resolve(location);
      if (!Files.isRegularFile(dir.resolve(PreparedModel.MANIFEST))) {
        prepare(location, "auto");
      }
      return open(dir, location);
    }
    if (remote.handles(location)) {
      return open(copyRemote(location, manifestSha256));
    }
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new IOException("model location " + location + " is neither a model id "
          + MODEL_IDS + " nor a directory");
    }
    return open(dir);
  }

  /**
   * Copies a remote prepared model into {@code <cache>/models/remote-<hash>} once: under a file
   * lock, into a temporary directory renamed when complete. A copy whose manifest no longer
   * verifies is replaced.
   */
  private Path copyRemote(String location, String manifestSha256) throws IOException {
    Path models = Files.createDirectories(cacheRoot.resolve("models"));
    // A pinned copy has its own folder, so jobs pinned to different versions never swap it.
    String key = manifestSha256.isEmpty() ? location : location + "|" + manifestSha256;
    String id = "remote-" + ModelManifest.sha256Hex(key.getBytes(StandardCharsets.UTF_8))
        .substring(0, 16);
    Path target = models.resolve(id);
    try (FileChannel ch = FileChannel.open(models.resolve("." + id + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      if (Files.isRegularFile(target.resolve(PreparedModel.MANIFEST))) {
        try {
          ModelManifest.verify(target);
          if (manifestSha256.isEmpty()
              || ModelManifest.sha256(target.resolve(PreparedModel.MANIFEST))
                  .equals(manifestSha256)) {
            return target;
          }
          throw new IOException("its manifest is not the pinned one " + manifestSha256);
        } catch (IOException stale) {
          LOG.warn("Cached copy of {} is damaged ({}); copying it again", location,
              stale.getMessage());
          deleteTree(target);
        }
      }
      Path tmp = Files.createTempDirectory(models, "." + id + ".tmp-");
      try {
        LOG.info("Copying model {} to {}", location, target);
        remote.copyTo(location, tmp);
        ModelManifest.verify(tmp);
        String got = ModelManifest.sha256(tmp.resolve(PreparedModel.MANIFEST));
        if (!manifestSha256.isEmpty() && !got.equals(manifestSha256)) {
          throw new IOException("model " + location + " is not the one the job was launched"
              + " with: the launcher pinned manifest sha256 " + manifestSha256 + ", the copy"
              + " this worker made now has " + got + ". The model changed after launch; launch"
              + " the job again (every worker must use the same model).");
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        if (Files.exists(tmp)) {
          deleteTree(tmp);
        }
      }
      return target;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Verifies a prepared model directory against its manifest. */
  public static PreparedModel open(Path dir) throws IOException {
    return open(dir, null);
  }

  /**
   * Verifies a prepared model directory against its manifest and, when {@code requestedId} is
   * not null, that it is that model; a model id this project offers must also come from the
   * pinned originals ({@link #PINNED_ORIGINALS}).
   */
  public static PreparedModel open(Path dir, String requestedId) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    long start = System.nanoTime();
    String id = ModelManifest.verify(root, requestedId);
    LOG.info("Verified model {} in {} ({} ms)", id, root, (System.nanoTime() - start) / 1_000_000);
    return new PreparedModel(id, root);
  }

  /**
   * Runs the preparation script (download, checksum, re-export with a serving signature). Its
   * progress goes to this process's stderr.
   */
  public Path prepare(String modelId, String source) throws IOException {
    return prepare(modelId, source, "");
  }

  /**
   * As {@link #prepare(String, String)}, insisting the archive has SHA-256 {@code archiveSha256}
   * ("" = none given). A model without checksums pinned by this project
   * ({@value #HANDDRAWN}) is refused without one.
   */
  public Path prepare(String modelId, String source, String archiveSha256) throws IOException {
    Path scripts = Files.createTempDirectory("decimer-beam-prepare-");
    Path script = scripts.resolve("prepare_model.py");
    try {
      for (String resource : List.of(PREPARE_SCRIPT, CACHED_DECODER_SCRIPT)) {
        try (InputStream in = ModelStore.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IOException("preparation script " + resource + " is not on the classpath");
          }
          Files.copy(in, scripts.resolve(resource.substring(resource.lastIndexOf('/') + 1)),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
      String python = System.getenv().getOrDefault("DECIMER_BEAM_PYTHON", "python3");
      List<String> cmd = new java.util.ArrayList<>(List.of(python, script.toString(), "--model",
          modelId, "--cache", cacheRoot.toString(), "--source", source));
      if (!archiveSha256.isEmpty()) {
        cmd.addAll(List.of("--sha256", archiveSha256));
      }
      LOG.info("Model {} is not prepared in {}; preparing it now (one time)", modelId, cacheRoot);
      // The script's progress goes to this JVM's log, never to its raw streams (a test
      // runner's channel); its stdin is empty so nothing can wait on or alter ours.
      Process p = new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true).start();
      Deque<String> tail = new ArrayDeque<>();
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          LOG.info("{}", line);
          tail.addLast(line);
          if (tail.size() > 20) {
            tail.removeFirst();
          }
        }
      }
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException("preparing model " + modelId + " failed (exit " + rc + "):\n"
            + String.join("\n", tail) + "\nTo prepare by hand: " + python
            + " tools/prepare_model.py --model " + modelId + " --cache " + cacheRoot
            + (PINNED_ORIGINALS.containsKey(modelId) ? "" : " --sha256 <archive SHA-256>"));
      }
      return cacheRoot.resolve("models").resolve(modelId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while preparing model " + modelId, e);
    } finally {
      deleteTree(scripts);
    }
  }
}
