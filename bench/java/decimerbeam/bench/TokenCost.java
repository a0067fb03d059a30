package decimerbeam.bench;

import decimerbeam.inference.DecimerEngine;
import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.inference.PreparedModel;
import decimerbeam.inference.Recognition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seconds per image against its token count, full decoder against cached, each image alone
 * (one at a time, one TensorFlow thread per op, the cached decoder stepping one row): how an
 * image's cost grows with the length of its SMILES. Every {@code EVERY}-th image of the
 * directories, sorted by name; prints a Markdown table by token-count band.
 *
 * <pre>TokenCost EVERY DIR...</pre>
 */
public final class TokenCost {

  private TokenCost() {}

  private static final int[] BANDS = {20, 40, 60, 80, 120, 302};

  public static void main(String[] args) throws Exception {
    int every = Integer.parseInt(args[0]);
    List<Path> images = BenchImages.in(List.of(args).subList(1, args.length));
    List<byte[]> picked = new ArrayList<>();
    for (int i = 0; i < images.size(); i += every) {
      picked.add(Files.readAllBytes(images.get(i)));
    }
    PreparedModel model = new ModelStore(ModelStore.defaultCacheRoot()).resolve(null);
    int n = picked.size();
    int[] tokens = new int[n];
    double[][] seconds = new double[2][n];
    DecoderKind[] kinds = {DecoderKind.FULL, DecoderKind.CACHED};
    for (int k = 0; k < kinds.length; k++) {
      EngineSettings settings = new EngineSettings(1, 1, EngineSettings.DEFAULT_MAX_PIXELS,
          kinds[k], 1);
      try (DecimerEngine engine = DecimerEngine.load(model, settings)) {
        engine.recognize(picked.get(0)); // warm-up
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          Recognition r = engine.recognize(picked.get(i));
          seconds[k][i] = (System.nanoTime() - t0) / 1e9;
          tokens[i] = r.tokenCount();
        }
      }
    }
    System.out.println("| tokens | images | s / image, full | s / image, cached | full ÷ cached |");
    System.out.println("|---|---|---|---|---|");
    int low = 0;
    for (int high : BANDS) {
      int count = 0;
      double full = 0;
      double cached = 0;
      for (int i = 0; i < n; i++) {
        if (tokens[i] > low && tokens[i] <= high) {
          count++;
          full += seconds[0][i];
          cached += seconds[1][i];
        }
      }
      if (count > 0) {
        System.out.printf(Locale.ROOT, "| %d–%d | %d | %.2f | %.2f | %.1f× |%n", low + 1, high,
            count, full / count, cached / count, full / cached);
      }
      low = high;
    }
  }
}
