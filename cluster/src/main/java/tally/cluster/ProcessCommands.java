package tally.cluster;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import tally.cluster.monitoring.LoopbackPrometheusReporterFactory;
import tally.cluster.monitoring.PrometheusEndpoint;

/**
 * The java command line of each cluster process. Flink has no launch scripts on Maven Central, so
 * this does what its {@code jobmanager.sh}/{@code taskmanager.sh} do: the JVM memory flags and
 * dynamic properties that {@code BashJavaUtils GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS}
 * print (computed here with the same Flink functions, from the cluster's config.yaml), the {@code
 * env.java.opts.all} / {@code .jobmanager} / {@code .taskmanager} of the config, {@code -Dlog.file}
 * for the Web UI's log tabs, and the Flink runtime classpath (no Tally jar: jobs are submitted as
 * jars).
 */
final class ProcessCommands {

  /**
   * Each Flink process's own Prometheus port (the reporter itself is in deploy/flink/config.yaml).
   */
  static final String METRICS_PORT_KEY = "metrics.reporter.prom.port";

  static final String JOBMANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASKMANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String KAFKA_MAIN = "kafka.Kafka";
  static final String ZOOKEEPER_MAIN = "org.apache.zookeeper.server.ZooKeeperServerMain";

  /**
   * Small JVMs that start fast: C1 only and serial GC halve the start-up CPU (docs/platform.md).
   */
  private static final List<String> LEAN_JVM =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true");

  private final ClusterLayout layout;
  private final ClusterPorts ports;
  private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  ProcessCommands(ClusterLayout layout, ClusterPorts ports) {
    this.layout = layout;
    this.ports = ports;
  }

  List<String> zookeeper() {
    List<String> cmd = start("zookeeper", List.of("-Xmx256m"));
    cmd.addAll(
        List.of(
            "-Dlog4j2.configurationFile=" + layout.zookeeperLog4j(),
            "-Dzookeeper.jmx.log4j.disable=true",
            "-cp",
            RoleClasspath.ZOOKEEPER.asArgument(),
            ZOOKEEPER_MAIN,
            layout.zookeeperConfig().toString()));
    return cmd;
  }

  List<String> kafka(int nodeId) {
    List<String> cmd = start("kafka-" + nodeId, List.of("-Xmx512m", "-Xms256m"));
    cmd.addAll(
        List.of(
            "-Dlog4j2.configurationFile=" + layout.kafkaLog4j(),
            // Kafka's shutdown hook logs its stop; log4j's own hook would close the log first.
            "-Dlog4j2.shutdownHookEnabled=false",
            "-Dkafka.logs.dir=" + layout.logsDir(),
            "-cp",
            RoleClasspath.KAFKA.asArgument(),
            KAFKA_MAIN,
            layout.brokerConfig(nodeId).toString()));
    return cmd;
  }

  /**
   * A JobManager: "jobmanager" or the standby "jobmanager-2". Both read the one config.yaml; each
   * gets its own addresses, ports and directories as dynamic properties (conf/config.yaml names the
   * first one's, for the CLI).
   */
  List<String> jobManager(String name, Configuration conf) {
    JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
    List<String> cmd =
        flinkStart(name, conf, JobManagerProcessUtils.generateJvmParametersStr(spec, conf));
    cmd.addAll(1, words(conf.get(CoreOptions.FLINK_JM_JVM_OPTIONS)));
    String host = ports.host(name);
    String rpcPort = Integer.toString(ports.rpcPort(name));
    cmd.add(JOBMANAGER_MAIN);
    cmd.addAll(List.of("--configDir", layout.confDir().toString()));
    cmd.addAll(
        dynamicProperties(
            "jobmanager.rpc.address=" + host,
            "jobmanager.bind-host=" + host,
            "jobmanager.rpc.port=" + rpcPort,
            "high-availability.jobmanager.port=" + rpcPort,
            "rest.address=" + host,
            "rest.bind-address=" + host,
            "rest.port=" + ports.webUiPort(name),
            "web.tmpdir=" + layout.tmpDir(name + "-web"),
            "io.tmp.dirs=" + layout.tmpDir(name),
            METRICS_PORT_KEY + "=" + ports.metricsPort(name)));
    cmd.addAll(loopbackMetrics(host));
    cmd.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    return cmd;
  }

  private static List<String> dynamicProperties(String... settings) {
    List<String> args = new ArrayList<>();
    for (String setting : settings) {
      args.add("-D");
      args.add(setting);
    }
    return args;
  }

  /**
   * A TaskManager with a fixed resource id (taskmanager-N): its local directories keep their names
   * across restarts, and a restarted TM replaces its dead predecessor's registration at once.
   */
  List<String> taskManager(String name, Configuration conf, int metricsPort) {
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    List<String> cmd = flinkStart(name, conf, ProcessMemoryUtils.generateJvmParametersStr(spec));
    cmd.addAll(1, words(conf.get(CoreOptions.FLINK_TM_JVM_OPTIONS)));
    cmd.addAll(
        List.of(
            TASKMANAGER_MAIN,
            "--configDir",
            layout.confDir().toString(),
            "-D",
            "taskmanager.resource-id=" + name,
            "-D",
            "taskmanager.host=" + ports.host(name),
            "-D",
            "taskmanager.bind-host=" + ports.host(name),
            "-D",
            "io.tmp.dirs=" + layout.tmpDir(name),
            "-D",
            METRICS_PORT_KEY + "=" + metricsPort));
    cmd.addAll(loopbackMetrics(ports.host(name)));
    cmd.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    return cmd;
  }

  /**
   * The Prometheus endpoint on loopback: Tally's reporter instead of Flink's (which binds every
   * interface), as dynamic properties so that the shared config.yaml stays docker-compose's too. In
   * the cluster's own network the process's private address stands in for loopback.
   */
  private static List<String> loopbackMetrics(String host) {
    return List.of(
        "-D",
        PrometheusEndpoint.REPORTER_PREFIX + "factory.class=" + PrometheusEndpoint.FACTORY,
        "-D",
        PrometheusEndpoint.REPORTER_PREFIX + LoopbackPrometheusReporterFactory.HOST + "=" + host);
  }

  private List<String> flinkStart(String name, Configuration conf, String memoryFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(words(conf.get(CoreOptions.FLINK_JVM_OPTIONS)));
    cmd.addAll(words(memoryFlags));
    cmd.add(ProcessControl.marker(layout));
    cmd.add("-Dlog.file=" + layout.logFile(name));
    cmd.add("-Dlog4j.configurationFile=" + layout.flinkLog4j().toUri());
    cmd.add("-classpath");
    cmd.add(
        RoleClasspath.FLINK.asArgument()
            + File.pathSeparator
            + FlinkExtensionsJar.location(layout));
    return cmd;
  }

  private List<String> start(String name, List<String> heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(heap);
    cmd.addAll(LEAN_JVM);
    cmd.add(ProcessControl.marker(layout));
    cmd.add("-Dtally.log.file=" + layout.logFile(name));
    return cmd;
  }

  private static List<String> words(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.trim().split("\\s+")).toList();
  }
}
