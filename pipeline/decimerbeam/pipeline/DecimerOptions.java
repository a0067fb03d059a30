package decimerbeam.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import decimerbeam.inference.EngineSettings;
import decimerbeam.inference.ModelStore;
import decimerbeam.results.RowStaging;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.StorageRetry;
import decimerbeam.transforms.ExpandDirectories;
import decimerbeam.transforms.RecognizeImages;
import decimerbeam.worker.DecimerModel;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the recognition pipeline; every one is listed in README. */
public interface DecimerOptions extends PipelineOptions {

  @OptionGroup("Input and output")
  @Description("Input directories or globs: azfs://<account>/<container>/<prefix>/ or local "
      + "paths, comma-separated. Every directory below each one that holds files is processed.")
  List<String> getInput();

  void setInput(List<String> value);

  @OptionGroup("Input and output")
  @Description("A file with one input directory URI per line (# comments allowed).")
  String getInputList();

  void setInputList(String value);

  @OptionGroup("Input and output")
  @Description("Output root (azfs:// or local), not at or inside an input. Per directory: "
      + "<root>/<path below the input's fixed base>/results.jsonl and summary.json; per run: "
      + "<root>/_run-summary.json.")
  String getOutput();

  void setOutput(String value);

  @OptionGroup("Input and output")
  @Description("List directories and image counts, recognise nothing, write nothing.")
  @Default.Boolean(false)
  boolean getDryRun();

  void setDryRun(boolean value);

  @OptionGroup("Resume and retry")
  @Description("Process directories again even if their summary.json exists.")
  @Default.Boolean(false)
  boolean getReprocess();

  void setReprocess(boolean value);

  @OptionGroup("Resume and retry")
  @Description("For finished directories, redo only the images that failed and rewrite the files.")
  @Default.Boolean(false)
  boolean getRetryFailures();

  void setRetryFailures(boolean value);

  @OptionGroup("Resume and retry")
  @Description("Take an image storage still would not give after its retries (403, archive tier)"
      + " as a final READ_ERROR row, so its directory finishes. Without it such a directory"
      + " stays unfinished (exit code 4) until a run reads the image, or until 3 runs could not.")
  @Default.Boolean(false)
  boolean getAcceptUnreadable();

  void setAcceptUnreadable(boolean value);

  @OptionGroup("Model")
  @Description("Model id (decimer-2.8-printed, decimer-2.8-handdrawn) or a prepared model directory.")
  @Default.String(ModelStore.PRINTED)
  String getModel();

  void setModel(String value);

  @OptionGroup("Model")
  @Description("Model cache root on every worker (default: $DECIMER_BEAM_CACHE or ~/.cache/decimer-beam).")
  @Default.String("")
  String getModelCache();

  void setModelCache(String value);

  @OptionGroup("Memory and time")
  @Description("Share of a worker JVM's part of the host's memory (see --workersPerHost) that"
      + " its inferences may plan on; also the memory watchdog's high-water mark, above which"
      + " no new inference starts until usage falls.")
  @Default.Double(RecognizeImages.DEFAULT_MEMORY_FRACTION)
  double getMemoryFraction();

  void setMemoryFraction(double value);

  @OptionGroup("Memory and time")
  @Description("Worker JVMs on one host (Flink TaskManagers per VM): each budgets RAM / this.")
  @Default.Integer(1)
  int getWorkersPerHost();

  void setWorkersPerHost(int value);

  @OptionGroup("Memory and time")
  @Description("Share of a worker JVM's part of the host's memory at which the memory watchdog"
      + " logs and exits the JVM (status 75) rather than be killed by the system mid-write.")
  @Default.Double(RecognizeImages.DEFAULT_MEMORY_EXIT_FRACTION)
  double getMemoryExitFraction();

  void setMemoryExitFraction(double value);

  @OptionGroup("Memory and time")
  @Description("Files larger than this many bytes are TOO_LARGE rows without being read.")
  @Default.Long(RecognizeImages.DEFAULT_MAX_IMAGE_BYTES)
  long getMaxImageBytes();

  void setMaxImageBytes(long value);

