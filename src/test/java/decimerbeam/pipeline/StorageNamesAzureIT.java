package decimerbeam.pipeline;

import static decimerbeam.testing.StandInRecognizer.image;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.testing.StandInRecognizer;
import decimerbeam.tools.Azurite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob names as a user's storage may hold them, read from Azurite and written to a local output:
 * names with {@code # % ? +}, spaces, unicode and a trailing dot get their own folders; a
 * directory named {@code ..} or too long for a local file system is a FAILED directory, never
 * written; a directory of more than 5,000 blobs (more than one listing page) is listed whole.
 */
class StorageNamesAzureIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ODD = List.of("hash#1", "pct%41", "q?mark", "plus+sign",
      "with space", "ünïcödé-名前", "trailing.");
  private static final int PAGED = 5_001;

  @TempDir Path tmp;

  @Test
  void oddNamesLongListingsAndEscapes() throws Exception {
    try (Azurite azurite = Azurite.start()) {
      BlobContainerClient c = azurite.container("plates");
      for (int i = 0; i < ODD.size(); i++) {
        c.getBlobClient("in/" + ODD.get(i) + "/x" + i + ".png")
            .upload(BinaryData.fromBytes(image("smiles=" + "C".repeat(i + 1))));
      }
      c.getBlobClient("in/dd/../../../../evil/x.png")
          .upload(BinaryData.fromBytes(image("smiles=Cl")));
      c.getBlobClient("in/" + "l".repeat(300) + "/x.png")
          .upload(BinaryData.fromBytes(image("smiles=Br")));
      uploadMany(c, "in/paged/", PAGED);

      Path out = tmp.resolve("out");
      PipelineOptionsFactory.register(DecimerOptions.class);
      List<String> args = new ArrayList<>(List.of(
          "--input=azfs://" + Azurite.ACCOUNT + "/plates/in/", "--output=" + out + "/",
          "--progressInterval=0", "--imageTimeout=30"));
      args.addAll(azurite.pipelineArgs());
      DecimerOptions o = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
          .withValidation().as(DecimerOptions.class);
      assertThat(RunCommand.run(o, StandInRecognizer.factory("azure-names")),
          equalTo(PipelineResult.State.DONE));

      for (int i = 0; i < ODD.size(); i++) {
        Path results = out.resolve("in").resolve(ODD.get(i)).resolve("results.jsonl");
        assertThat(ODD.get(i), Files.readString(results),
            containsString("\"smiles\":\"" + "C".repeat(i + 1) + "\""));
      }
      JsonNode paged = JSON.readTree(Files.readString(out.resolve("in/paged/summary.json")));
      assertThat(paged.get("skippedFiles").size(), equalTo(PAGED));

      try (Stream<Path> all = Files.walk(tmp)) {
        assertThat("nothing written outside the output",
            all.filter(p -> p.toString().contains("evil")).toList(), equalTo(List.of()));
      }
      JsonNode run = JSON.readTree(Files.readString(out.resolve("_run-summary.json")));
      assertThat(run.get("directories").get("done").asInt(), equalTo(ODD.size() + 1));
      assertThat(run.get("directories").get("failed").asInt(), equalTo(2));
      List<String> errors = new ArrayList<>();
      run.get("failedDirectories").forEach(f -> errors.add(
          f.get("directory").asText().replaceAll("l{300}", "<300 l>") + " " + f.get("error")
              .asText()));
      assertThat(errors.toString(), errors, hasItem(containsString(
          "in/dd/../../../../evil/ unsafe directory name: path segment '..' is not a name")));
      assertThat(errors.toString(), errors, hasItem(containsString(
          "in/<300 l>/ unsafe directory name: name of 300 bytes is longer than the 255")));
    }
  }

  /** Empty non-image blobs, uploaded side by side: each is a skipped file of its directory. */
  private static void uploadMany(BlobContainerClient c, String prefix, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = prefix + String.format("f%05d.txt", i);
        uploads.add(pool.submit(() -> c.getBlobClient(name).upload(BinaryData.fromString(""))));
      }
      for (Future<?> f : uploads) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
