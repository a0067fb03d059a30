package decimerbeam.pipeline;

import decimerbeam.report.RunSummary;

/**
 * What the {@code run} command's exit status tells a script: 0 only when every directory of the
 * input finished and none FAILED. The run summary decides, so the code says what was written.
 */
public enum ExitCode {
  COMPLETE(0, "every directory finished (results and summary.json written), none FAILED"),
  RUN_FAILED(1, "the run did not finish: the pipeline failed or was cancelled, or wrote no run"
      + " summary; rows already staged are kept, rerun to go on"),
  USAGE(2, "the command line was refused (an unknown command, a bad option or input), nothing"
      + " ran"),
  FAILED_DIRECTORIES(3, "the run finished with FAILED directories (named in the closing table"
      + " and _run-summary.json); the others are done"),
  UNFINISHED_DIRECTORIES(4, "the run finished with directories left unfinished (images storage"
      + " would not give, or results it would not take): their rows are kept staged and a rerun"
      + " goes on from them");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /**
   * The code a run summary gives: FAILED directories outrank unfinished ones, since they need
   * a look rather than only a rerun.
   */
  static ExitCode of(RunSummary runSummary) {
    RunSummary.Directories d = runSummary.directories();
    if (d.failed() > 0) {
      return FAILED_DIRECTORIES;
    }
    if (d.unfinished() > 0) {
      return UNFINISHED_DIRECTORIES;
    }
    return runSummary.complete() ? COMPLETE : RUN_FAILED;
  }

  /** The codes, one per line, for {@code --help} and README. */
  static String table() {
    StringBuilder out = new StringBuilder();
    for (ExitCode c : values()) {
      out.append("  ").append(c.code).append("  ").append(c.meaning).append('\n');
    }
    return out.toString();
  }
}