  @OptionGroup("Memory and time")
  @Description("Images in flight per worker JVM; 0 (default) = computed from RAM and cores:"
      + " 4 per core with the cached decoder (its images wait for the shared decoding loop"
      + " part of the time), 1 per core with the full one. On Flink give each TaskManager"
      + " that many task slots (runner-configs/flink do); the DirectRunner gets that many"
      + " threads (and one more) by itself.")
  @Default.Integer(0)
  int getMaxConcurrentInferences();

  void setMaxConcurrentInferences(int value);

  @OptionGroup("Resume and retry")
  @Description("Seconds a recognised row may wait in memory before it is staged under the"
      + " output (<dir>/_staging/); an interrupted run loses at most this much work.")
  @Default.Integer(RowStaging.DEFAULT_CHECKPOINT_INTERVAL_SECONDS)
  int getCheckpointInterval();

  void setCheckpointInterval(int value);

  @OptionGroup("Memory and time")
  @Description("Seconds one image may take before it is recorded as a TIMEOUT failure.")
  @Default.Long(RecognizeImages.DEFAULT_IMAGE_TIMEOUT_SECONDS)
  long getImageTimeout();

  void setImageTimeout(long value);

  @OptionGroup("Model")
  @Description("TensorFlow threads inside one op. 1 (default): concurrent inferences share the"
      + " cores without splitting DECIMER's small decoder ops; 0 = one per core (TensorFlow's"
      + " default).")
  @Default.Integer(DecimerModel.DEFAULT_INTRA_OP_THREADS)
  int getIntraOpThreads();

  void setIntraOpThreads(int value);

  @OptionGroup("Model")
  @Description("TensorFlow threads across independent ops, shared by all inferences of a JVM;"
      + " 0 (default) = cores + decoding loops with the cached decoder (one encoder per core"
      + " beside the loops' steps), as many as the JVM's concurrent inferences with the full"
      + " one (fewer serialises them).")
  @Default.Integer(0)
  int getInterOpThreads();

  void setInterOpThreads(int value);

  @OptionGroup("Model")
  @Description("Decoder: cached (default: DECIMER's decoder with key/value caches, the encoder"
      + " run once and the steps of all in-flight images of a JVM batched) or full (the"
      + " published graph, which re-runs the decoder over the whole prefix at every step). Both"
      + " give DECIMER's SMILES (README \"Decoders\").")
  @Default.String("cached")
  String getDecoder();

  void setDecoder(String value);

  @OptionGroup("Model")
  @Description("Rows of one cached-decoder step, i.e. most in-flight images it serves at once;"
      + " 0 (default) = each decoding loop's share of the JVM's images in flight (a loop per"
      + " two cores). Every step computes all its rows.")
  @Default.Integer(DecimerModel.BATCH_OF_CONCURRENT_INFERENCES)
  int getMaxBatch();

  void setMaxBatch(int value);

  @OptionGroup("Memory and time")
  @Description("Images whose header claims more pixels are refused before decoding (default:"
      + " what half of a 1 GiB heap can decode and preprocess).")
  @Default.Long(EngineSettings.DEFAULT_MAX_PIXELS)
  long getMaxPixels();

  void setMaxPixels(long value);

  @OptionGroup("Results and review")
  @Description("Result files each directory gets, comma-separated: jsonl (always), csv, sdf,"
      + " review (review.html with thumbnails and drawings, and report.html at the output"
      + " root). Default: jsonl,review.")
  @Default.String("jsonl,review")
  String getFormats();

  void setFormats(String value);

  @OptionGroup("Results and review")
  @Description("A second reader of every recognised image, whose answer, agreement and a"
      + " preferred SMILES (bestSmiles) go on each row: molvec (pure Java) or none.")
  @Default.String("molvec")
  String getSecondOpinion();

  void setSecondOpinion(String value);

  @OptionGroup("Azure storage")
  @Description("Directory listings in flight at once during discovery.")
  @Default.Integer(ExpandDirectories.DEFAULT_LISTING_PARALLELISM)
  int getListingParallelism();

  void setListingParallelism(int value);

  @OptionGroup("Progress and logs")
  @Description("Seconds between progress lines on the console (DirectRunner); 0 = none.")
  @Default.Integer(10)
  int getProgressInterval();

  void setProgressInterval(int value);

