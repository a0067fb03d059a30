package decimerbeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point as users call it: predict, dry run, and option errors. */
class CommandLineTest {

  @TempDir Path tmp;

  static String captureStdout(ThrowingRunnable r) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(original);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void dryRunCountsWithoutRecognisingOrWriting() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("plates/a"));
    Files.write(in.resolve("1.png"), new byte[] {1});
    Files.write(in.resolve("2.jpg"), new byte[] {2});
    Files.write(in.resolve("readme.txt"), new byte[] {3});
    Path out = tmp.resolve("out");
    String printed = captureStdout(() -> assertThat(Main.dispatch(new String[] {
        "--input=" + tmp.resolve("plates") + "/", "--output=" + out + "/", "--dryRun",
        "--progressInterval=0"}), equalTo(0)));
    assertThat(printed, containsString(in + "/\t2 images\t1 other files"));
    assertThat("a dry run writes no output folder", Files.exists(out), equalTo(false));
  }

  /** What {@code r} printed to stderr. */
  static String captureStderr(ThrowingRunnable r) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setErr(original);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Runs {@code args}, asserting the usage exit code; what it printed to stderr. */
  private static String refused(String... args) throws Exception {
    return captureStderr(() -> assertThat("exit code of " + String.join(" ", args),
        Main.dispatch(args), equalTo(ExitCode.USAGE.code())));
  }

  @Test
  void conflictingOptionsAreNamedWithTheUsageExitCode() throws Exception {
    String both = refused("--input=" + tmp + "/", "--output=" + tmp + "/o/", "--reprocess",
        "--retryFailures");
    assertThat(both, containsString("--reprocess and --retryFailures"));
    assertThat(both, not(containsString("Exception")));
    assertThat(refused("--input=" + tmp + "/"), containsString("--output is required"));
    assertThat(refused("--input=" + tmp + "/", "--output=" + tmp + "/o/", "--frobnicate=1"),
        containsString("frobnicate"));
    Files.createDirectories(tmp.resolve("x/plates"));
    Files.write(tmp.resolve("x/plates/1.png"), new byte[] {1});
    Files.createDirectories(tmp.resolve("y/plates"));
    Files.write(tmp.resolve("y/plates/1.png"), new byte[] {1});
    assertThat(refused("--input=" + tmp + "/x/plates/," + tmp + "/y/plates/",
        "--output=" + tmp + "/o/"), containsString("into one output folder"));
  }

  @Test
  void aConnectionStringForAnotherAccountIsRefusedAtLaunch() throws Exception {
    // Port 1 is closed: without the refusal the run would try to list devstoreaccount1 there.
    String connection = "--azureConnectionString=DefaultEndpointsProtocol=http;"
        + "AccountName=devstoreaccount1;AccountKey=a2V5;"
        + "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
    String fast = "--storageRetryWindow=1";
    String input = refused("--input=azfs://labdata/plates/in/", "--output=" + tmp + "/o/",
        connection, fast);
    assertThat(input, containsString("--input azfs://labdata/plates/in/ is in storage account"
        + " labdata, but --azureConnectionString"));
    assertThat(input, containsString("reaches account devstoreaccount1"));
    assertThat(input, not(containsString("a2V5")));
    assertThat(refused("--input=" + tmp + "/", "--output=azfs://labdata/results/", connection,
        fast), containsString("--output azfs://labdata/results/ is in storage account labdata"));
    assertThat(refused("--input=" + tmp + "/", "--output=" + tmp + "/o/",
        "--model=azfs://labdata/models/printed/", connection, fast),
        containsString("--model azfs://labdata/models/printed/ is in storage account labdata"));
    assertThat(refused("--input=azfs://labdata/plates/in/", "--output=" + tmp + "/o/",
        "--azureAccountName=archive", "--azureAccountKey=a2V5", fast),
        containsString("but --azureAccountName reaches account archive"));
  }

  @Test
  void unknownCommandShowsUsage() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.dispatch(new String[] {"frobnicate"}), equalTo(2));
    } finally {
      System.setErr(original);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8), containsString("usage: decimer-beam"));
    assertThat(buf.toString(StandardCharsets.UTF_8), not(containsString("Exception")));
  }
}
