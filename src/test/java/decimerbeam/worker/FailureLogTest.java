package decimerbeam.worker;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Failure rows reach the log with their stack traces, a bounded number a minute, no secrets. */
class FailureLogTest {

  @Test
  void logsAtMostTheQuotaAMinute() {
    FailureLog log = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class), 2);
    int logged = 0;
    for (int i = 0; i < 5; i++) {
      logged += log.failed("image " + i, new IOException("broken " + i)) ? 1 : 0;
    }
    assertThat(logged, equalTo(2));
  }

  @Test
  void theLoggedTraceKeepsFramesAndCausesButNotSecrets() {
    IOException cause = new IOException("GET https://acct.blob.core.windows.net/c/x.png"
        + "?sv=2024&sig=S3CR3T failed");
    RuntimeException error = new RuntimeException("AccountKey=S3CR3T;", cause);
    FailureLog.RedactedTrace trace = new FailureLog.RedactedTrace(error);
    assertThat(trace.toString(), containsString("java.lang.RuntimeException"));
    assertThat(trace.toString(), not(containsString("S3CR3T")));
    assertThat(trace.getCause().toString(), containsString("java.io.IOException"));
    assertThat(trace.getCause().toString(), not(containsString("S3CR3T")));
    assertThat(trace.getStackTrace().length, equalTo(error.getStackTrace().length));
  }
}
