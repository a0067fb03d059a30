package decimerbeam.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.NativeLogging;
import decimerbeam.inference.Recognition;
import decimerbeam.inference.RecognitionException;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.StoredModels;
import decimerbeam.transforms.RecognizeImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code predict IMAGE...}: prints each image's SMILES and mean confidence, like DECIMER's
 * {@code predict_SMILES}; {@code --json} prints one JSON object per line instead. Up to
 * {@code --concurrentImages} images (default 1) are recognised at once, their cached-decoder
 * steps sharing batches of {@code --maxBatch} rows (default: the concurrent images); rows are
 * printed in the order given.
 */
final class PredictCommand {

  /**
   * One per core, unlike the pipeline's
   * {@link decimerbeam.worker.DecimerModel#DEFAULT_INTRA_OP_THREADS}: predict
   * reads one image at a time by default, so its ops have the cores to themselves.
   */
  static final int DEFAULT_INTRA_OP_THREADS = 0;

  private PredictCommand() {}

  static int run(String[] args) throws IOException {
    CommandLine cl = CommandLine.parse(args, "json", "verbose");
    cl.rejectUnknown("json", "verbose", "model", "cache", "intraOpThreads", "interOpThreads",
        "maxImageBytes", "maxPixels", "decoder", "maxBatch", "concurrentImages");
    if (cl.positional.isEmpty()) {
      System.err.println("usage: predict [--json] [--verbose] [--model=ID|DIR]"
          + " [--decoder=full|cached] [--maxBatch=N] [--concurrentImages=N]"
          + " [--maxImageBytes=N] [--maxPixels=N] IMAGE...");
      return 2;
    }
    boolean json = cl.flags.containsKey("json");
    NativeLogging.configure(cl.flags.containsKey("verbose"));
    ModelStore store = new ModelStore(
        Path.of(cl.get("cache", ModelStore.defaultCacheRoot().toString())),
        new StoredModels(AzureAccess.fromEnvironment()));
    EngineSettings settings = new EngineSettings(
        Integer.parseInt(cl.get("intraOpThreads", String.valueOf(DEFAULT_INTRA_OP_THREADS))),
        Integer.parseInt(cl.get("interOpThreads", "0")),
        Long.parseLong(cl.get("maxPixels", String.valueOf(EngineSettings.DEFAULT_MAX_PIXELS))),
        DecoderKind.parse(cl.get("decoder", EngineSettings.DEFAULT_DECODER.cliName())),
        Integer.parseInt(cl.get("maxBatch", cl.get("concurrentImages", "1"))));
    // One image at a time unless asked: images in flight here are not admitted by their
    // estimated memory as the pipeline's are, and a few huge ones at once exhaust the heap.
    int concurrent = Integer.parseInt(cl.get("concurrentImages", "1"));
    if (concurrent < 1) {
      System.err.println("--concurrentImages must be >= 1");
      return 2;
    }
    long maxImageBytes = Long.parseLong(cl.get("maxImageBytes",
        String.valueOf(RecognizeImages.DEFAULT_MAX_IMAGE_BYTES)));
    ObjectMapper mapper = new ObjectMapper();
    int failures = 0;
    ExecutorService pool = Executors.newFixedThreadPool(concurrent, r -> {
      Thread t = new Thread(r, "predict");
      t.setDaemon(true);
      return t;
    });
    try (DecimerEngine engine = DecimerEngine.load(
        store.resolveForDecoder(cl.get("model", null), "", settings.decoder()), settings)) {
      List<Future<ObjectNode>> rows = new ArrayList<>();
      for (String image : cl.positional) {
        rows.add(pool.submit(() -> predict(engine, image, maxImageBytes, mapper)));
      }
      for (Future<ObjectNode> f : rows) {
        ObjectNode row = f.get();
        boolean ok = row.has("smiles");
        failures += ok ? 0 : 1;
        if (json) {
          System.out.println(mapper.writeValueAsString(row));
        } else if (ok) {
          System.out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", row.get("image").asText(),
              row.get("smiles").asText(), row.get("meanConfidence").asDouble());
        } else {
          System.out.printf(Locale.ROOT, "%s\tERROR %s: %s%n", row.get("image").asText(),
              row.get("errorKind").asText(), row.get("error").asText());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException("predict failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return failures == 0 ? 0 : 1;
  }

  private static ObjectNode predict(DecimerEngine engine, String image, long maxImageBytes,
      ObjectMapper mapper) {
    ObjectNode row = mapper.createObjectNode().put("image", image);
    try {
      long size = Files.size(Path.of(image));
      if (size > maxImageBytes) {
        throw new RecognitionException(RecognitionException.Kind.TOO_LARGE, "file of "
            + size + " bytes exceeds --maxImageBytes=" + maxImageBytes + "; not read");
      }
      Recognition r = engine.recognize(Files.readAllBytes(Path.of(image)));
      row.put("smiles", r.smiles()).put("meanConfidence", r.meanConfidence())
          .put("minConfidence", r.minConfidence()).put("tokens", r.tokenCount())
          .put("truncated", r.truncated())
          .put("millis", r.preprocessMillis() + r.inferenceMillis());
    } catch (RecognitionException e) {
      row.put("errorKind", e.kind().name()).put("error", e.getMessage());
    } catch (IOException e) {
      row.put("errorKind", RecognitionException.Kind.READ_ERROR.name())
          .put("error", e.toString());
    }
    return row;
  }
}
