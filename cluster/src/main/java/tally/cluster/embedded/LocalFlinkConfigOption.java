package tally.cluster.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/**
 * {@code -D key=value}: Flink configuration of the local MiniCluster, the way {@code flink run -D}
 * or config.yaml sets it for a cluster. It is the platform's configuration: it wins over Tally's
 * cluster defaults, and the job still adds only its own options on top.
 */
public class LocalFlinkConfigOption {
  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description =
          "Flink configuration of the local cluster (as config.yaml or 'flink run -D' would set"
              + " it), e.g. -Dtaskmanager.memory.managed.size=1g; repeatable, wins over Tally's"
              + " cluster defaults.")
  public Map<String, String> properties = new LinkedHashMap<>();

  /** The settings as a Flink configuration (empty when none was given). */
  public Configuration toConfiguration() {
    return Configuration.fromMap(properties);
  }
}
