package decimerbeam.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws test structures with CDK and writes truth.csv beside them:
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=decimerbeam.tools.GenerateImages \
 *   -Dexec.args="--smiles=FILE[,FILE] --count=N --out=DIR [--seed=N]"
 * </pre>
 */
public final class GenerateImages {

  private GenerateImages() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new TreeMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        usage("not an option: " + a);
      }
      flags.put(a.substring(2, eq), a.substring(eq + 1));
    }
    if (!flags.containsKey("smiles") || !flags.containsKey("out")
        || !List.of("count", "out", "seed", "smiles").containsAll(flags.keySet())) {
      usage("options: " + flags.keySet());
    }
    List<String> smiles = new ArrayList<>();
    for (String f : flags.get("smiles").split(",")) {
      smiles.addAll(StructureImageGenerator.readSmiles(Path.of(f)));
    }
    Path out = Path.of(flags.get("out"));
    var drawings = new StructureImageGenerator(Long.parseLong(flags.getOrDefault("seed", "42")))
        .generate(smiles, Integer.parseInt(flags.getOrDefault("count", "100")), out);
    System.out.println("wrote " + drawings.size() + " images and truth.csv to " + out);
  }

  private static void usage(String problem) {
    System.err.println(problem + "\nusage: GenerateImages --smiles=FILE[,FILE] --count=N "
        + "--out=DIR [--seed=N]");
    System.exit(2);
  }
}
