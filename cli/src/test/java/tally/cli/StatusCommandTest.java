package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tally.kafka.local.FreePorts;

/** {@code tally status} against a fake Flink REST API serving canned answers. */
class StatusCommandTest {
  private static final String JOB = "8f3e5c1d2b4a69780a1b2c3d4e5f6071";
  private static final long NOW = 1_800_000_000_000L;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void printsTheHealthOfARunningJob() throws IOException {
    serve(NOW - 800);

    assertThat(run("status", "--rest-url", url())).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Flink 2.2.1 at " + url() + ": 1 job(s)")
        .contains("tally-ledger  " + JOB + "  RUNNING for 2m 00s, restarts 1")
        .contains(
            "every 1.0 s: 120 completed, 2 failed, 0 in progress; last #122 800 ms ago, took 137"
                + " ms, 2.0 MiB (full state 48.0 MiB)")
        .contains("in 1,234 records/s (sources), out 1,230 records/s (sinks)")
        .contains("12 records not read yet (pendingRecords), emit lag 85 ms")
        .contains("busiest task 42% busy, 5% back-pressured")
        .contains("applied 9,000, duplicatesDropped 90")
        .contains(
            "account ~1,000 keys, 39.1 KiB; applied-txns ~9,000 keys, 351.6 KiB (RocksDB"
                + " estimates); ~400 bytes per account")
        .contains("HEALTHY");
  }

  @Test
  void aStaleCheckpointMakesTheJobUnhealthy() throws IOException {
    serve(NOW - 45_000);

    assertThat(run("status", "--rest-url", url())).isEqualTo(1);
    assertThat(out.toString())
        .contains("UNHEALTHY: last completed checkpoint 45.0 s ago (interval 1.0 s)");
  }

  @Test
  void printsJsonForScripts() throws IOException {
    serve(NOW - 800);

    assertThat(run("status", "--rest-url", url(), "--json")).isZero();
    assertThat(out.toString())
        .contains("\"state\" : \"RUNNING\"", "\"pendingRecords\" : 12", "\"healthy\" : true");
  }

  @Test
  void noFlinkIsOneLineAndExitOne() {
    assertThat(run("status", "--rest-url", "http://localhost:" + FreePorts.pick())).isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("tally status: no Flink REST API answers at")
        .doesNotContain("\n");
  }

  @Test
  void aBadUrlIsABadArgument() {
    assertThat(run("status", "--rest-url", "localhost:8081")).isEqualTo(2);
    assertThat(err.toString().strip()).contains("--rest-url").doesNotContain("\n");
  }

