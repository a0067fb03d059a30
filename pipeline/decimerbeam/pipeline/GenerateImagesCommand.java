package decimerbeam.pipeline;

import decimerbeam.tools.StructureImageGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code generate-images}: draws test structures with CDK and writes truth.csv beside them. */
final class GenerateImagesCommand {

  private GenerateImagesCommand() {}

  static int run(String[] args) throws Exception {
    CommandLine cl = CommandLine.parse(args);
    cl.rejectUnknown("smiles", "count", "out", "seed");
    if (!cl.flags.containsKey("smiles") || !cl.flags.containsKey("out")) {
      System.err.println("usage: generate-images --smiles=FILE[,FILE] --count=N --out=DIR [--seed=N]");
      return 2;
    }
    List<String> smiles = new ArrayList<>();
    for (String f : cl.get("smiles", "").split(",")) {
      smiles.addAll(StructureImageGenerator.readSmiles(Path.of(f)));
    }
    var drawings = new StructureImageGenerator(Long.parseLong(cl.get("seed", "42")))
        .generate(smiles, Integer.parseInt(cl.get("count", "100")), Path.of(cl.get("out", "")));
    System.out.println("wrote " + drawings.size() + " images and truth.csv to " + cl.get("out", ""));
    return 0;
  }
}
