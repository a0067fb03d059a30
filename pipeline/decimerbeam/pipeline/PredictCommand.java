package decimerbeam.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.inference.DecimerEngine;
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
import java.util.Locale;

/**
 * {@code predict IMAGE...}: prints each image's SMILES and mean confidence, like DECIMER's
 * {@code predict_SMILES}; {@code --json} prints one JSON object per line instead.
 */
final class PredictCommand {

  private PredictCommand() {}

  static int run(String[] args) throws IOException {
    CommandLine cl = CommandLine.parse(args, "json", "verbose");
    cl.rejectUnknown("json", "verbose", "model", "cache", "intraOpThreads", "interOpThreads",
        "maxImageBytes", "maxPixels");
    if (cl.positional.isEmpty()) {
      System.err.println("usage: predict [--json] [--verbose] [--model=ID|DIR]"
          + " [--maxImageBytes=N] [--maxPixels=N] IMAGE...");
      return 2;
    }
    boolean json = cl.flags.containsKey("json");
    NativeLogging.configure(cl.flags.containsKey("verbose"));
    ModelStore store = new ModelStore(
        Path.of(cl.get("cache", ModelStore.defaultCacheRoot().toString())),
        new StoredModels(AzureAccess.fromEnvironment()));
    EngineSettings settings = new EngineSettings(
        Integer.parseInt(cl.get("intraOpThreads", "0")),
        Integer.parseInt(cl.get("interOpThreads", "0")),
        Long.parseLong(cl.get("maxPixels", String.valueOf(EngineSettings.DEFAULT_MAX_PIXELS))));
    long maxImageBytes = Long.parseLong(cl.get("maxImageBytes",
        String.valueOf(RecognizeImages.DEFAULT_MAX_IMAGE_BYTES)));
    ObjectMapper mapper = new ObjectMapper();
    int failures = 0;
    try (DecimerEngine engine = DecimerEngine.load(store.resolve(cl.get("model", null)), settings)) {
      for (String image : cl.positional) {
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
          if (!json) {
            System.out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", image, r.smiles(), r.meanConfidence());
          }
        } catch (RecognitionException e) {
          failures++;
          row.put("errorKind", e.kind().name()).put("error", e.getMessage());
          if (!json) {
            System.out.printf(Locale.ROOT, "%s\tERROR %s: %s%n", image, e.kind(), e.getMessage());
          }
        } catch (IOException e) {
          failures++;
          row.put("errorKind", RecognitionException.Kind.READ_ERROR.name())
              .put("error", e.toString());
          if (!json) {
            System.out.printf(Locale.ROOT, "%s\tERROR READ_ERROR: %s%n", image, e);
          }
        }
        if (json) {
          System.out.println(mapper.writeValueAsString(row));
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }
}
