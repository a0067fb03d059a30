package decimerbeam.pipeline;

import decimerbeam.inference.ModelStore;
import java.io.IOException;
import java.nio.file.Path;

/** {@code prepare-model}: fetches and prepares a model into the cache, then verifies it. */
final class PrepareModelCommand {

  private PrepareModelCommand() {}

  static int run(String[] args) throws IOException {
    CommandLine cl = CommandLine.parse(args);
    cl.rejectUnknown("model", "cache", "source", "sha256");
    ModelStore store = new ModelStore(
        Path.of(cl.get("cache", ModelStore.defaultCacheRoot().toString())));
    String model = cl.get("model", ModelStore.PRINTED);
    if (!ModelStore.MODEL_IDS.contains(model)) {
      System.err.println("--model must be one of " + ModelStore.MODEL_IDS);
      return 2;
    }
    Path dir = store.prepare(model, cl.get("source", "auto"), cl.get("sha256", ""));
    System.out.println(ModelStore.open(dir, model).root());
    return 0;
  }
}
