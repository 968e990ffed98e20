package tally.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * ZooKeeper's {@code zoo.cfg}: {@code deploy/zookeeper/zoo.cfg} plus the data dir and client port.
 */
public final class ZooKeeperFiles {

  private ZooKeeperFiles() {}

  /** The shared settings (sorted by key). */
  public static Map<String, String> sharedSettings(TallyHome home) {
    Path file = home.zookeeperDeployDir().resolve("zoo.cfg");
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    new TreeSet<>(properties.stringPropertyNames())
        .forEach(key -> settings.put(key, properties.getProperty(key)));
    return settings;
  }

  public static void write(TallyHome home, ClusterLayout layout, ClusterPorts ports) {
    Path shared = home.zookeeperDeployDir().resolve("zoo.cfg");
    try {
      Files.createDirectories(layout.zookeeperDir().resolve("data"));
      String text =
          "# Written by bin/tally cluster up: "
              + shared
              + " as is, then this machine's settings.\n\n"
              + Files.readString(shared, StandardCharsets.UTF_8)
              + "\n# --- This machine ---\n"
              + "dataDir="
              + layout.zookeeperDir().resolve("data").toString().replace("\\", "\\\\")
              + "\n"
              + "clientPort="
              + ports.zookeeper()
              + "\n"
              + "clientPortAddress="
              + ports.host("zookeeper")
              + "\n";
      Files.writeString(layout.zookeeperConfig(), text, StandardCharsets.UTF_8);
      Files.copy(
          home.deployDir().resolve("logging").resolve("log4j2-zookeeper.properties"),
          layout.zookeeperLog4j(),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + layout.zookeeperConfig(), e);
    }
  }
}
