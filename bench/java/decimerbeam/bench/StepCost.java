package decimerbeam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.PreparedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What one cached-decoder step costs at each batch size: per size an engine with that
 * {@code maxBatch}, that many copies of one image recognised at once (they decode in lockstep),
 * and the loop's own step timer. One JSON line per size.
 *
 * <pre>StepCost SIZES INTRA_OP IMAGE</pre>
 */
public final class StepCost {

  private StepCost() {}

  public static void main(String[] args) throws Exception {
    byte[] image = Files.readAllBytes(Path.of(args[2]));
    PreparedModel model = new ModelStore(ModelStore.defaultCacheRoot()).resolve(null);
    ObjectMapper json = new ObjectMapper();
    for (String size : args[0].split(",")) {
      int batch = Integer.parseInt(size);
      EngineSettings settings = new EngineSettings(Integer.parseInt(args[1]), batch + 1,
          EngineSettings.DEFAULT_MAX_PIXELS, DecoderKind.CACHED, batch);
      try (DecimerEngine engine = DecimerEngine.load(model, settings)) {
        engine.recognize(image); // warm-up
        DecimerEngine.DecoderStats before = engine.decoderStats();
        EngineLoop.run(engine, java.util.Collections.nCopies(batch, "x"),
            java.util.Collections.nCopies(batch, image), batch);
        DecimerEngine.DecoderStats after = engine.decoderStats();
        long steps = after.steps() - before.steps();
        long rows = after.rowSteps() - before.rowSteps();
        double ms = (after.stepNanos() - before.stepNanos()) / 1e6;
        var row = json.createObjectNode().put("batch", batch).put("steps", steps)
            .put("imageSteps", rows)
            .put("msPerStep", Math.round(ms / steps * 100) / 100.0)
            .put("msPerImageStep", Math.round(ms / rows * 100) / 100.0);
        System.out.println(json.writeValueAsString(row));
        System.err.printf(Locale.ROOT, "batch %d: %.2f ms per step, %.2f ms per image-step%n",
            batch, ms / steps, ms / rows);
      }
    }
  }
}
