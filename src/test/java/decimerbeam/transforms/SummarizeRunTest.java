package decimerbeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import decimerbeam.results.DirectoryOutcome;
import decimerbeam.storage.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run summary adds up every directory's outcome and names the failed ones. */
class SummarizeRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void countsDirectoriesAndImagesByOutcome() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(List.of(
            new DirectoryOutcome("/in/a/", "/out/a/", DirectoryOutcome.State.DONE, 10, 8, 2, 1,
                100, "", 4),
            new DirectoryOutcome("/in/b/", "/out/b/", DirectoryOutcome.State.DONE, 5, 5, 0, 0,
                50, "", 0),
            DirectoryOutcome.alreadyDone("/in/c/", "/out/c/"),
            DirectoryOutcome.failed("/in/d/", "/out/d/", "listing failed: 503 ServerBusy"),
            DirectoryOutcome.unfinished("/in/e/", "/out/e/", "1 of 3 images could not be read")))
            .withCoder(RecordCoder.of(DirectoryOutcome.class)))
        .apply(SummarizeRun.to(Location.directory(tmp + "/out/"))
            .withStartMillis(System.currentTimeMillis() - 10_000));
    p.run().waitUntilFinish();

    JsonNode s = JSON.readTree(
        Files.readString(tmp.resolve("out").resolve(SummarizeRun.RUN_SUMMARY)));
    assertThat(s.get("directories").get("done").asInt(), equalTo(2));
    assertThat(s.get("directories").get("alreadyDone").asInt(), equalTo(1));
    assertThat(s.get("directories").get("failed").asInt(), equalTo(1));
    assertThat(s.get("directories").get("unfinished").asInt(), equalTo(1));
    assertThat("complete, with a failed and an unfinished directory",
        s.get("complete").asBoolean(), equalTo(false));
    assertThat(s.get("unfinishedDirectories").get(0).get("directory").asText(),
        equalTo("/in/e/"));
    assertThat(s.get("images").get("total").asInt(), equalTo(15));
    assertThat(s.get("images").get("recognized").asInt(), equalTo(13));
    assertThat(s.get("images").get("failed").asInt(), equalTo(2));
    assertThat(s.get("images").get("skippedFiles").asInt(), equalTo(1));
    assertThat(s.get("images").get("reused").asInt(), equalTo(4));
    assertThat(s.get("failedDirectories").get(0).get("directory").asText(), equalTo("/in/d/"));
    assertThat(s.get("failedDirectories").get(0).get("error").asText(),
        equalTo("listing failed: 503 ServerBusy"));
    assertThat(s.get("wallSeconds").asDouble(), greaterThanOrEqualTo(10.0));
  }

  @Test
  void aRunIsCompleteWhenEveryDirectoryIsDoneNowOrBefore() throws Exception {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    p.apply(Create.of(List.of(
            new DirectoryOutcome("/in/a/", "/out/a/", DirectoryOutcome.State.DONE, 1, 1, 0, 0,
                10, "", 0),
            DirectoryOutcome.alreadyDone("/in/c/", "/out/c/")))
            .withCoder(RecordCoder.of(DirectoryOutcome.class)))
        .apply(SummarizeRun.to(Location.directory(tmp + "/out/")));
    p.run().waitUntilFinish();
    JsonNode s = JSON.readTree(
        Files.readString(tmp.resolve("out").resolve(SummarizeRun.RUN_SUMMARY)));
    assertThat("complete, with every directory done now or before",
        s.get("complete").asBoolean(), equalTo(true));
  }
}
