package decimerbeam.pipeline;

import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import decimerbeam.transforms.CountDirectoryImages;
import decimerbeam.transforms.DirectoryOutcome;
import decimerbeam.transforms.ExpandDirectories;
import decimerbeam.transforms.ImageRef;
import decimerbeam.transforms.RecognizeImages;
import decimerbeam.transforms.Settings;
import decimerbeam.transforms.SummarizeRun;
import decimerbeam.transforms.WriteDirectoryResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The recognition pipeline:
 *
 * <ol>
 *   <li>Expand directories: discover directories under each input, skip finished ones, list the
 *       rest on the workers, spread the image files;
 *   <li>Recognize: one shared model per worker JVM, RAM-bounded concurrency, one row per image;
 *   <li>Write directory results: group rows per directory, write results.jsonl and summary.json;
 *   <li>Summarize run: directories and images done, rate, wall time.
 * </ol>
 */
public final class DecimerPipeline {

  private DecimerPipeline() {}

  /** Checks option combinations; throws IllegalArgumentException naming the options. */
  static void validate(DecimerOptions o, List<String> inputs) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("give --input=<dir>[,<dir>...] or --inputList=<file>");
    }
    if (!o.getDryRun() && (o.getOutput() == null || o.getOutput().isBlank())) {
      throw new IllegalArgumentException("--output is required (unless --dryRun)");
    }
    if (o.getReprocess() && o.getRetryFailures()) {
      throw new IllegalArgumentException("--reprocess and --retryFailures exclude each other");
    }
    if (o.getMemoryFraction() <= 0 || o.getMemoryFraction() > 1) {
      throw new IllegalArgumentException("--memoryFraction must be in (0, 1]");
    }
    if (o.getImageTimeout() <= 0) {
      throw new IllegalArgumentException("--imageTimeout must be > 0 seconds");
    }
    // Results go to <output>/<input name>/...: two inputs with one name would share a folder.
    Map<String, String> byName = new HashMap<>();
    for (String input : inputs) {
      if (!input.contains("*") && !input.contains("?")) {
        String name = Location.directory(input).name();
        String other = byName.putIfAbsent(name, input);
        if (other != null && !other.equals(input)) {
          throw new IllegalArgumentException("inputs " + other + " and " + input
              + " would both write their results under <output>/" + name
              + "/: run them separately, with different --output roots");
        }
      }
    }
  }

  static List<String> inputs(DecimerOptions o) throws IOException {
    List<String> all = new ArrayList<>();
    if (o.getInput() != null) {
      for (String s : o.getInput()) {
        if (!s.isBlank()) {
          all.add(s.strip());
        }
      }
    }
    if (o.getInputList() != null && !o.getInputList().isBlank()) {
      for (String line : Files.readAllLines(Path.of(o.getInputList()))) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          all.add(l);
        }
      }
    }
    return all;
  }

  public static Settings settings(DecimerOptions o) {
    AzureAccess azure = new AzureAccess(o.getAzureConnectionString(), o.getAzureAccountName(),
        o.getAzureAccountKey(), o.getAzureSasToken(), o.getAzureBlobEndpoint(),
        o.getAzureMaxTries());
    String output = o.getOutput() == null || o.getOutput().isBlank() ? "dry-run/" : o.getOutput();
    return new Settings(azure, Location.directory(output), o.getReprocess(),
        o.getRetryFailures(), o.getModel(), o.getModelCache(), o.getIntraOpThreads(),
        o.getInterOpThreads(), o.getMaxPixels(), o.getMemoryFraction(),
        o.getMaxConcurrentInferences(), o.getImageTimeout(), o.getListingParallelism());
  }

  /** Builds (does not run) the pipeline. */
  public static Pipeline build(DecimerOptions o, long startMillis) throws IOException {
    List<String> inputs = inputs(o);
    validate(o, inputs);
    Settings settings = settings(o);
    Pipeline p = Pipeline.create(o);

    PCollectionTuple expanded = p.apply("Expand directories",
        new ExpandDirectories(inputs, settings));
    PCollection<ImageRef> files = expanded.get(ExpandDirectories.files());
    if (o.getDryRun()) {
      files.apply("Count images", new CountDirectoryImages());
      return p;
    }
    PCollection<DirectoryOutcome> written = files
        .apply("Recognize images", new RecognizeImages(settings))
        .apply("Write directory results", new WriteDirectoryResults(settings));
    PCollectionList.of(written).and(expanded.get(ExpandDirectories.outcomes()))
        .apply("All outcomes", Flatten.pCollections())
        .apply("Summarize run", new SummarizeRun(settings, startMillis));
    return p;
  }
}