  private int run(String... args) {
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private String url() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  private void serve(long lastCheckpointAck) throws IOException {
    String vertex = "/jobs/" + JOB + "/vertices/v1/subtasks/metrics";
    String sink = "/jobs/" + JOB + "/vertices/v2/subtasks/metrics";
    Map<String, String> answers =
        Map.ofEntries(
            Map.entry("/config", "{\"flink-version\":\"2.2.1\"}"),
            Map.entry(
                "/jobs/overview",
                "{\"jobs\":[{\"jid\":\""
                    + JOB
                    + "\",\"name\":\"tally-ledger\",\"state\":\"RUNNING\",\"start-time\":"
                    + (NOW - 600_000)
                    + "},{\"jid\":\"old\",\"name\":\"tally-ledger\",\"state\":\"CANCELED\",\"start-time\":1}]}"),
            Map.entry(
                "/jobs/" + JOB,
                "{\"jid\":\""
                    + JOB
                    + "\",\"name\":\"tally-ledger\",\"state\":\"RUNNING\",\"start-time\":"
                    + (NOW - 600_000)
                    + ",\"now\":"
                    + NOW
                    + ",\"timestamps\":{\"RUNNING\":"
                    + (NOW - 120_000)
                    + "},\"vertices\":[{\"id\":\"v1\",\"name\":\"Source:"
                    + " Kafka\",\"status\":\"RUNNING\"},{\"id\":\"v2\",\"name\":\"Apply ledger"
                    + " rules\",\"status\":\"RUNNING\"}]}"),
            Map.entry(
                "/jobs/" + JOB + "/metrics?get=numRestarts",
                "[{\"id\":\"numRestarts\",\"value\":\"1\"}]"),
            Map.entry(
                "/jobs/" + JOB + "/checkpoints/config", "{\"interval\":1000,\"timeout\":120000}"),
            Map.entry(
                "/jobs/" + JOB + "/checkpoints",
                "{\"counts\":{\"completed\":120,\"failed\":2,\"in_progress\":0},"
                    + "\"latest\":{\"completed\":{\"id\":122,\"latest_ack_timestamp\":"
                    + lastCheckpointAck
                    + ",\"end_to_end_duration\":137,\"checkpointed_size\":2097152,\"state_size\":50331648},"
                    + "\"failed\":{\"id\":100,\"failure_message\":\"old\"}}}"),
            Map.entry(
                vertex,
                "[{\"id\":\"Source__Kafka.numRecordsOutPerSecond\"},{\"id\":\"Source__Kafka.pendingRecords\"},"
                    + "{\"id\":\"Source__Kafka.currentEmitEventTimeLag\"},{\"id\":\"busyTimeMsPerSecond\"},{\"id\":\"numRecordsIn\"}]"),
            Map.entry(
                vertex
                    + "?agg=sum,max&get=Source__Kafka.numRecordsOutPerSecond%2CSource__Kafka.pendingRecords%2C"
                    + "Source__Kafka.currentEmitEventTimeLag%2CbusyTimeMsPerSecond",
                "[{\"id\":\"Source__Kafka.numRecordsOutPerSecond\",\"sum\":1234.0,\"max\":700.0},"
                    + "{\"id\":\"Source__Kafka.pendingRecords\",\"sum\":12.0,\"max\":8.0},"
                    + "{\"id\":\"Source__Kafka.currentEmitEventTimeLag\",\"sum\":150.0,\"max\":85.0},"
                    + "{\"id\":\"busyTimeMsPerSecond\",\"sum\":600.0,\"max\":420.0}]"),
            Map.entry(
                sink,
                "[{\"id\":\"Apply_ledger_rules.account.rocksdb.estimate-num-keys\"},"
                    + "{\"id\":\"Apply_ledger_rules.account.rocksdb.estimate-live-data-size\"},"
                    + "{\"id\":\"Apply_ledger_rules.applied-txns.rocksdb.estimate-num-keys\"},"
                    + "{\"id\":\"Apply_ledger_rules.applied-txns.rocksdb.estimate-live-data-size\"},"
                    + "{\"id\":\"Apply_ledger_rules.tally.applied\"},{\"id\":\"Apply_ledger_rules.tally.duplicatesDropped\"},"
                    + "{\"id\":\"Kafka__Writer.numRecordsSendPerSecond\"},{\"id\":\"backPressuredTimeMsPerSecond\"}]"),
            Map.entry(
                sink
                    + "?agg=sum,max&get=Apply_ledger_rules.account.rocksdb.estimate-num-keys%2C"
                    + "Apply_ledger_rules.account.rocksdb.estimate-live-data-size%2C"
                    + "Apply_ledger_rules.applied-txns.rocksdb.estimate-num-keys%2C"
                    + "Apply_ledger_rules.applied-txns.rocksdb.estimate-live-data-size%2C"
                    + "Apply_ledger_rules.tally.applied%2CApply_ledger_rules.tally.duplicatesDropped%2C"
                    + "Kafka__Writer.numRecordsSendPerSecond%2CbackPressuredTimeMsPerSecond",
                "[{\"id\":\"Apply_ledger_rules.account.rocksdb.estimate-num-keys\",\"sum\":1000.0,\"max\":600.0},"
                    + "{\"id\":\"Apply_ledger_rules.account.rocksdb.estimate-live-data-size\",\"sum\":40000.0,\"max\":20000.0},"
                    + "{\"id\":\"Apply_ledger_rules.applied-txns.rocksdb.estimate-num-keys\",\"sum\":9000.0,\"max\":4600.0},"
                    + "{\"id\":\"Apply_ledger_rules.applied-txns.rocksdb.estimate-live-data-size\",\"sum\":360000.0,\"max\":200000.0},"
                    + "{\"id\":\"Apply_ledger_rules.tally.applied\",\"sum\":9000.0,\"max\":4600.0},"
                    + "{\"id\":\"Apply_ledger_rules.tally.duplicatesDropped\",\"sum\":90.0,\"max\":50.0},"
                    + "{\"id\":\"Kafka__Writer.numRecordsSendPerSecond\",\"sum\":1230.0,\"max\":700.0},"
                    + "{\"id\":\"backPressuredTimeMsPerSecond\",\"sum\":60.0,\"max\":50.0}]"));
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String answer = answers.get(exchange.getRequestURI().toString());
          byte[] body =
              (answer == null ? "{\"errors\":[\"not found\"]}" : answer)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }
}
