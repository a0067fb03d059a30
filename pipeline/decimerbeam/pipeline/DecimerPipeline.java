package decimerbeam.pipeline;

import decimerbeam.inference.DecoderKind;
import decimerbeam.inference.InferenceCapacity;
import decimerbeam.inference.Structures;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.results.ResultFormat;
import decimerbeam.results.RowStaging;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.Location;
import decimerbeam.storage.StorageRetry;
import decimerbeam.transforms.ExpandDirectories;
import decimerbeam.transforms.RecognizeImages;
import decimerbeam.transforms.SummarizeRun;
import decimerbeam.transforms.WriteDirectoryResults;
import decimerbeam.work.RunIdentity;
import decimerbeam.worker.DecimerModel;
import decimerbeam.worker.RecognizerFactory;
import decimerbeam.worker.SecondReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
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
 *   <li>Recognize: one shared model per worker JVM, RAM-bounded concurrency, one row per image,
 *       staged as it comes (a directory whose staged rows cover its listing is finished then);
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
    if (!(o.getMemoryFraction() > 0 && o.getMemoryFraction() <= 1)) {
      throw new IllegalArgumentException("--memoryFraction must be in (0, 1]");
    }
    if (o.getMaxImageBytes() <= 0) {
      throw new IllegalArgumentException("--maxImageBytes must be > 0");
    }
    if (o.getWorkersPerHost() < 1) {
      throw new IllegalArgumentException("--workersPerHost must be >= 1");
    }
    if (!(o.getMemoryExitFraction() >= o.getMemoryFraction() && o.getMemoryExitFraction() <= 1)) {
      throw new IllegalArgumentException(
          "--memoryExitFraction must be in [--memoryFraction, 1]");
    }
    if (o.getCheckpointInterval() <= 0) {
      throw new IllegalArgumentException("--checkpointInterval must be > 0 seconds");
    }
    if (o.getImageTimeout() <= 0) {
      throw new IllegalArgumentException("--imageTimeout must be > 0 seconds");
    }
    storageRetry(o);
    AzureAccess access = azureAccess(o);
    for (String input : inputs) {
      AccountCheck.require(access, "--input", input);
    }
    if (o.getOutput() != null && !o.getOutput().isBlank()) {
      AccountCheck.require(access, "--output", o.getOutput());
    }
    // Inputs that match nothing or would share output folders are refused by ExpandDirectories
    // when the pipeline is built (InputRoots), before any work starts.
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

  /** How the run reaches Azure Blob Storage, from the options (secrets default to env vars). */
  public static AzureAccess azureAccess(DecimerOptions o) {
    return new AzureAccess(o.getAzureConnectionString(), o.getAzureAccountName(),
        o.getAzureAccountKey(), o.getAzureSasToken(), o.getAzureBlobEndpoint(), storageRetry(o));
  }

  /** How storage calls ride out transient failures, from the --storageRetry* options. */
  static StorageRetry storageRetry(DecimerOptions o) {
    try {
      return new StorageRetry(Duration.ofSeconds(o.getStorageRetryWindow()),
          Duration.ofMillis(o.getStorageRetryInitialDelayMs()),
          Duration.ofSeconds(o.getStorageRetryMaxDelay()),
          Duration.ofSeconds(o.getStorageTryTimeout()), o.getAzureMaxTries());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--storageRetry*/--storageTryTimeout/--azureMaxTries: "
          + e.getMessage(), e);
    }
  }

  /**
   * The DECIMER model the options name, as the pipeline's recognizer. A remote model is pinned
   * here, in the launcher, to the SHA-256 of the manifest it has now; every worker verifies it.
   */
  public static DecimerModel decimerModel(DecimerOptions o) throws IOException {
    AccountCheck.require(azureAccess(o), "--model", o.getModel());
    return DecimerModel.at(o.getModel()).withCacheRoot(o.getModelCache())
        .withStorage(azureAccess(o)).withIntraOpThreads(o.getIntraOpThreads())
        .withInterOpThreads(o.getInterOpThreads()).withMaxPixels(o.getMaxPixels())
        .withDecoder(DecoderKind.parse(o.getDecoder())).withMaxBatch(o.getMaxBatch())
        .pinnedRemote();
  }

  /**
   * The images each worker JVM on this host keeps in flight with these options and this
   * recognizer: the permits of its inference gate, as a worker computes them.
   */
  public static InferenceCapacity capacityHere(DecimerOptions o, RecognizerFactory recognizer) {
    return InferenceCapacity.forThisHost(o.getMemoryFraction(), o.getMaxConcurrentInferences(),
        o.getWorkersPerHost(), recognizer.imagesInFlightPerCore());
  }

  /**
   * On the DirectRunner every image in flight holds one of its threads while it is recognised,
   * so it gets at least one thread per permit, one per thread of the second reader's pool (an
   * image in its second reading holds its thread but has given back its permit, which another
   * image's thread can then take), and one more for the rest of the pipeline; a larger
   * --targetParallelism is kept. (On Flink the task slots are those threads.)
   */
  static void threadsForImagesInFlight(DecimerOptions o, RecognizerFactory recognizer) {
    if (!DirectRunnerOptions.runsOn(o)) {
      return;
    }
    int permits = capacityHere(o, recognizer).permits();
    int secondReadings = SecondReader.parse(o.getSecondOpinion()).threadsPerJvm();
    DirectRunnerOptions.atLeastThreads(o, permits + secondReadings + 1,
        permits + secondReadings);
  }

  /** Builds (does not run) the pipeline with the DECIMER model the options name. */
  public static Pipeline build(DecimerOptions o, long startMillis) throws IOException {
    return build(o, startMillis, decimerModel(o));
  }

  /** Builds (does not run) the pipeline with the given recognizer. */
  public static Pipeline build(DecimerOptions o, long startMillis, RecognizerFactory recognizer)
      throws IOException {
    List<String> inputs = inputs(o);
    validate(o, inputs);
    if (o.getDryRun()) {
      throw new IllegalArgumentException("a dry run builds no pipeline; see RunCommand");
    }
    Structures.requireInchi();
    AzureAccess access = azureAccess(o);
    Location output = Location.directory(o.getOutput());
    RunIdentity run = RunIdentity.start(recognizer.identity());
    Set<ResultFormat> formats = ResultFormat.parse(o.getFormats());
    threadsForImagesInFlight(o, recognizer);
    Pipeline p = Pipeline.create(o);

    ExpandDirectories expand = ExpandDirectories
        .of(inputs, output)
        .withStorage(access)
        .withRun(run)
        .withReprocess(o.getReprocess())
        .withRetryFailures(o.getRetryFailures())
        .withListingParallelism(o.getListingParallelism())
        .withFormats(formats);
    // On Flink a directory's images go to every subtask, one image in flight per slot.
    OptionalInt flinkWorkers = FlinkWorkers.ofBatchJob(o);
    if (flinkWorkers.isPresent()) {
      expand = expand.withWorkers(flinkWorkers.getAsInt(), new FlinkKeyPlacement());
    }
    PCollectionTuple expanded = p.apply("Expand directories", expand);
    PCollection<DirectoryOutcome> written = expanded.get(ExpandDirectories.files())
        .apply("Recognize images", RecognizeImages.with(recognizer)
            .withStorage(access)
            .withImageTimeout(Duration.ofSeconds(o.getImageTimeout()))
            .withMemoryFraction(o.getMemoryFraction())
            .withMaxConcurrentInferences(o.getMaxConcurrentInferences())
            .withMaxImageBytes(o.getMaxImageBytes())
            .withWorkersPerHost(o.getWorkersPerHost())
            .withMemoryExitFraction(o.getMemoryExitFraction())
            .withSecondOpinion(SecondReader.parse(o.getSecondOpinion()))
            .withThumbnails(formats.contains(ResultFormat.REVIEW))
            .withStaging(RowStaging.of(run).withStorage(access)
                .withCheckpointInterval(Duration.ofSeconds(o.getCheckpointInterval()))
                .withFormats(formats)))
        .apply("Write directory results", WriteDirectoryResults.of(run).withStorage(access)
            .withFormats(formats).withAcceptUnreadable(o.getAcceptUnreadable()));
    PCollectionList.of(written).and(expanded.get(ExpandDirectories.outcomes()))
        .apply("All outcomes", Flatten.pCollections())
        .apply("Summarize run", SummarizeRun.to(output).withStorage(access)
            .withStartMillis(startMillis)
            .withReport(formats.contains(ResultFormat.REVIEW)));
    return p;
  }
}