  @OptionGroup("Progress and logs")
  @Description("TensorFlow's native INFO lines (CPU features, graph passes) on stderr; off by"
      + " default. An explicit TF_CPP_MIN_LOG_LEVEL in the environment always wins.")
  @Default.Boolean(false)
  boolean getVerbose();

  void setVerbose(boolean value);

  @OptionGroup("Azure storage")
  @Description("Azure Storage connection string (default: $AZURE_STORAGE_CONNECTION_STRING).")
  @Default.InstanceFactory(EnvDefault.ConnectionString.class)
  @JsonIgnore
  String getAzureConnectionString();

  void setAzureConnectionString(String value);

  @OptionGroup("Azure storage")
  @Description("Azure Storage account name, with --azureAccountKey (default: from the azfs:// URI).")
  @Default.String("")
  String getAzureAccountName();

  void setAzureAccountName(String value);

  @OptionGroup("Azure storage")
  @Description("Azure Storage account key (default: $AZURE_STORAGE_KEY).")
  @Default.InstanceFactory(EnvDefault.AccountKey.class)
  @JsonIgnore
  String getAzureAccountKey();

  void setAzureAccountKey(String value);

  @OptionGroup("Azure storage")
  @Description("Azure SAS token (default: $AZURE_STORAGE_SAS_TOKEN).")
  @Default.InstanceFactory(EnvDefault.SasToken.class)
  @JsonIgnore
  String getAzureSasToken();

  void setAzureSasToken(String value);

  @OptionGroup("Azure storage")
  @Description("Blob service endpoint, e.g. http://127.0.0.1:10000/devstoreaccount1 for Azurite.")
  @Default.String("")
  String getAzureBlobEndpoint();

  void setAzureBlobEndpoint(String value);

  @OptionGroup("Azure storage")
  @Description("How long, in seconds, one storage call (listing, read, check, write) keeps "
      + "retrying through transient failures (408, 429, 500, 502, 503, 504, timeouts, resets) "
      + "before its directory fails.")
  @Default.Long(StorageRetry.DEFAULT_WINDOW_SECONDS)
  long getStorageRetryWindow();

  void setStorageRetryWindow(long value);

  @OptionGroup("Azure storage")
  @Description("First wait between storage tries, in milliseconds; it doubles per try up to "
      + "--storageRetryMaxDelay, with jitter, or longer when the server sends Retry-After.")
  @Default.Long(StorageRetry.DEFAULT_INITIAL_DELAY_MS)
  long getStorageRetryInitialDelayMs();

  void setStorageRetryInitialDelayMs(long value);

  @OptionGroup("Azure storage")
  @Description("Longest wait between storage tries, in seconds.")
  @Default.Long(StorageRetry.DEFAULT_MAX_DELAY_SECONDS)
  long getStorageRetryMaxDelay();

  void setStorageRetryMaxDelay(long value);

  @OptionGroup("Azure storage")
  @Description("Seconds one storage request may take before it counts as failed (and is tried "
      + "again within the retry window).")
  @Default.Long(StorageRetry.DEFAULT_TRY_TIMEOUT_SECONDS)
  long getStorageTryTimeout();

  void setStorageTryTimeout(long value);

  @OptionGroup("Azure storage")
  @Description("Cap on the tries per storage call besides --storageRetryWindow (0: no cap).")
  @Default.Integer(0)
  int getAzureMaxTries();

  void setAzureMaxTries(int value);

  /** Secrets default to environment variables, so they need not appear on command lines. */
  final class EnvDefault {
    private EnvDefault() {}

    static String env(String name) {
      String v = System.getenv(name);
      return v == null ? "" : v;
    }

    public static final class ConnectionString implements DefaultValueFactory<String> {
      @Override
      public String create(PipelineOptions options) {
        return env(AzureAccess.ENV_CONNECTION_STRING);
      }
    }

    public static final class AccountKey implements DefaultValueFactory<String> {
      @Override
      public String create(PipelineOptions options) {
        return env(AzureAccess.ENV_ACCOUNT_KEY);
      }
    }

    public static final class SasToken implements DefaultValueFactory<String> {
      @Override
      public String create(PipelineOptions options) {
        return env(AzureAccess.ENV_SAS_TOKEN);
      }
    }
  }
}
