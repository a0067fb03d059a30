package decimerbeam.inference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The limit JavaCPP enforces in a worker JVM with a 1 GiB heap, read in a JVM of its own (JavaCPP
 * reads it once, when it loads): by default it would be 4 GiB, less than the model and a few
 * large images need while the host has room.
 */
class NativeMemoryLimitTest {

  /** Sizes the gate as a worker does, then prints what JavaCPP enforces, in MiB. */
  public static void main(String[] args) {
    InferenceCapacity c = InferenceCapacity.forThisHost(0.75, 0, 1, 4);
    System.out.println(Pointer.maxPhysicalBytes() >> 20);
    System.out.println(c.shareBytes() >> 20);
  }

  private static List<String> run(String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        NativeMemoryLimitTest.class.getName()));
    Path log = Files.createTempFile("native-memory-limit", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
      boolean ended = p.waitFor(2, TimeUnit.MINUTES);
      if (!ended) {
        p.destroyForcibly();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(out, ended && p.exitValue() == 0, equalTo(true));
      return out.lines().toList();
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void aSmallHeapNoLongerCapsNativeMemoryBelowTheHostsRam() throws Exception {
    long ram = InferenceCapacity.hostRamMib();
    List<String> lines = run();
    assertThat(lines.get(lines.size() - 2), equalTo(Long.toString(ram)));
    assertThat(lines.get(lines.size() - 1), equalTo(Long.toString(ram)));
  }

  @Test
  void aLimitTheUserSetIsKeptAndTheGatePlansWithinIt() throws Exception {
    List<String> lines = run("-D" + NativeMemoryLimit.PROPERTY + "=3g");
    assertThat(lines.get(lines.size() - 2), equalTo("3072"));
    assertThat(lines.get(lines.size() - 1), equalTo("3072"));
  }

  /** JavaCPP's refusals fail the images that needed memory; the heap running out does not. */
  @Test
  void onlyJavaCppsRefusalsCountAsRefused() {
    assertThat("physical memory too high is refused",
        NativeMemoryLimit.refused(new OutOfMemoryError("Physical memory usage is too"
        + " high: physicalBytes (4308M) > maxPhysicalBytes (4096M)")), equalTo(true));
    assertThat("over maxBytes is refused",
        NativeMemoryLimit.refused(new OutOfMemoryError("Failed to allocate memory within"
        + " limits: totalBytes (1G) + deallocatorBytes (8M) > maxBytes (1G)")), equalTo(true));
    assertThat("the heap running out is not refused",
        NativeMemoryLimit.refused(new OutOfMemoryError("Java heap space")), equalTo(false));
    assertThat("an Error without a message is not refused",
        NativeMemoryLimit.refused(new OutOfMemoryError()), equalTo(false));
  }
}
