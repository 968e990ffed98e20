package tally.cluster;

import picocli.CommandLine.Option;

/** {@code --web-ui-port}: where Flink's Web UI and REST API listen (0 = any free port). */
public class WebUiPortOption {
  public static final int DEFAULT_PORT = 8081;

  @Option(
      names = "--web-ui-port",
      description = "Port of the Flink Web UI and REST API (default: ${DEFAULT-VALUE}).")
  public int webUiPort = DEFAULT_PORT;
}
