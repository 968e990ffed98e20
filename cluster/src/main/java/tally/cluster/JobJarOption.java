package tally.cluster;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --job-jar}: the Flink application jar a verb submits to the cluster. */
public class JobJarOption {
  @Option(
      names = "--job-jar",
      paramLabel = "JAR",
      description =
          "The Flink application jar to submit (default: the one this checkout built: the ledger"
              + " job's for replay, the fault-injecting test job's for chaos).")
  public Path jobJar;

  public Path orDefault(Path defaultJar) {
    return jobJar != null ? jobJar : defaultJar;
  }
}
