package decimerbeam.transforms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import decimerbeam.storage.AzureAccess;
import decimerbeam.storage.BlobStore;
import decimerbeam.storage.Location;
import decimerbeam.storage.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Rows grouped per directory → {@code results.jsonl} then {@code summary.json} in the
 * directory's output folder. Each file is replaced in one step; the summary is written last, so
 * a directory with a summary is complete and one without runs again.
 */
public final class WriteDirectoryResults extends
    PTransform<PCollection<KV<DirectoryWork, ImageResult>>, PCollection<DirectoryOutcome>> {

  private final AzureAccess storage;

  private WriteDirectoryResults(AzureAccess storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  public static WriteDirectoryResults create() {
    return new WriteDirectoryResults(AzureAccess.none());
  }

  /** How to write results kept in Azure Blob Storage. */
  public WriteDirectoryResults withStorage(AzureAccess access) {
    return new WriteDirectoryResults(access);
  }

  @Override
  public PCollection<DirectoryOutcome> expand(PCollection<KV<DirectoryWork, ImageResult>> rows) {
    return rows
        .apply("Group by directory", GroupByKey.create())
        .apply("Write directory results", ParDo.of(new WriteFn(storage)))
        .setCoder(DirectoryOutcomeCoder.of());
  }

  static final class WriteFn
      extends DoFn<KV<DirectoryWork, Iterable<ImageResult>>, DirectoryOutcome> {
    private final AzureAccess storage;
    private final Counter written = Metrics.counter("decimer", "directories_written");

    WriteFn(AzureAccess storage) {
      this.storage = storage;
    }

    @ProcessElement
    public void process(@Element KV<DirectoryWork, Iterable<ImageResult>> group,
        OutputReceiver<DirectoryOutcome> out) throws IOException {
      DirectoryWork work = group.getKey();
      Location dir = work.directory();
      BlobStore store = Stores.forLocation(work.output(), storage);

      Map<String, ImageResult> rows = new TreeMap<>();
      List<ImageResult> skippedFiles = new ArrayList<>();
      boolean merged = false;
      if (work.retryFailedOnly() && store.exists(work.resultsFile())) {
        // A retry redoes only failed images; keep every earlier row it did not redo.
        String previous = new String(store.read(work.resultsFile()), StandardCharsets.UTF_8);
        for (ImageResult r : ResultJson.readRows(previous)) {
          rows.put(r.image(), r);
        }
        merged = true;
      }
      List<ImageResult> thisRun = new ArrayList<>();
      for (ImageResult r : group.getValue()) {
        if (r.status() == ImageResult.Status.SKIPPED) {
          skippedFiles.add(r);
        } else {
          rows.put(r.image(), r);
          thisRun.add(r);
        }
      }
      if (merged && store.exists(work.summaryFile())) {
        String summary = new String(store.read(work.summaryFile()), StandardCharsets.UTF_8);
        for (var n : ResultJson.MAPPER.readTree(summary).path("skippedFiles")) {
          skippedFiles.add(ImageResult.skipped(dir.uri(), n.path("name").asText(),
              n.path("reason").asText()));
        }
      }
      skippedFiles.sort(Comparator.comparing(ImageResult::image));

      StringBuilder jsonl = new StringBuilder();
      for (ImageResult r : rows.values()) {
        jsonl.append(ResultJson.toLine(r)).append('\n');
      }
      // The directory's files describe all its rows; the run counts only what this run did.
      DirectoryOutcome totals = outcome(dir, work, rows.values(), skippedFiles.size());
      store.writeAtomically(work.resultsFile(), jsonl.toString().getBytes(StandardCharsets.UTF_8));
      store.writeAtomically(work.summaryFile(), summary(dir, work, rows.values(), skippedFiles,
          totals, merged));
      written.inc();
      out.output(merged ? outcome(dir, work, thisRun, 0) : totals);
    }

    private static DirectoryOutcome outcome(Location dir, DirectoryWork work,
        Iterable<ImageResult> rows, int skipped) {
      int images = 0;
      int recognized = 0;
      long millis = 0;
      for (ImageResult r : rows) {
        images++;
        recognized += r.status() == ImageResult.Status.RECOGNIZED ? 1 : 0;
        millis += r.durationMillis();
      }
      return new DirectoryOutcome(dir.uri(), work.output().uri(), DirectoryOutcome.State.DONE,
          images, recognized, images - recognized, skipped, millis, "");
    }

    private static byte[] summary(Location dir, DirectoryWork work, Iterable<ImageResult> rows,
        List<ImageResult> skippedFiles, DirectoryOutcome o, boolean retried) throws IOException {
      Map<String, Integer> byKind = new TreeMap<>();
      int valid = 0;
      int truncated = 0;
      double confidenceSum = 0;
      long maxMillis = 0;
      String modelId = "";
      for (ImageResult r : rows) {
        if (r.status() == ImageResult.Status.FAILED) {
          byKind.merge(r.errorKind(), 1, Integer::sum);
        } else {
          valid += r.valid() ? 1 : 0;
          truncated += r.truncated() ? 1 : 0;
          confidenceSum += r.meanConfidence();
        }
        maxMillis = Math.max(maxMillis, r.durationMillis());
        modelId = r.modelId().isEmpty() ? modelId : r.modelId();
      }
      ObjectNode s = ResultJson.MAPPER.createObjectNode();
      s.put("directory", dir.uri());
      s.put("output", work.output().uri());
      s.put("modelId", modelId);
      s.put("images", o.images());
      s.put("recognized", o.recognized());
      s.put("failed", o.failed());
      s.put("validSmiles", valid);
      s.put("truncated", truncated);
      s.put("meanConfidence", o.recognized() == 0 ? 0.0 : confidenceSum / o.recognized());
      ObjectNode kinds = s.putObject("failuresByKind");
      byKind.forEach(kinds::put);
      ArrayNode skipped = s.putArray("skippedFiles");
      for (ImageResult r : skippedFiles) {
        skipped.addObject().put("name", r.image()).put("reason", r.error());
      }
      ObjectNode timings = s.putObject("timingsMs");
      timings.put("total", o.recognitionMillis());
      timings.put("meanPerImage", o.images() == 0 ? 0 : o.recognitionMillis() / o.images());
      timings.put("maxPerImage", maxMillis);
      s.put("retriedFailures", retried);
      s.put("writtenAt", Instant.now().toString());
      return ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
    }
  }
}
